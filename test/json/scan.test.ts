import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { RawJson, joinPieces, toPieces } from "../../src/json/bytes";
import { repeatedKeyCounted, repeatedKeyPath } from "../../src/json/repeats";
import { JsonDepthError, JsonScanner, JsonSyntaxError } from "../../src/json/scan";

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const space = fc.constantFrom("", " ", "\n", "\t ", "\r\n  ");
/** A JSON value as JSON text can carry it (fast-check may generate -0, which JSON writes as 0). */
const jsonValue = (maxDepth: number) => fc.jsonValue({ maxDepth }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);

/** JSON text of an object whose members and array elements are spaced at random. */
const spacedObject = fc
  .tuple(fc.dictionary(fc.string({ maxLength: 6 }), jsonValue(4), { maxKeys: 6 }), fc.array(space, { minLength: 8, maxLength: 8 }))
  .map(([object, gaps]) => {
    const members = Object.entries(object).map(
      ([key, value], i) =>
        `${gaps[i % 8]}${JSON.stringify(key)}${gaps[(i + 1) % 8]}:${gaps[(i + 2) % 8]}${JSON.stringify(value, null, i % 2)}${gaps[(i + 3) % 8]}`,
    );
    return { object, text: `${gaps[4]}{${members.join(",")}${members.length === 0 ? gaps[5] : ""}}${gaps[6]}` };
  });

describe("JsonScanner", () => {
  it("finds every member's key and value bytes, for any object however it is spaced", () => {
    fc.assert(
      fc.property(spacedObject, ({ object, text }) => {
        const bytes = encode(text);
        const members = new JsonScanner(bytes, 100).rootObject();
        expect(members.map((m) => m.key)).toEqual(Object.keys(object));
        for (const member of members) {
          expect(JSON.parse(decode(bytes.subarray(member.value.start, member.value.end)))).toEqual(object[member.key]);
          expect(decode(bytes.subarray(member.whole.start, member.whole.end))).toMatch(/^"/);
        }
      }),
    );
  });

  it("splits an array member into its elements, keeping the bytes between its brackets", () => {
    fc.assert(
      fc.property(fc.array(jsonValue(3), { maxLength: 6 }), space, (items, gap) => {
        const inner = items.map((item) => `${gap}${JSON.stringify(item, null, 1)}${gap}`).join(",") || gap;
        const bytes = encode(`{"history":[${inner}],"x":1}`);
        const [history] = new JsonScanner(bytes, 100).rootObject((key) => key === "history");
        expect(history!.elements!.items.map((span) => JSON.parse(decode(bytes.subarray(span.start, span.end))))).toEqual(items);
        expect(decode(bytes.subarray(history!.elements!.inner.start, history!.elements!.inner.end))).toBe(inner);
      }),
    );
  });

  it("keeps repeated keys, in order, for the caller to judge", () => {
    const members = new JsonScanner(encode('{"a":1,"a":2}'), 10).rootObject();
    expect(members.map((m) => m.key)).toEqual(["a", "a"]);
  });

  it("decodes escaped keys", () => {
    expect(new JsonScanner(encode('{"\\u0073tore":false}'), 10).rootObject()[0]!.key).toBe("store");
  });

  it("skips brackets and escaped quotes inside strings", () => {
    const bytes = encode('{"a":"[[{{\\"]]","b":["\\\\",[1]]}');
    const members = new JsonScanner(bytes, 3).rootObject();
    expect(members.map((m) => decode(bytes.subarray(m.value.start, m.value.end)))).toEqual(['"[[{{\\"]]"', '["\\\\",[1]]']);
  });

  it("refuses nesting deeper than the limit without recursing (a million brackets)", () => {
    expect(() => new JsonScanner(encode(`{"a":${"[".repeat(1_000_000)}}`), 64).rootObject()).toThrow(JsonDepthError);
    expect(() => new JsonScanner(encode('{"a":[[1]]}'), 3).rootObject()).not.toThrow();
    expect(() => new JsonScanner(encode('{"a":[[[1]]]}'), 3).rootObject()).toThrow(JsonDepthError);
  });

  it("refuses what is not one JSON object", () => {
    for (const text of ["", "[1]", "{", '{"a"}', '{"a":1,}', '{"a":1} x', '{"a":"x}', "{a:1}", '{"a":}']) {
      expect(() => new JsonScanner(encode(text), 10).rootObject(), text).toThrow(JsonSyntaxError);
    }
  });
});

describe("repeated keys, located (one reading)", () => {
  const pathOf = (text: string) => repeatedKeyPath(encode(text), JSON.parse(text));

  it("names the first key that appears twice in one object, by its path, at any depth", () => {
    expect(pathOf('{"a":1,"a":2}')).toEqual(["a"]);
    expect(pathOf('{"x":[0,{"y":{"k":1,"z":[],"k":{}}}]}')).toEqual(["x", 1, "y", "k"]);
    expect(pathOf('[{"t":1},{"t":1,"\\u0074":2}]')).toEqual([1, "t"]);
    expect(pathOf('{"type":"text","text":{"not":"a string"},"text":"fine"}')).toEqual(["text"]);
  });

  it("finds none where keys only look alike: sibling objects, strings, colons and escaped colons in text", () => {
    for (const text of [
      '{"a":{"k":1},"b":{"k":1}}',
      '[{"k":1},{"k":1}]',
      '{"s":"{\\"k\\":1,\\"k\\":2}"}',
      '{"a:b":"c:d","\\u003a":1}',
      '"x"',
      "1",
    ])
      expect(pathOf(text), text).toBeUndefined();
  });

  it("finds a key repeated anywhere in any value, at the place it was repeated", () => {
    // Strings without braces, quotes or backslashes, so every `{"` in the text opens an object.
    const plain = fc.jsonValue({ maxDepth: 4 }).filter((v) => {
      const text = JSON.stringify(v);
      return text.includes('{"') && [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].every((m) => !/[{"\\]/.test(m[1]!));
    });
    fc.assert(
      fc.property(plain, fc.nat(), (value, pick) => {
        const text = JSON.stringify(value);
        expect(pathOf(text)).toBeUndefined();
        const opens = [...text.matchAll(/\{"/g)].map((m) => m.index);
        const at = opens[pick % opens.length]!;
        const key = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(at + 1))![0];
        const doubled = `${text.slice(0, at + 1)}${key}:null,${text.slice(at + 1)}`;
        const path = pathOf(doubled)!;
        expect(path.at(-1)).toBe(JSON.parse(key));
        // The path leads to the object that holds the repeat.
        let holder: unknown = JSON.parse(doubled);
        for (const step of path.slice(0, -1)) holder = (holder as Record<string | number, unknown>)[step];
        expect(Object.keys(holder as object)).toContain(JSON.parse(key));
      }),
      { numRuns: 200 },
    );
  });

  /** repeatedKeyCounted as the body's scan feeds it: the members counted while the value was skipped. */
  const countedPathOf = (text: string) => {
    const bytes = encode(text);
    const scanner = new JsonScanner(bytes, Infinity);
    scanner.valueEnd(scanner.skipSpace(0), 0);
    return repeatedKeyCounted(bytes, JSON.parse(text), scanner.members);
  };

  it("counts an object's members while skipping it: one per structural colon, none inside keys or strings", () => {
    const count = (text: string) => {
      const scanner = new JsonScanner(encode(text), Infinity);
      scanner.valueEnd(0, 0);
      return scanner.members;
    };
    expect(count('{"a:b":"c:d","e":{"f":[{"g":1},{"h":"\\":"}]}}')).toBe(5);
    expect(count('[{"a" : 1 , "a" : 2}, {}]')).toBe(2);
    expect(count('"a:b"')).toBe(0);
    // object() counts the members it reads itself, and those of the values it skips.
    const scanner = new JsonScanner(encode('{"a":{"b":1,"c":{"d":2}},"e":[{"f":3}]}'), Infinity);
    scanner.rootObject();
    expect(scanner.members).toBe(6);
  });

  it("tells a repeat from the counted members exactly as the walk does: escapes, __proto__, colons in text", () => {
    const cases = [
      '{"a":1,"a":2}',
      '{"x":[0,{"y":{"k":1,"z":[],"k":{}}}]}',
      '[{"t":1},{"t":1,"\\u0074":2}]',
      '{"__proto__":{"a":1},"__proto__":{"b":2}}',
      '{"__proto__":{"a":1,"a":2}}',
      // An escaped colon beside a repeat: the colon counts of the text and the value agree, the members do not.
      '{"type":"text","text":"a\\u003ab","m":1,"m":2}',
      '{"a:b":"c:d","\\u003a":1}',
      '{"a":{"k":1},"b":{"k":1}}',
      '{"s":"{\\"k\\":1,\\"k\\":2}"}',
      '[{"k":1},{"k":1}]',
    ];
    for (const text of cases) expect(countedPathOf(text), text).toEqual(pathOf(text));
    expect(countedPathOf('{"__proto__":{"a":1},"__proto__":{"b":2}}')).toEqual(["__proto__"]);
    expect(countedPathOf('{"type":"text","text":"a\\u003ab","m":1,"m":2}')).toEqual(["m"]);
  });

  it("agrees with the walk on any value, with or without a repeated key", () => {
    fc.assert(
      fc.property(jsonValue(4), fc.nat(), fc.boolean(), (value, pick, repeat) => {
        let text = JSON.stringify(value);
        const opens = [...text.matchAll(/\{"/g)].map((m) => m.index);
        if (repeat && opens.length > 0) {
          // `{"` may sit inside a string: then the text is no longer JSON, and is not a case.
          const at = opens[pick % opens.length]!;
          const key = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(at + 1))?.[0];
          const doubled = `${text.slice(0, at + 1)}${key}:null,${text.slice(at + 1)}`;
          try {
            if (key === undefined) return;
            JSON.parse(doubled);
            text = doubled;
          } catch {
            return;
          }
        }
        const walk = vi.spyOn(JsonScanner.prototype, "repeatedKey");
        try {
          const found = countedPathOf(text);
          expect(found).toEqual(pathOf(text));
          // The walk is for saying where: a value without a repeat is told by the counts alone.
          if (found === undefined) expect(walk).not.toHaveBeenCalled();
        } finally {
          walk.mockRestore();
        }
      }),
      { numRuns: 300 },
    );
  });

  it("lets a split array's elements be read by the caller, in the scan's one pass", () => {
    const bytes = encode('{"h":[{"a":1}, 2 ,[3]],"n":{"h":[9]}}');
    const seen: [number, number, number][] = [];
    const [h] = new JsonScanner(bytes, 10).rootObject(
      (key) =>
        key === "h" &&
        ((start, depth, i) => {
          seen.push([start, depth, i]);
          return new JsonScanner(bytes, 10).valueEnd(start, depth);
        }),
    );
    expect(seen).toEqual([
      [6, 2, 0],
      [15, 2, 1],
      [18, 2, 2],
    ]);
    expect(h!.elements!.items.map((span) => decode(bytes.subarray(span.start, span.end)))).toEqual(['{"a":1}', "2", "[3]"]);
  });
});

describe("toPieces", () => {
  it("serializes like JSON.stringify, placing raw leaves as received", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        expect(decode(joinPieces(toPieces(value)))).toBe(JSON.stringify(value));
      }),
    );
    const raw = new RawJson(encode('{ "n": 12345678901234567890 }'));
    expect(decode(joinPieces(toPieces({ a: raw, b: [raw] })))).toBe(
      '{"a":{ "n": 12345678901234567890 },"b":[{ "n": 12345678901234567890 }]}',
    );
  });
});

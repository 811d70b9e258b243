import canonicalize from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalStep } from "../../src/json/canonical";
import { respelled } from "../helpers";

const encoder = new TextEncoder();
const canonicalOf = (text: string) => canonicalStep(JSON.parse(text), encoder.encode(text));

/** JSON values JCS can write (the `canonicalize` package refuses lone surrogates; `__proto__` keys take the exact form). */
const jcsValue = fc.jsonValue({ maxDepth: 4 }).filter((value) => {
  try {
    canonicalize(value);
    return !JSON.stringify(value).includes('"__proto__"');
  } catch {
    return false;
  }
});

describe("canonicalStep", () => {
  it("is RFC 8785 (JCS) for I-JSON values: the canonicalize package's text, whatever the spelling sent", () => {
    fc.assert(
      fc.property(jcsValue, (value) => {
        const expected = `j${canonicalize(value)}`;
        expect(canonicalOf(JSON.stringify(value))).toBe(expected);
        expect(canonicalOf(respelled(value, { indent: 3 }))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("sorts keys by UTF-16 code units at every depth, numeric-looking keys included", () => {
    expect(canonicalOf('{"b":1,"a":{"10":0,"9":0,"é":0,"z":0},"A":[{"y":1,"x":2}]}')).toBe(
      'j{"A":[{"x":2,"y":1}],"a":{"10":0,"9":0,"z":0,"é":0},"b":1}',
    );
  });

  it("writes numbers by value: 1.10, 1.1 and 11e-1 are one number; a 20-digit integer as its double", () => {
    expect(canonicalOf('{"n":[1.10,11e-1,-0,100000000000000000000]}')).toBe('j{"n":[1.1,1.1,0,100000000000000000000]}');
  });

  it("takes the exact bytes where JCS cannot stand for the value: a repeated key, 1e400, a __proto__ key", () => {
    for (const text of ['{"a":1,"a":2}', '{"x":{"q":[{"k":1,"k":1}]}}', '{"q":1e400}', '{"__proto__":{"x":1}}']) {
      expect(canonicalOf(text)).toBe(`b${text}`);
    }
    expect(canonicalOf('{"a":[{"k":1},{"k":2}]}')).toBe('j{"a":[{"k":1},{"k":2}]}');
  });
});

describe("repeated keys", () => {
  it("are found at any depth, spelled alike or escaped; keys alike in sibling objects or inside strings are not repeats", () => {
    for (const text of ['{"a":{"b":[{"c":1,"c":2}]}}', '{"a":1,"\\u0061":2}', '{"k":"x:y","k":"x:y"}', '{"t":"a:b","t":"c"}'])
      expect(canonicalOf(text), text).toBe(`b${text}`);
    for (const text of ['{"a":"{\\"a\\":1,\\"a\\":2}","b":[{"a":1},{"a":1}]}', '{"url":"https://x.test:8080/a:b","k:v":"::"}'])
      expect(canonicalOf(text)[0], text).toBe("j");
  });

  it("are found whatever the value: a member repeated anywhere in a generated step gives the exact-bytes form", () => {
    // Strings without braces, quotes or backslashes, so every `{"` in the text opens an object.
    const plainStrings = (text: string) => [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].every((m) => !/[{"\\]/.test(m[1]!));
    const withObject = jcsValue.filter((value) => JSON.stringify(value).includes('{"') && plainStrings(JSON.stringify(value)));
    fc.assert(
      fc.property(withObject, fc.nat(), (value, pick) => {
        const text = JSON.stringify(value);
        const opens = [...text.matchAll(/\{"/g)].map((m) => m.index);
        const at = opens[pick % opens.length]!;
        const key = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(at + 1))![0]; // the object's first key, repeated before it with a null value
        const doubled = `${text.slice(0, at + 1)}${key}:null,${text.slice(at + 1)}`;
        expect(JSON.stringify(JSON.parse(doubled))).toBe(text);
        expect(canonicalOf(doubled)).toBe(`b${doubled}`);
      }),
      { numRuns: 200 },
    );
  });

  it("an escaped colon anywhere takes the exact bytes (it would let a repeat hide from the count)", () => {
    expect(canonicalOf('{"t":"a\\u003ab"}')).toBe('b{"t":"a\\u003ab"}');
  });
});

/**
 * Minimal responses (Prefer: return=minimal, RFC 7240): the body leaves out the history the caller
 * sent, and appending it to that history gives, byte for byte, the full body's `history` (the
 * append rule), unary and streamed.
 */
import { env } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/config";
import { MinimalTurnResponseSchema as MinimalTurnResponse } from "../../src/openapi/bodies";
import { parseSse, relayOverFetch, relayWithEmulator } from "../helpers";

const REPLY_STEPS = '[{"type":"model_output","content":[{"type":"text","text":"n=12345678901234567890 caf\\u00e9"}]}]';
const UNARY_REPLY = `{"id":"v1_x","object":"interaction","status":"completed","steps":${REPLY_STEPS},"usage":{"total_tokens":3}}`;
const STREAMED_REPLY =
  `event: interaction.completed\ndata: {"event_type":"interaction.completed","interaction":{"id":"v1_x","status":"completed","steps":${REPLY_STEPS},"usage":{"total_tokens":3}}}\n\n` +
  "event: done\ndata: [DONE]\n\n";

/** A relay whose upstream answers every call with the same bytes (streamed when asked), so two turns get the same model steps. */
function relayWithFixedReply(bindings: Partial<Bindings> = {}) {
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const streamed = (JSON.parse(await new Request(input, init).text()) as { stream?: boolean }).stream === true;
    return new Response(streamed ? STREAMED_REPLY : UNARY_REPLY, {
      headers: { "content-type": streamed ? "text/event-stream" : "application/json" },
    });
  };
  const { app, env } = relayOverFetch(fetch, bindings);
  return (body: string, headers: Record<string, string> = {}) =>
    Promise.resolve(app.request("/v1/turns", { method: "POST", headers: { "content-type": "application/json", ...headers }, body }, env));
}

const MINIMAL = { prefer: "return=minimal" };

/** The body of a turn: the unary body, or turn.completed's data. */
async function bodyOf(res: Response, streamed: boolean): Promise<string> {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  if (!streamed) return text;
  const completed = parseSse(text).events.at(-1)!;
  expect(completed.event, completed.data).toBe("turn.completed");
  return completed.data;
}

/** The text of member `key` of the relay's top-level object `json` (bytes, not values). */
function memberText(json: string, key: string): string | undefined {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (c === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === "\\" ? 2 : 1;
      if (depth === 1 && json[end + 1] === ":" && json.slice(i, end + 1) === JSON.stringify(key)) start = end + 2;
      i = end;
    } else if (depth === 1 && (c === "," || c === "}") && start >= 0) {
      return json.slice(start, i);
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
  }
  return undefined;
}

/** The append rule, as a client holding its history's bytes applies it: elements joined by `,`, the caller's inner bytes kept. */
function append(history: string | undefined, minimal: string): string {
  const inner = history === undefined ? "" : history.slice(1, -1);
  const added = [memberText(minimal, "input_steps")!, memberText(minimal, "steps")!]
    .map((array) => array.slice(1, -1))
    .filter((s) => s !== "");
  const empty = history === undefined || (JSON.parse(history) as unknown[]).length === 0;
  return `[${inner}${empty || added.length === 0 ? "" : ","}${added.join(",")}]`;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

describe("Prefer: return=minimal", () => {
  it("answers with the new steps, the model's, and the base; Preference-Applied says so; the rest is the full body's", async () => {
    const turn = relayWithFixedReply();
    const history =
      '[ {"type":"user_input","content":[{"type":"text","text":"hi"}]} ,\n {"type":"model_output","content":[{"type":"text","text":"yo"}]} ]';
    const body = `{"model":"m","history":${history},"input":"again"}`;
    const full = await turn(body);
    const minimal = await turn(body, MINIMAL);
    expect(full.headers.get("preference-applied")).toBeNull();
    expect(minimal.headers.get("preference-applied")).toBe("return=minimal");
    const fullText = await full.text();
    const minimalText = await minimal.text();
    expect(Object.keys(JSON.parse(minimalText) as object)).toEqual([
      "input_steps",
      "steps",
      "status",
      "usage",
      "output_text",
      "pending_calls",
      "base",
    ]);
    expect(memberText(minimalText, "input_steps")).toBe('[{"type":"user_input","content":[{"type":"text","text":"again"}]}]');
    for (const key of ["steps", "status", "usage", "output_text", "pending_calls"])
      expect(memberText(minimalText, key)).toBe(memberText(fullText, key));
    expect(JSON.parse(minimalText).base).toEqual({ steps: 2, sha256: await sha256Hex(history.slice(1, -1)) });
    expect(append(history, minimalText)).toBe(memberText(fullText, "history"));
    expect(MinimalTurnResponse.safeParse(JSON.parse(minimalText)).error).toBeUndefined();
  });

  it("the contract names Prefer, Preference-Applied and MinimalTurnResponse", async () => {
    const relay = relayWithEmulator();
    const doc = (await (await relay.app.request("/openapi.json", {}, { ...relay.env, ASSETS: env.ASSETS })).json()) as {
      paths: Record<string, { post: { parameters: unknown[]; responses: Record<string, { headers: Record<string, unknown> }> } }>;
      components: { schemas: Record<string, { required?: string[] }> };
    };
    const op = doc.paths["/v1/turns"]!.post;
    expect(op.parameters).toContainEqual(expect.objectContaining({ name: "Prefer", in: "header" }));
    expect(op.responses["200"]!.headers["Preference-Applied"]).toBeDefined();
    expect(doc.components.schemas.MinimalTurnResponse!.required).toEqual(["input_steps", "steps", "status", "pending_calls", "base"]);
  });

  it("reads the header as RFC 7240 does: any case, among other preferences, quoted; the first `return` counts; others are ignored", async () => {
    const turn = relayWithFixedReply();
    const body = '{"model":"m","input":"hi"}';
    const applied = async (prefer: string) => {
      const res = await turn(body, { prefer });
      const text = await res.text();
      expect(res.status, text).toBe(200);
      const minimal = res.headers.get("preference-applied") === "return=minimal";
      expect("base" in (JSON.parse(text) as object), prefer).toBe(minimal);
      expect("history" in (JSON.parse(text) as object), prefer).toBe(!minimal);
      return minimal;
    };
    for (const prefer of [
      "return=minimal",
      "RETURN = MINIMAL",
      'respond-async, wait=10, Return="minimal"; x="a,b"',
      "handling=lenient,return=minimal,return=representation",
    ]) {
      expect(await applied(prefer), prefer).toBe(true);
    }
    for (const prefer of [
      "return=representation",
      "return=representation, return=minimal",
      "handling=strict; return=minimal",
      'x="return=minimal"',
      "return-minimal",
      "minimal",
    ]) {
      expect(await applied(prefer), prefer).toBe(false);
    }
  });

  it("digests the exact bytes between the history's brackets (the empty string's without a history)", async () => {
    const turn = relayWithFixedReply();
    const none = JSON.parse(await (await turn('{"model":"m","input":"hi"}', MINIMAL)).text()).base;
    expect(none).toEqual({ steps: 0, sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" });
    const spaced = JSON.parse(await (await turn('{"model":"m","history":[ \n ],"input":"hi"}', MINIMAL)).text()).base;
    expect(spaced).toEqual({ steps: 0, sha256: await sha256Hex(" \n ") });
  });

  it("streamed: Preference-Applied on the response, turn.completed carries the minimal body, turn.step is unchanged", async () => {
    const turn = relayWithFixedReply();
    const body = '{"model":"m","history":[{"type":"user_input","content":[{"type":"text","text":"hi"}]}],"input":"again","stream":true}';
    const res = await turn(body, MINIMAL);
    expect(res.headers.get("preference-applied")).toBe("return=minimal");
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const completed = await bodyOf(res, true);
    const unary = await (await turn(body.replace(',"stream":true', ""), MINIMAL)).text();
    expect(completed).toBe(unary);
  });

  it("carries the attestation of the whole new transcript, the full body's own, which verifies next turn", async () => {
    const turn = relayWithFixedReply({ TRANSCRIPT_KEYS: "k1:0123456789abcdef0123456789abcdef-minimal", TRANSCRIPT_MODE: "require" });
    const body = '{"model":"m","input":"hi"}';
    const full = await (await turn(body)).text();
    const minimal = await (await turn(body, MINIMAL)).text();
    expect(memberText(minimal, "attestation")).toBe(memberText(full, "attestation"));
    const history = append(undefined, minimal);
    const next = await turn(
      `{"model":"m","history":${history},"attestation":${memberText(minimal, "attestation")},"input":"more"}`,
      MINIMAL,
    );
    const nextText = await next.text();
    expect(next.status, nextText).toBe(200);
    expect(JSON.parse(nextText).base).toEqual({ steps: 2, sha256: await sha256Hex(history.slice(1, -1)) });
  });

  it("leaves a refusal as it was: a problem, no Preference-Applied", async () => {
    const turn = relayWithFixedReply();
    const res = await turn('{"model":"m"}', MINIMAL);
    expect(res.status).toBe(400);
    expect(res.headers.get("preference-applied")).toBeNull();
  });

  it("lets a browser send Prefer and read Preference-Applied (CORS)", async () => {
    const relay = relayWithEmulator({ CORS_ORIGINS: "https://app.example" });
    const preflight = await relay.app.request(
      "/v1/turns",
      {
        method: "OPTIONS",
        headers: {
          origin: "https://app.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type,prefer",
        },
      },
      relay.env,
    );
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/prefer/i);
    const res = await relay.turn(
      { model: "gemini-3.5-flash", input: "hi" },
      { headers: { "content-type": "application/json", origin: "https://app.example", ...MINIMAL } },
    );
    await res.text();
    expect(res.headers.get("access-control-expose-headers")).toMatch(/Preference-Applied/i);
  });
});

/** JSON whitespace, odd but valid (no CR: SSE carries line breaks as LF, so the streamed property leaves CR out). */
const space = (withCr: boolean) => fc.constantFrom("", " ", "\n", "\t", "  \n\t ", ...(withCr ? ["\r\n"] : []));
/** A string's JSON spellings: as JSON.stringify writes it, or with every non-ASCII character and "/" escaped. */
const spelled = fc
  .tuple(fc.string({ unit: "binary", maxLength: 8 }), fc.boolean())
  .map(([text, escape]) =>
    escape
      ? JSON.stringify(text).replace(/[^\x20-\x7e]|\//g, (c) => (c === "/" ? "\\/" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`))
      : JSON.stringify(text),
  );
const number = fc.constantFrom("1.10", "12345678901234567890", "1e400", "-0", "0.5E-3", "7");

function step(withCr: boolean) {
  return fc
    .tuple(
      fc.constantFrom("user_input", "model_output"),
      spelled,
      number,
      fc.array(space(withCr), { minLength: 6, maxLength: 6 }),
      fc.boolean(),
    )
    .map(([type, text, n, [a, b, c, d, e, f], reversed]) =>
      reversed
        ? `{${a}"content"${b}:${c}[{"meta":{"n":${n}},"text":${text},${d}"type":"text"}]${e},"type":${f}"${type}"}`
        : `{${a}"type"${b}:${c}"${type}",${d}"content":[${e}{"type":"text","text":${text},"meta":{"n":${n}}}]${f}}`,
    );
}

/** A history array (or none), odd whitespace around and between its steps; and an input: text, or user_input steps. */
function turnCase(withCr: boolean) {
  const ws = space(withCr);
  return fc.record({
    history: fc.option(
      fc
        .tuple(fc.array(fc.tuple(ws, step(withCr), ws), { maxLength: 4 }), ws)
        .map(([items, tail]) => `[${items.map(([l, s, r]) => l + s + r).join(",")}${tail}]`),
      { nil: undefined },
    ),
    input: fc.oneof(
      spelled,
      fc
        .array(fc.tuple(ws, spelled), { minLength: 1, maxLength: 3 })
        .map(
          (texts) => `[${texts.map(([w, text]) => `${w}{"type":"user_input","content":[{"type":"text","text":${text}}]}${w}`).join(",")}]`,
        ),
    ),
  });
}

describe("the append rule, as a property", () => {
  for (const streamed of [false, true]) {
    it(`${streamed ? "streamed" : "unary"}: the sent history with the minimal response appended is the full response's history, byte for byte`, async () => {
      const turn = relayWithFixedReply();
      await fc.assert(
        fc.asyncProperty(turnCase(!streamed), async ({ history, input }) => {
          const body = `{"model":"m",${history === undefined ? "" : `"history":${history},`}"input":${input}${streamed ? ',"stream":true' : ""}}`;
          const full = await bodyOf(await turn(body), streamed);
          const minimal = await bodyOf(await turn(body, MINIMAL), streamed);
          expect(append(history, minimal)).toBe(memberText(full, "history"));
          const base = (JSON.parse(minimal) as { base: { steps: number; sha256: string } }).base;
          expect(base.sha256).toBe(await sha256Hex(history === undefined ? "" : history.slice(1, -1)));
          expect(base.steps).toBe(history === undefined ? 0 : (JSON.parse(history) as unknown[]).length);
        }),
        { numRuns: 60 },
      );
    });
  }
});

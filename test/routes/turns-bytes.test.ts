/**
 * Byte for byte, and closure: the caller's history reaches Gemini and comes back as sent, the
 * model's steps come back as Gemini sent them, and any transcript the relay returned is accepted
 * next turn, whatever step, block or delta types Gemini used.
 *
 * The emulator answers with values it serializes itself, so the replies here that must carry
 * bytes no JSON.stringify would write (20-digit integers, 1e400, duplicate keys, new step types)
 * come from a stand-in: the real SDK and the relay's adapter, over a fetch that answers with the
 * given bytes and records what it received.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/config";
import { parseSse, problemOf, relayOverFetch } from "../helpers";

interface Reply {
  status?: number;
  body: string;
  stream?: boolean;
}

/** A relay whose upstream answers each call with the next scripted bytes, recording each body it got. */
function relayWithReplies(replies: Reply[], bindings: Partial<Bindings> = {}) {
  const received: string[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    received.push(await request.text());
    const reply = replies.shift();
    if (!reply)
      return new Response('{"error":{"code":"api_error","message":"no scripted reply"}}', {
        status: 500,
        headers: { "content-type": "application/json" },
      });
    return new Response(reply.body, {
      status: reply.status ?? 200,
      headers: { "content-type": reply.stream ? "text/event-stream" : "application/json" },
    });
  };
  const { app, env } = relayOverFetch(fetch, bindings);
  const turn = (body: string | Uint8Array, path = "/v1/turns") =>
    Promise.resolve(app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body }, env));
  return { turn, received };
}

/** A unary interaction whose `steps` array is the given JSON text. */
const interaction = (steps: string, extra = "") =>
  `{"id":"v1_x","object":"interaction","status":"completed"${extra},"steps":${steps},"usage":{"total_tokens":3}}`;

/** An SSE body: each [event_type, data] as Gemini frames it (a data with line breaks on several `data:` lines). */
const sse = (...events: string[]) =>
  events
    .map(
      (data) =>
        `event: ${JSON.parse(data).event_type}\n${data
          .split("\n")
          .map((line) => `data: ${line}`)
          .join("\n")}\n\n`,
    )
    .join("") + "event: done\ndata: [DONE]\n\n";

/** The text of member `key` of the top-level object `json` (for comparing bytes, not values). */
function memberText(json: string, key: string): string {
  const start = json.indexOf(`"${key}":`);
  expect(start, `${key} in ${json.slice(0, 200)}`).toBeGreaterThanOrEqual(0);
  let depth = 0;
  let inString = false;
  for (let i = start + key.length + 3; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") {
      if (depth === 0) return json.slice(start + key.length + 3, i);
      if (--depth === 0) return json.slice(start + key.length + 3, i + 1);
    } else if (c === "," && depth === 0) return json.slice(start + key.length + 3, i);
  }
  return json.slice(start + key.length + 3);
}

const ODD_STEP =
  '{"type":"user_input","content":[{"type":"text","text":"order?","meta":{"order_id": 12345678901234567890, "price": 1.10, "q": 1e400, "z": -0, "2":"b","1":"a","d":1,"d":2}}]}';

describe("byte for byte", () => {
  it("sends the caller's history to Gemini and back exactly as written (numbers, spacing, key order, duplicate keys)", async () => {
    const relay = relayWithReplies([{ body: interaction('[{"type":"model_output","content":[{"type":"text","text":"ok"}]}]') }]);
    // Repeated keys only in the model's step: a caller's own step was new input once, refused then for one.
    const caller = ODD_STEP.replace(',"d":1,"d":2', "");
    const history = `[ ${caller} ,\n  {"type":"model_output","content":[{"type":"text","text":"\\u00e9t\\u00e9","meta":{"d":1,"d":2}}]},${caller}]`;
    const res = await relay.turn(`{"model":"m","history":${history},"input":"next"}`);
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const historyInner = history.slice(1, -1);
    expect(memberText(text, "history").startsWith(`[${historyInner},`)).toBe(true);
    expect(memberText(relay.received[0]!, "input").startsWith(`[${historyInner},`)).toBe(true);
    expect(JSON.parse(relay.received[0]!).store).toBe(false);
  });

  it("returns the model's steps exactly as Gemini sent them: a 20-digit id in a call's arguments is not rounded", async () => {
    const call = '{"type":"function_call","id":"c1","name":"refund","arguments":{"account": 98765432109876543210,"amount":1.10}}';
    const relay = relayWithReplies([{ body: interaction(`[${call}]`).replace('"completed"', '"requires_action"') }]);
    const res = await relay.turn('{"model":"m","tools":[{"type":"function","name":"refund"}],"input":"refund me"}');
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(memberText(text, "steps")).toBe(`[${call}]`);
    expect(memberText(text, "pending_calls")).toBe(`[${call}]`);
    expect(memberText(text, "history")).toBe(`[{"type":"user_input","content":[{"type":"text","text":"refund me"}]},${call}]`);
  });

  it("builds the new user_input step around the caller's own text bytes", async () => {
    const relay = relayWithReplies([{ body: interaction("[]") }]);
    const res = await relay.turn('{"model":"m","input":"caf\\u00e9 \\ud83d\\ude00"}');
    expect(res.status).toBe(200);
    expect(memberText(relay.received[0]!, "input")).toBe(
      '[{"type":"user_input","content":[{"type":"text","text":"caf\\u00e9 \\ud83d\\ude00"}]}]',
    );
  });

  it("forwards a drop-in body as sent, with store: false written in, and its reply as received", async () => {
    const reply = interaction('[{"type":"model_output","content":[{"type":"text","text":"n=12345678901234567890"}]}]');
    const relay = relayWithReplies([{ body: reply }]);
    // The drop-in input is the caller's to write: no repeated key (see "one reading").
    const step = ODD_STEP.replace(',"d":1,"d":2', "");
    const body = `{ "model":"m", "input":[${step}] }`;
    const res = await relay.turn(body, "/v1beta/interactions");
    expect(await res.text()).toBe(reply);
    expect(relay.received[0]).toBe(`{"store":false, "model":"m", "input":[${step}] }`);
  });

  it("refuses a repeated top-level key instead of guessing which one counts", async () => {
    const relay = relayWithReplies([]);
    const problem = await problemOf(await relay.turn('{"model":"m","input":"x","store":false,"store":true}'));
    expect(problem.status).toBe(400);
    expect(problem.errors?.[0]?.path).toBe("/store");
    expect(relay.received).toHaveLength(0);
  });

  it("refuses a body that is not valid UTF-8 rather than forwarding replacement characters", async () => {
    const relay = relayWithReplies([]);
    const bytes = new Uint8Array([...new TextEncoder().encode('{"model":"m","input":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}')]);
    const problem = await problemOf(await relay.turn(bytes));
    expect(problem.status).toBe(400);
    expect(problem.code).toBe("invalid_json");
    expect(relay.received).toHaveLength(0);
  });
});

describe("closure: the relay accepts every transcript it produced", () => {
  const typeName = fc.stringMatching(/^[a-z][a-z_]{0,12}$/);
  const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/).filter((k) => k !== "type");
  const value = fc.jsonValue({ maxDepth: 3 });
  /** Any step Gemini might send: any type string, any extra fields, nested unknown content, fields missing. */
  const anyStep = fc
    .tuple(typeName, fc.dictionary(key, value, { maxKeys: 4 }), fc.boolean())
    // Pretty-printed half the time: whitespace a re-serialization would drop must survive too.
    .map(([type, fields, pretty]) => JSON.stringify({ ...fields, type }, null, pretty ? 1 : undefined))
    .filter((text) => !/"(?:ur[il]|[a-z_]*ur[il][a-z_]*)":"(?:files|cachedContents|fileSearchStores)\//.test(text));
  // Function calls and their answers are integrity-checked; the generated types avoid them.
  const modelStep = anyStep.filter((text) => !/"type":"(?:user_input|function_call|function_result|thought)"/.test(text));

  it("accepts any unary reply's transcript next turn, and forwards it byte-identical", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(modelStep, { maxLength: 5 }), async (steps) => {
        const relay = relayWithReplies([{ body: interaction(`[${steps.join(",")}]`) }, { body: interaction("[]") }]);
        const first = await relay.turn('{"model":"m","input":"one"}');
        const firstText = await first.text();
        expect(first.status, firstText).toBe(200);
        const history = memberText(firstText, "history");
        expect(history).toBe(`[{"type":"user_input","content":[{"type":"text","text":"one"}]}${steps.map((s) => `,${s}`).join("")}]`);
        const second = await relay.turn(`{"model":"m","history":${history},"input":"two"}`);
        expect(second.status, await second.clone().text()).toBe(200);
        expect(memberText(relay.received[1]!, "input").startsWith(history.slice(0, -1))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("accepts any streamed reply's transcript next turn, and turn.completed equals the unary answer", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(modelStep, { maxLength: 4 }), async (pretty) => {
        // An SSE data line holds one line of JSON, as Gemini sends it.
        const steps = pretty.map((step) => JSON.stringify(JSON.parse(step)));
        const events = steps.flatMap((step, index) => [
          `{"event_type":"step.start","index":${index},"step":${step}}`,
          `{"event_type":"step.stop","index":${index}}`,
        ]);
        const streamBody = sse(
          '{"event_type":"interaction.created","interaction":{"id":"v1_x","status":"in_progress"}}',
          ...events,
          '{"event_type":"interaction.completed","interaction":{"id":"v1_x","status":"completed","usage":{"total_tokens":3}}}',
        );
        const relay = relayWithReplies([
          { body: streamBody, stream: true },
          { body: interaction(`[${steps.join(",")}]`) },
          { body: interaction("[]") },
        ]);
        const streamed = parseSse(await (await relay.turn('{"model":"m","input":"one","stream":true}')).text()).events;
        const completed = streamed.at(-1)!;
        expect(completed.event, completed.data).toBe("turn.completed");
        const unary = await (await relay.turn('{"model":"m","input":"one"}')).text();
        expect(completed.data).toBe(unary);
        const next = await relay.turn(`{"model":"m","history":${memberText(completed.data, "history")},"input":"two"}`);
        expect(next.status).toBe(200);
      }),
      { numRuns: 30 },
    );
  });

  it("accepts history shapes the relay's schemas never listed (each refused before: 400 or 422)", async () => {
    const shapes = [
      '{"type":"hologram_output","frames":[{"t":0}]}',
      '{"type":"model_output","content":[{"type":"hologram","data":"AA=="}]}',
      '{"type":"model_output","content":[{"type":"text","text":"x","annotations":[{"start_index":0}]}]}',
      '{"type":"google_search_result","call_id":"s1"}',
      '{"type":"code_execution_result","call_id":"e1"}',
      '{"type":"url_context_result","call_id":"u1"}',
      '{"type":"google_maps_result","call_id":"g1"}',
      '{"type":"google_search_call","id":"s1"}',
      '{"type":"model_output","content":[{"type":"text"}]}',
    ];
    for (const shape of shapes) {
      const relay = relayWithReplies([{ body: interaction("[]") }]);
      const res = await relay.turn(
        `{"model":"m","history":[{"type":"user_input","content":[{"type":"text","text":"q"}]},${shape}],"input":"next"}`,
      );
      expect(res.status, `${shape}: ${await res.clone().text()}`).toBe(200);
      expect(relay.received[0]).toContain(shape);
    }
  });

  it("carries computer_use conversations: predefined actions come back as function_call steps the request never declared", async () => {
    const relay = relayWithReplies([{ body: interaction("[]") }]);
    const history =
      '[{"type":"user_input","content":[{"type":"text","text":"open the page"}]},{"type":"thought","signature":"sig"},{"type":"function_call","id":"a1","name":"click_at","arguments":{"x":10,"y":20}}]';
    const res = await relay.turn(
      `{"model":"m","tools":[{"type":"computer_use","environment":"browser"}],"history":${history},"input":[{"type":"function_result","call_id":"a1","name":"click_at","result":"ok"}]}`,
    );
    expect(res.status, await res.clone().text()).toBe(200);
  });
});

describe("streamed steps rebuilt from shapes the relay does not know", () => {
  const streamOf = (...events: string[]) =>
    sse(...events, '{"event_type":"interaction.completed","interaction":{"id":"v1_x","status":"completed"}}');
  async function completedSteps(events: string[]): Promise<unknown[]> {
    const relay = relayWithReplies([{ body: streamOf(...events), stream: true }]);
    const parsed = parseSse(await (await relay.turn('{"model":"m","input":"q","stream":true}')).text()).events;
    const last = parsed.at(-1)!;
    expect(last.event, last.data).toBe("turn.completed");
    return JSON.parse(last.data).steps;
  }

  it("a thought_summary delta without content adds nothing (it made summary: [null] before)", async () => {
    const steps = await completedSteps([
      '{"event_type":"step.start","index":0,"step":{"type":"thought","signature":"s"}}',
      '{"event_type":"step.delta","index":0,"delta":{"type":"thought_summary"}}',
      '{"event_type":"step.stop","index":0}',
    ]);
    expect(steps).toEqual([{ type: "thought", signature: "s" }]);
  });

  it("a thought_signature delta without a signature keeps the one step.start carried", async () => {
    const steps = await completedSteps([
      '{"event_type":"step.start","index":0,"step":{"type":"thought","signature":"from-start"}}',
      '{"event_type":"step.delta","index":0,"delta":{"type":"thought_signature"}}',
      '{"event_type":"step.stop","index":0}',
    ]);
    expect(steps).toEqual([{ type: "thought", signature: "from-start" }]);
  });

  it("uses the steps of interaction.completed when no step events built them (they came back as [] before)", async () => {
    const relay = relayWithReplies([
      {
        body: sse(
          '{"event_type":"interaction.completed","interaction":{"id":"v1_x","status":"completed","steps":[{"type":"model_output","content":[{"type":"text","text":"n=12345678901234567890"}]}]}}',
        ),
        stream: true,
      },
    ]);
    const last = parseSse(await (await relay.turn('{"model":"m","input":"q","stream":true}')).text()).events.at(-1)!;
    expect(memberText(last.data, "steps")).toBe('[{"type":"model_output","content":[{"type":"text","text":"n=12345678901234567890"}]}]');
  });

  it("an unknown delta becomes a content block of its type (it was merged into the step's fields before)", async () => {
    const steps = await completedSteps([
      '{"event_type":"step.start","index":0,"step":{"type":"model_output"}}',
      '{"event_type":"step.delta","index":0,"delta":{"type":"text","text":"a"}}',
      '{"event_type":"step.delta","index":0,"delta":{"type":"hologram","frames":[1,2]}}',
      '{"event_type":"step.stop","index":0}',
    ]);
    expect(steps).toEqual([
      {
        type: "model_output",
        content: [
          { type: "text", text: "a" },
          { type: "hologram", frames: [1, 2] },
        ],
      },
    ]);
  });

  it("a delta of the step's own type sets its fields, keeping their bytes (server tool results)", async () => {
    const relay = relayWithReplies([
      {
        body: streamOf(
          '{"event_type":"step.start","index":0,"step":{"type":"google_search_result","call_id":"s1"}}',
          '{"event_type":"step.delta","index":0,"delta":{"type":"google_search_result","result":[{"rank": 12345678901234567890}]}}',
          '{"event_type":"step.stop","index":0}',
        ),
        stream: true,
      },
    ]);
    const last = parseSse(await (await relay.turn('{"model":"m","input":"q","stream":true}')).text()).events.at(-1)!;
    expect(memberText(last.data, "steps")).toBe(
      '[{"type":"google_search_result","call_id":"s1","result":[{"rank": 12345678901234567890}]}]',
    );
  });

  it("function-call argument fragments are placed as one text, numbers intact", async () => {
    const relay = relayWithReplies([
      {
        body: streamOf(
          '{"event_type":"step.start","index":0,"step":{"type":"function_call","id":"c1","name":"refund"}}',
          '{"event_type":"step.delta","index":0,"delta":{"type":"arguments_delta","arguments":"{\\"account\\": 987654321"}}',
          '{"event_type":"step.delta","index":0,"delta":{"type":"arguments_delta","arguments":"09876543210}"}}',
          '{"event_type":"step.stop","index":0}',
        ),
        stream: true,
      },
    ]);
    const last = parseSse(
      await (await relay.turn('{"model":"m","tools":[{"type":"function","name":"refund"}],"input":"q","stream":true}')).text(),
    ).events.at(-1)!;
    expect(memberText(last.data, "steps")).toBe(
      '[{"type":"function_call","id":"c1","name":"refund","arguments":{"account": 98765432109876543210}}]',
    );
  });
});

describe("what the caller is told", () => {
  it("a failed interaction is a 502 turn_failed carrying Gemini's errors (it was a 200 with the errors dropped)", async () => {
    const relay = relayWithReplies([
      { body: '{"id":"v1_x","status":"failed","steps":[],"errors":[{"code":"internal","message":"the model crashed"}]}' },
    ]);
    const problem = await problemOf(await relay.turn('{"model":"m","input":"q"}'));
    expect(problem.status).toBe(502);
    expect(problem.code).toBe("turn_failed");
    expect(problem.interaction_status).toBe("failed");
    expect(problem.interaction_errors).toEqual([{ code: "internal", message: "the model crashed" }]);
    expect(problem.detail).toContain("the model crashed");
  });

  it("forwards the request fields of the SDK 3.x types (they were refused as unknown_field)", async () => {
    const relay = relayWithReplies([{ body: interaction("[]") }]);
    const fields =
      '"service_tier":"flex","response_modalities":["text"],"response_mime_type":"application/json","labels":{"team":"support"}';
    const res = await relay.turn(`{"model":"m","input":"q",${fields}}`);
    expect(res.status, await res.clone().text()).toBe(200);
    for (const field of fields.split(/,(?=")/)) expect(relay.received[0]).toContain(field);
  });

  it("refuses a field it does not know, naming the setting that lets it through; with the setting it is forwarded as sent", async () => {
    const refused = await problemOf(await relayWithReplies([]).turn('{"model":"m","input":"q","new_knob":{"a":1}}'));
    expect(refused.code).toBe("unknown_field");
    expect(refused.errors?.[0]).toEqual({ path: "/new_knob", message: expect.stringContaining("PASSTHROUGH_FIELDS=new_knob") });
    const relay = relayWithReplies([{ body: interaction("[]") }], { PASSTHROUGH_FIELDS: "new_knob" });
    expect((await relay.turn('{"model":"m","input":"q","new_knob":{"a": 1.10}}')).status).toBe(200);
    expect(relay.received[0]).toContain('"new_knob":{"a": 1.10}');
  });

  it("finds a stored-resource reference at any depth, in a block type it does not know", async () => {
    const relay = relayWithReplies([]);
    const problem = await problemOf(
      await relay.turn(
        '{"model":"m","history":[{"type":"user_input","content":[{"type":"text","text":"q"},{"type":"future_block","deep":{"blocks":[{"file_uri":"files/abc123"}]}}]}],"input":"next"}',
      ),
    );
    expect(problem.code).toBe("retention_refused");
    expect(problem.errors?.[0]?.path).toBe("/history/0/content/1/deep/blocks/0/file_uri");
    expect(relay.received).toHaveLength(0);
  });
});

describe("one reading: a key the relay or Gemini reads appears once", () => {
  const TWO_TYPES = '{"type":"model_output","content":[{"type":"text","text":"I agree to refund"}],"type":"user_input"}';

  it("refuses a step whose type appears twice, in history and in input, on both routes (it was read as the last)", async () => {
    const relay = relayWithReplies([]);
    for (const [body, path] of [
      [`{"model":"m","history":[${TWO_TYPES}],"input":"go on"}`, "/history/0/type"],
      [`{"model":"m","input":[${TWO_TYPES}]}`, "/input/0/type"],
    ]) {
      const problem = await problemOf(await relay.turn(body!));
      expect(problem.status, body).toBe(400);
      expect(problem.errors?.[0]?.path).toBe(path);
    }
    const dropIn = await relay.turn(`{"model":"m","input":[${TWO_TYPES}]}`, "/v1beta/interactions");
    expect(dropIn.status).toBe(400);
    expect(((await dropIn.json()) as { error: { message: string } }).error.message).toMatch(/\/input\/0\/type/);
    const block = await relay.turn('{"model":"m","input":[{"type":"text","text":{"not":"a string"},"text":"fine"}]}');
    expect((await problemOf(block)).errors?.[0]?.path).toBe("/input/0/text");
    expect(relay.received).toHaveLength(0);
  });

  it("carries repeated keys inside function arguments in history to Gemini and back, byte for byte", async () => {
    const call = '{"type":"function_call","id":"c1","name":"f","arguments":{"q":"a","q":"b","n":1.10}}';
    const result = '{"type":"function_result","call_id":"c1","name":"f","result":{"ok":true}}';
    const history = `[{"type":"user_input","content":[{"type":"text","text":"go"}]},${call},${result}]`;
    const relay = relayWithReplies([{ body: interaction('[{"type":"model_output","content":[{"type":"text","text":"done"}]}]') }]);
    const res = await relay.turn(`{"model":"m","tools":[{"type":"function","name":"f"}],"history":${history}}`);
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(memberText(relay.received[0]!, "input")).toBe(history);
    expect(memberText(text, "history").startsWith(history.slice(0, -1))).toBe(true);
  });

  it("refuses a key repeated anywhere in a caller-authored history step, which the retention guard would read as the last", async () => {
    const relay = relayWithReplies([]);
    const hidden = '{"type":"weird","inner":{"type":"image","uri":"files/abc","uri":"https://example.com/ok.png"}}';
    const res = await relay.turn(`{"model":"m","history":[{"type":"user_input","content":[${hidden}]}],"input":"next"}`);
    const problem = await problemOf(res);
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual([{ path: "/history/0/content/0/inner/uri", message: "appears more than once in its object" }]);
    expect(relay.received).toHaveLength(0);
  });

  it("reads a caller step's keys as JSON does: an escaped spelling repeats a key, colons in keys, strings and escapes do not", async () => {
    const relay = relayWithReplies([{ body: interaction('[{"type":"model_output","content":[{"type":"text","text":"ok"}]}]') }]);
    // Spaced, with colons and an escaped colon in strings and keys, nested lists: no key repeats.
    const clean =
      '{ "type" : "function_result" , "call_id":"c1", "result" : { "a:b" : "c:d\\u003a" , "\\u003a" : [ {"k" : 1} , {"k" : 2} ] } }';
    const call = '{"type":"function_call","id":"c1","name":"f","arguments":{}}';
    const tools = ',"tools":[{"type":"function","name":"f"}]';
    const ok = await relay.turn(`{"model":"m","history":[{"type":"user_input","content":[]},${call},${clean}],"input":"next"${tools}}`);
    expect(ok.status).toBe(200);
    expect(relay.received[0]).toContain(clean);
    // `"\u0072"` is `r`: the same key twice, however it is spelled.
    const escaped = '{"type":"function_result","call_id":"c1","result":{"r":1, "\\u0072" : 2}}';
    const refused = await problemOf(
      await relay.turn(`{"model":"m","history":[{"type":"user_input","content":[]},${call},${escaped}],"input":"next"${tools}}`),
    );
    expect(refused.status).toBe(400);
    expect(refused.errors).toEqual([{ path: "/history/2/result/r", message: "appears more than once in its object" }]);
  });

  it("fails the turn (502) when Gemini's reply has a step whose type appears twice, rather than passing it on", async () => {
    const relay = relayWithReplies([
      { body: interaction(`[${TWO_TYPES}]`) },
      {
        body: sse(
          `{"event_type":"step.start","index":0,"step":${TWO_TYPES}}`,
          '{"event_type":"step.stop","index":0}',
          '{"event_type":"interaction.completed","interaction":{"id":"v1_x","status":"completed"}}',
        ),
        stream: true,
      },
    ]);
    const unary = await problemOf(await relay.turn('{"model":"m","input":"hi"}'));
    expect(unary.status).toBe(502);
    expect(unary.code).toBe("upstream_unavailable");
    expect(unary.detail).toMatch(/`type` appears twice/);
    const events = parseSse(await (await relay.turn('{"model":"m","input":"hi","stream":true}')).text()).events;
    expect(events.at(-1)!.event).toBe("turn.error");
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ status: 502, code: "upstream_unavailable" });
    expect(events.some((e) => e.event === "turn.step")).toBe(false);
  });
});

describe("depth: a reply step is read to the depth a history step may have", () => {
  /** A model step that nests `levels` deep, counting itself as 1 (structured output, tool arguments). */
  const deepStep = (levels: number) => `{"type":"model_output","x":${"[".repeat(levels - 1)}${"]".repeat(levels - 1)}}`;

  it("a 62-deep step (MAX_JSON_DEPTH 64, less the body and history around it) comes back and is accepted next turn, unary and streamed", async () => {
    const step = deepStep(62);
    const relay = relayWithReplies([
      { body: interaction(`[${step}]`) },
      { body: interaction("[]") },
      {
        body: sse(
          `{"event_type":"step.start","index":0,"step":${step}}`,
          '{"event_type":"step.stop","index":0}',
          '{"event_type":"interaction.completed","interaction":{"id":"v1_x","status":"completed"}}',
        ),
        stream: true,
      },
      { body: interaction("[]") },
    ]);
    const first = await relay.turn('{"model":"m","input":"deep"}');
    const history = memberText(await first.text(), "history");
    expect(history).toContain(step);
    expect((await relay.turn(`{"model":"m","history":${history},"input":"next"}`)).status).toBe(200);
    const completed = parseSse(await (await relay.turn('{"model":"m","input":"deep","stream":true}')).text()).events.at(-1)!;
    expect(completed.event).toBe("turn.completed");
    const next = await relay.turn(`{"model":"m","history":${memberText(completed.data, "history")},"input":"next"}`);
    expect(next.status).toBe(200);
  });

  it("a step one level deeper fails the turn that received it (502), instead of a 400 too_deep on the next one", async () => {
    const step = deepStep(63);
    const relay = relayWithReplies([
      { body: interaction(`[${step}]`) },
      {
        body: sse(`{"event_type":"step.start","index":0,"step":${step}}`, '{"event_type":"step.stop","index":0}'),
        stream: true,
      },
    ]);
    const problem = await problemOf(await relay.turn('{"model":"m","input":"deep"}'));
    expect(problem.status).toBe(502);
    expect(problem.detail).toMatch(/MAX_JSON_DEPTH 64/);
    const events = parseSse(await (await relay.turn('{"model":"m","input":"deep","stream":true}')).text()).events;
    expect(events.at(-1)!.event).toBe("turn.error");
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ status: 502 });
    // The same step, sent as history, is what the relay refuses: that is why it is never returned.
    const refused = await problemOf(await relay.turn(`{"model":"m","history":[${step}],"input":"next"}`));
    expect(refused.code).toBe("too_deep");
  });

  it("holds replies to the operator's MAX_JSON_DEPTH", async () => {
    const replies = [`[${deepStep(7)}]`, `[${deepStep(6)}]`, "[]"].map((steps) => ({ body: interaction(steps) }));
    const relay = relayWithReplies(replies, { MAX_JSON_DEPTH: "8" });
    expect((await relay.turn('{"model":"m","input":"a"}')).status).toBe(502);
    const ok = await relay.turn('{"model":"m","input":"a"}');
    const history = memberText(await ok.text(), "history");
    expect(ok.status).toBe(200);
    expect((await relay.turn(`{"model":"m","history":${history},"input":"b"}`)).status).toBe(200);
  });
});

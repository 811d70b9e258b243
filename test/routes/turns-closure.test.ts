// Closure: the relay never refuses, on turn N+1, a model-authored step it returned on turn N. The
// retention guard looks only where Gemini fetches (media and document URIs), warns on the reply
// that carries a stored-resource reference, and forwards that step next turn; every spelling of a
// stored resource, and the camelCase aliases of refused fields, are refused in what the caller writes.
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import type { Bindings } from "../../src/config";
import type { ProblemDetails } from "../../src/errors";
import type { StepValue, TurnResponse } from "../../src/schemas";
import { geminiUpstream } from "../../src/upstream/gemini";
import { TEST_KEY, parseSse, problemOf, relayWithEmulator } from "../helpers";

const MODEL = "gemini-3.5-flash";
const tools = [{ type: "function", name: "read_document", description: "Read a document", parameters: { type: "object" } }];
const call = { type: "function_call", id: "rd01", name: "read_document", arguments: { uri: "files/report.pdf" } };
const answer = { type: "function_result", call_id: "rd01", name: "read_document", result: "Q3 revenue rose 4%." };
const cited = {
  type: "model_output",
  content: [
    {
      type: "text",
      text: "Revenue rose 4%.",
      annotations: [{ type: "url_citation", url: "files/notes.txt", title: "notes", start_index: 0, end_index: 16 }],
    },
  ],
};
const clip = { type: "model_output", content: [{ type: "video", uri: "files/clip-7", mime_type: "video/mp4" }] };

/** Turn N (scripted to answer `reply`), then turn N+1 sending its history back with `next`; both unary or both streamed. */
async function twoTurns(reply: StepValue[], next: StepValue[] | string, stream: boolean) {
  const relay = relayWithEmulator();
  relay.emulator.script(MODEL, { steps: reply });
  const send = async (body: Record<string, unknown>) => {
    const res = await relay.turn({ ...body, stream });
    const text = await res.text();
    if (!stream || res.status !== 200) return { res, text };
    const last = parseSse(text).events.at(-1)!;
    expect(last.event).toBe("turn.completed");
    return { res, text: last.data };
  };
  const first = await send({ model: MODEL, tools, input: "Summarise the quarterly report." });
  expect(first.res.status).toBe(200);
  const n = JSON.parse(first.text) as TurnResponse;
  const second = await send({ model: MODEL, tools, history: n.history, input: next });
  return { relay, n, second };
}

describe("closure of the retention guard on /v1/turns", () => {
  for (const stream of [false, true]) {
    const how = stream ? "streamed" : "unary";

    it(`accepts next turn a tool call whose arguments name a Files API upload (${how})`, async () => {
      const { n, second } = await twoTurns([call], [answer], stream);
      expect(n.steps).toEqual([call]);
      expect(n.warnings).toBeUndefined();
      expect(second.res.status).toBe(200);
      expect(second.res.headers.get("relay-retention")).toBe("relay=none; upstream-store=false; grounding=none");
    });

    it(`accepts next turn a citation whose url names a Files API upload (${how})`, async () => {
      const { n, second } = await twoTurns([cited], "And Q4?", stream);
      expect(n.steps).toEqual([cited]);
      expect(n.warnings).toBeUndefined();
      expect(second.res.status).toBe(200);
    });

    it(`warns on a reply whose video names a Files API upload, and forwards it next turn, reported (${how})`, async () => {
      const { relay, n, second } = await twoTurns([clip], "Make it shorter.", stream);
      expect(n.warnings).toEqual([
        { code: "stored_resource_in_reply", path: "/history/1/content/0/uri", message: expect.stringMatching(/not refused/) },
      ]);
      expect(n.history[1]).toEqual(clip);
      expect(second.res.status).toBe(200);
      expect(second.res.headers.get("relay-retention")).toContain("stored-resources=files");
      expect((JSON.parse(second.text) as TurnResponse).warnings).toBeUndefined();
      expect(relay.creates().at(-1)?.input).toContainEqual(clip);
    });
  }

  it("keeps refusing the same reference in the caller's own steps", async () => {
    const relay = relayWithEmulator();
    const p = await problemOf(await relay.turn({ model: MODEL, input: [{ type: "user_input", content: clip.content }] }));
    expect(p.code).toBe("retention_refused");
    expect(p.errors?.map((e) => e.path)).toEqual(["/input/0/content/0/uri"]);
    expect(relay.emulator.requests).toHaveLength(0);
  });
});

describe("stored-resource spellings in what the caller writes", () => {
  const spellings = [
    "HTTPS://GENERATIVELANGUAGE.GOOGLEAPIS.COM/v1beta/files/abc",
    "https://generativelanguage.googleapis.com:443/v1beta/files/abc",
    "https://generativelanguage.googleapis.com/upload/v1beta/files/abc",
    "files/abc/",
  ];
  for (const uri of spellings) {
    it(`refuses ${uri} in new input and in the caller's history`, async () => {
      const relay = relayWithEmulator();
      const block = { type: "document", uri, mime_type: "application/pdf" };
      const inInput = await problemOf(await relay.turn({ model: MODEL, input: [{ type: "text", text: "Summarise" }, block] }));
      expect(inInput.code).toBe("retention_refused");
      expect(inInput.errors?.map((e) => e.path)).toEqual(["/input/1/uri"]);
      const history = [
        { type: "user_input", content: [block] },
        { type: "model_output", content: [{ type: "text", text: "Done." }] },
      ];
      const inHistory = await problemOf(await relay.turn({ model: MODEL, history, input: "More" }));
      expect(inHistory.errors?.map((e) => e.path)).toEqual(["/history/0/content/0/uri"]);
      expect(relay.emulator.requests).toHaveLength(0);
    });
  }

  it("refuses the strings of a URI list in a block type the relay does not know", async () => {
    const relay = relayWithEmulator();
    const history = [
      { type: "user_input", content: [{ type: "hologram", uris: ["https://example.com/a", "files/abc"] }] },
      { type: "model_output", content: [{ type: "text", text: "Seen." }] },
    ];
    const p = await problemOf(await relay.turn({ model: MODEL, history, input: "Again" }));
    expect(p.code).toBe("retention_refused");
    expect(p.errors?.map((e) => e.path)).toEqual(["/history/0/content/0/uris/1"]);
  });
});

describe("camelCase aliases of refused fields", () => {
  const aliases = { previousInteractionId: "v1_abc", cachedContent: "cachedContents/c1", webhookConfig: {}, agentConfig: {} };

  it("are refused on the drop-in route before anything reaches Gemini", async () => {
    const relay = relayWithEmulator();
    for (const [field, value] of Object.entries(aliases)) {
      const res = await relay.app.request(
        "/v1beta/interactions",
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: MODEL, input: "hi", [field]: value }),
        },
        relay.env,
      );
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: "invalid_request", message: expect.stringContaining(field) } });
    }
    expect(relay.emulator.requests).toHaveLength(0);
  });

  it("are refused on /v1/turns with the retention reason, not as unknown fields", async () => {
    const relay = relayWithEmulator();
    const p = await problemOf(await relay.turn({ model: MODEL, input: "hi", ...aliases }));
    expect(p.code).toBe("retention_refused");
    expect(p.errors?.map((e) => e.path)).toEqual(["/previousInteractionId", "/agentConfig", "/cachedContent", "/webhookConfig"]);
  });
});

/**
 * A relay whose turns are all unary or all streamed: `send` returns the status and, for a 200, the
 * turn's body (turn.completed's data when streamed); a streamed turn that failed after it began
 * gives turn.error's problem instead.
 */
function turnsOf(bindings: Partial<Bindings>, stream: boolean) {
  const relay = relayWithEmulator(bindings);
  const send = async (body: Record<string, unknown>) => {
    const res = await relay.turn({ ...body, stream });
    if (!stream || res.status !== 200) return { status: res.status, body: (await res.json()) as TurnResponse & ProblemDetails };
    const last = parseSse(await res.text()).events.at(-1)!;
    const parsed = JSON.parse(last.data) as TurnResponse & ProblemDetails;
    return { status: last.event === "turn.completed" ? 200 : parsed.status, body: parsed };
  };
  return { relay, send };
}

const REQUIRE = { TRANSCRIPT_KEYS: `k1:${"1".repeat(40)}`, TRANSCRIPT_MODE: "require" };
const lookup = (id: string) => ({ type: "function_call", id, name: "read_document", arguments: { page: 1 } });
const answerTo = (id: string) => ({ type: "function_result", call_id: id, name: "read_document", result: "Page one." });
const said = (text: string) => ({ type: "model_output", content: [{ type: "text", text }] });

describe("closure of the integrity check: call ids the model reuses", () => {
  for (const stream of [false, true]) {
    for (const [mode, bindings] of [
      ["no keys", {}],
      ["TRANSCRIPT_KEYS require", REQUIRE],
    ] as const) {
      const how = `${stream ? "streamed" : "unary"}, ${mode}`;

      it(`keeps a conversation going when the model calls again with an id it used on an earlier turn (${how})`, async () => {
        const { relay, send } = turnsOf(bindings, stream);
        relay.emulator.script(MODEL, { steps: [lookup("c1")] }, { steps: [said("Read it.")] });
        relay.emulator.script(MODEL, { steps: [lookup("c1")] }, { steps: [said("Read it again.")] });
        const t1 = await send({ model: MODEL, tools, input: "Read page one." });
        const t2 = await send({ model: MODEL, tools, history: t1.body.history, attestation: t1.body.attestation, input: [answerTo("c1")] });
        expect(t2.status).toBe(200);
        const t3 = await send({ model: MODEL, tools, history: t2.body.history, attestation: t2.body.attestation, input: "Once more." });
        expect(t3.status).toBe(200);
        expect(t3.body.pending_calls).toEqual([lookup("c1")]);
        const t4 = await send({ model: MODEL, tools, history: t3.body.history, attestation: t3.body.attestation, input: [answerTo("c1")] });
        expect(t4.status).toBe(200);
        expect(t4.body.steps).toEqual([said("Read it again.")]);
      });

      it(`answers two calls with one id in one reply, each once (${how})`, async () => {
        const { relay, send } = turnsOf(bindings, stream);
        relay.emulator.script(MODEL, { steps: [lookup("c1"), lookup("c1")] }, { steps: [said("Both read.")] });
        const t1 = await send({ model: MODEL, tools, input: "Read page one twice." });
        expect(t1.body.pending_calls).toEqual([lookup("c1"), lookup("c1")]);
        const t2 = await send({
          model: MODEL,
          tools,
          history: t1.body.history,
          attestation: t1.body.attestation,
          input: [answerTo("c1"), answerTo("c1")],
        });
        expect(t2.status).toBe(200);
        expect(t2.body.pending_calls).toEqual([]);
      });
    }
  }
});

describe("closure for steps of the caller's types in a reply", () => {
  for (const stream of [false, true]) {
    const how = stream ? "streamed" : "unary";

    it(`drops a function_result an upstream echoes before the model's steps, so next turn is accepted (${how})`, async () => {
      const { relay, send } = turnsOf({}, stream);
      relay.emulator.script(MODEL, { steps: [lookup("c1")] }, { steps: [answerTo("c1"), said("Read it.")] });
      relay.emulator.script(MODEL, { steps: [said("Goodbye.")] });
      const t1 = await send({ model: MODEL, tools, input: "Read page one." });
      const t2 = await send({ model: MODEL, tools, history: t1.body.history, input: [answerTo("c1")] });
      expect(t2.status).toBe(200);
      expect(t2.body.steps).toEqual([said("Read it.")]);
      expect(t2.body.history).toEqual([...t1.body.history, answerTo("c1"), said("Read it.")]);
      const t3 = await send({ model: MODEL, tools, history: t2.body.history, input: "Thanks." });
      expect(t3.status).toBe(200);
    });

    it(`fails the turn (502) rather than return a user_input among the model's steps that next turn would refuse (${how})`, async () => {
      const { relay, send } = turnsOf({}, stream);
      const pasted = { type: "user_input", content: [{ type: "image", mime_type: "image/png", uri: "files/abc" }] };
      relay.emulator.script(MODEL, { steps: [said("a"), pasted, said("b")] });
      const t1 = await send({ model: MODEL, input: "Describe it." });
      expect(t1.status).toBe(502);
      expect(t1.body.code).toBe("upstream_unavailable");
      expect(t1.body.detail).toMatch(/"user_input" step.*\/history\/2\/content\/0\/uri.*resource stored at Google/);
      expect(t1.body.errors).toEqual([{ path: "/history/2/content/0/uri", message: expect.stringMatching(/retention guard refuses/) }]);
    });

    it(`returns a user_input among the model's steps that next turn accepts, without a warning (${how})`, async () => {
      const { relay, send } = turnsOf({}, stream);
      const pasted = { type: "user_input", content: [{ type: "text", text: "(pasted)" }] };
      relay.emulator.script(MODEL, { steps: [said("a"), pasted, said("b")] });
      const t1 = await send({ model: MODEL, input: "Describe it." });
      expect(t1.status).toBe(200);
      expect(t1.body.warnings).toBeUndefined();
      expect((await send({ model: MODEL, history: t1.body.history, input: "Go on." })).status).toBe(200);
    });

    it(`fails the turn (502) rather than return a function_result among the model's steps that answers nothing (${how})`, async () => {
      const { relay, send } = turnsOf({}, stream);
      relay.emulator.script(MODEL, { steps: [said("a"), answerTo("zz"), said("b")] });
      const t1 = await send({ model: MODEL, tools, input: "Go." });
      expect(t1.status).toBe(502);
      expect(t1.body.errors).toEqual([{ path: "/history/2/call_id", message: expect.stringMatching(/no earlier function_call/) }]);
    });
  }
});

describe("an echo before the model's steps, when interaction.completed carries the steps too", () => {
  // The emulator's interaction.completed carries no steps; Google's may, indexed as the step events are.
  const echo = '{"type":"user_input","content":[{"type":"text","text":"Hi."}]}';
  const done = '{"type":"model_output","content":[{"type":"text","text":"Hello."}]}';
  const interaction = `{"id":"v1_e","status":"completed","steps":[${echo},${done}]}`;
  const sse = [
    `{"index":0,"step":${echo},"event_type":"step.start"}`,
    '{"index":0,"event_type":"step.stop"}',
    `{"index":1,"step":${done},"event_type":"step.start"}`,
    '{"index":1,"event_type":"step.stop"}',
    `{"interaction":${interaction},"event_type":"interaction.completed"}`,
  ]
    .map((data) => `event: ${JSON.parse(data).event_type}\ndata: ${data}\n\n`)
    .join("");

  it("streamed, returns the model's steps once, as the unary turn does", async () => {
    const replies = [interaction, sse];
    const fetch = async () =>
      new Response(replies.shift(), { headers: { "content-type": replies.length === 0 ? "text/event-stream" : "application/json" } });
    const app = createApp({ makeUpstream: (config) => geminiUpstream(config, { fetch }) });
    const env: Bindings = { GEMINI_API_KEY: TEST_KEY, GEMINI_BASE_URL: "http://gemini.test", AUTH_MODE: "none", UPSTREAM_MAX_RETRIES: "0" };
    const send = (stream: boolean) =>
      app.request(
        "/v1/turns",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: MODEL, input: "Hi.", stream }) },
        env,
      );
    const unary = await (await send(false)).text();
    const streamed = parseSse(await (await send(true)).text()).events.at(-1)!;
    expect(streamed.event).toBe("turn.completed");
    expect(streamed.data).toBe(unary);
    expect((JSON.parse(unary) as TurnResponse).steps).toEqual([JSON.parse(done)]);
  });
});

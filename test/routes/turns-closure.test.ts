// Closure: the relay never refuses, on turn N+1, a model-authored step it returned on turn N. The
// retention guard looks only where Gemini fetches (media and document URIs), warns on the reply
// that carries a stored-resource reference, and forwards that step next turn; every spelling of a
// stored resource, and the camelCase aliases of refused fields, are refused in what the caller writes.
import { describe, expect, it } from "vitest";
import type { StepValue, TurnResponse } from "../../src/schemas";
import { parseSse, problemOf, relayWithEmulator } from "../helpers";

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

// The key stays home, on both routes, unary and streamed: the upstream call never follows a redirect,
// and no upstream answer that reaches a caller (bodies, forwarded SSE events) carries the key.
import { describe, expect, it } from "vitest";
import { relayWithEmulator, TEST_KEY } from "../helpers";
import { redirectingNetwork } from "../upstream/hostile-network";

const MODEL = "gemini-3.5-flash";
const ROUTES = { "/v1/turns": "/v1/turns", "the drop-in route": "/v1beta/interactions" };

function post(relay: ReturnType<typeof relayWithEmulator>, path: string, body: unknown): Promise<Response> {
  return Promise.resolve(
    relay.app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, relay.env),
  );
}

for (const [route, path] of Object.entries(ROUTES)) {
  for (const stream of [false, true]) {
    const mode = stream ? "streamed" : "unary";

    describe(`${route}, ${mode}`, () => {
      for (const status of [302, 307]) {
        it(`answers an upstream ${status} with a 502 that says so, and never contacts the other origin`, async () => {
          const network = redirectingNetwork(status);
          const res = await network.relay().post(path, { model: MODEL, input: "my secret plans", stream });
          const text = await res.text();
          expect(res.status, text).toBe(502);
          expect(text).toMatch(/redirect \(\d{3}\); the relay does not follow redirects/);
          expect(text).not.toContain(TEST_KEY);
          expect(network.upstreamCalls()).toBe(1);
          expect(network.elsewhere).toEqual([]);
        });
      }

      it("redacts the key from what the upstream answered", async () => {
        const relay = relayWithEmulator();
        if (stream) {
          // An upstream `error` event that quotes the key, after the stream began.
          relay.emulator.script(MODEL, {
            steps: [{ type: "model_output", content: [{ type: "text", text: "Hello" }] }],
            stream: {
              fault: { afterEvents: 2, kind: "error", error: { code: "api_error", message: `API key ${TEST_KEY} is not valid.` } },
            },
          });
        } else {
          relay.emulator.script(MODEL, { steps: [{ type: "model_output", content: [{ type: "text", text: `the key is ${TEST_KEY}` }] }] });
        }
        const res = await post(relay, path, { model: MODEL, input: "hi", stream });
        const text = await res.text();
        expect(res.status, text).toBe(200);
        expect(text).toContain(stream ? "API key [redacted] is not valid." : "the key is [redacted]");
        expect(text).not.toContain(TEST_KEY);
      });
    });
  }
}

describe("/v1/turns, streamed: a key split across text deltas", () => {
  it("is redacted from the steps the relay joins (turn.step, turn.completed)", async () => {
    // The emulator cuts text into deltas of 12 to 24 characters; the key (19) then straddles two of them.
    const text = `${"x".repeat(20)}${TEST_KEY} and more`;
    const relay = relayWithEmulator();
    relay.emulator.script(MODEL, { steps: [{ type: "model_output", content: [{ type: "text", text }] }] });
    const res = await post(relay, "/v1/turns", { model: MODEL, input: "hi", stream: true });
    const body = await res.text();
    expect(res.status, body).toBe(200);
    const deltas = [...body.matchAll(/"type":"text","text":"([^"]*)"/g)].map((match) => match[1]);
    expect(
      deltas.some((delta) => delta!.includes(TEST_KEY)),
      "the key is split across deltas",
    ).toBe(false);
    const joined = body.split("\n\n").filter((message) => /^event: turn\.(step|completed)$/m.test(message));
    expect(joined.length).toBe(2);
    for (const message of joined) {
      expect(message).not.toContain(TEST_KEY);
      expect(message).toContain(`${"x".repeat(20)}[redacted] and more`);
    }
  });
});

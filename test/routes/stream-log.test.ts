/**
 * The log line of a streamed answer (src/http/observe.ts with src/http/sse-response.ts): the SSE body
 * counts what the caller took and reports its own end, so each streamed request, on either streaming
 * route, leaves exactly one line with its bytes out: sent, or aborted with the bytes so far.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { relayWithEmulator } from "../helpers";

const text = (t: string) => ({ type: "model_output", content: [{ type: "text", text: t }] });

afterEach(() => void vi.restoreAllMocks());

function captureLog(): () => Record<string, unknown>[] {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
  return () => lines.filter((line) => line.includes('"request_id"')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("a streamed answer's log line", () => {
  it("is one line, sent, with every byte the caller received (/v1/turns)", async () => {
    const logged = captureLog();
    const relay = relayWithEmulator();
    relay.emulator.script("m", { steps: [text("streamed words ".repeat(50))] });
    const res = await relay.turn({ model: "m", input: "x", stream: true });
    const body = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(body)).toContain("event: turn.completed");
    await expect.poll(() => logged().length).toBe(1);
    // Nothing else arrives later: still one line.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(logged()).toHaveLength(1);
    expect(logged()[0]).toMatchObject({ route: "/v1/turns", status: 200, outcome: "sent", bytes_out: body.byteLength });
  });

  it("is one line, sent, with every byte the caller received (drop-in streaming route)", async () => {
    const logged = captureLog();
    const relay = relayWithEmulator();
    relay.emulator.script("m", { steps: [text("forwarded words ".repeat(50))] });
    const res = await relay.app.request(
      "/v1beta/interactions",
      {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({ model: "m", input: "x", stream: true }),
      },
      relay.env,
    );
    expect(res.status).toBe(200);
    const body = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(body)).toContain("data: [DONE]");
    await expect.poll(() => logged().length).toBe(1);
    expect(logged()[0]).toMatchObject({ status: 200, outcome: "sent", bytes_out: body.byteLength });
  });

  it("is one line, aborted, with the bytes the caller had taken when it left", async () => {
    const logged = captureLog();
    const relay = relayWithEmulator();
    relay.emulator.script("long", { steps: [text("x".repeat(200))], stream: { pauseMs: 30 } });
    const res = await relay.turn({ model: "long", input: "x", stream: true });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("event: interaction.created");
    await reader.cancel();
    await expect.poll(() => logged().length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logged()).toHaveLength(1);
    const line = logged()[0]!;
    expect(line).toMatchObject({ route: "/v1/turns", status: 200, outcome: "aborted" });
    // What was written before the caller left: at least the first event, never the whole answer.
    expect(line.bytes_out).toBeGreaterThanOrEqual(first.value!.byteLength);
    expect(line.bytes_out).toBeLessThan(2000);
  });
});

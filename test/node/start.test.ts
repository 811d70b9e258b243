// `npm start` as a newcomer runs it: two real wrangler dev processes on loopback, the relay
// reaching the emulator over HTTP through GEMINI_BASE_URL. Drives the seed scenario with fetch.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TurnResponse } from "../../src/schemas";
import { isRunning, processTree, startLocalStack, type LocalStack } from "./local-stack";

let stack: LocalStack;
let relay: string;

beforeAll(async () => {
  stack = await startLocalStack();
  relay = stack.relayUrl;
});

afterAll(async () => {
  await stack?.stop();
});

async function turn(body: object) {
  const res = await fetch(`${relay}/v1/turns`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as TurnResponse };
}

describe("npm start", () => {
  it("prints the URLs and a curl example", () => {
    expect(stack.output()).toContain(`relay     ${relay}`);
    expect(stack.output()).toContain(`curl -s ${relay}/v1/turns`);
  });

  it("serves the seed scenario over HTTP, offline, against the emulator", async () => {
    const tools = [
      {
        type: "function",
        name: "get_order_status",
        description: "Look up an order",
        parameters: { type: "object", properties: { order_id: { type: "string" } } },
      },
    ];
    const t1 = await turn({ model: "gemini-3.5-flash", tools, input: "Where is my order A-4417?" });
    expect(t1.status).toBe(200);
    expect(t1.body.status).toBe("requires_action");
    const call = t1.body.pending_calls[0];
    expect(call).toMatchObject({ type: "function_call", name: "get_order_status" });
    if (!call) return;
    const t2 = await turn({
      model: "gemini-3.5-flash",
      tools,
      history: t1.body.history,
      input: [{ type: "function_result", call_id: call.id, name: call.name, result: "shipped" }],
    });
    expect(t2.body.output_text).toMatch(/shipped/);
    const t3 = await turn({ model: "gemini-3.5-flash", tools, history: t2.body.history, input: "Thanks! When will it arrive?" });
    expect(t3.body.output_text).toMatch(/history intact/);
  });

  it("streams a turn over HTTP", async () => {
    const res = await fetch(`${relay}/v1/turns`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: "hi", stream: true }),
    });
    const text = await res.text();
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    expect(text).toMatch(/event: turn\.completed\ndata: \{"history"/);
  });

  it("sent every interaction to the emulator with store: false", async () => {
    const requests = (await (await fetch(`${stack.emulatorUrl}/__emulator/requests`)).json()) as {
      method: string;
      path: string;
      body: { store?: unknown };
    }[];
    const creates = requests.filter((r) => r.method === "POST" && r.path.endsWith("/interactions"));
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.filter((r) => r.body.store !== false)).toEqual([]);
  });

  it("stops both wrangler process trees, workerd included, on SIGTERM", async () => {
    const tree = processTree(stack.child.pid!);
    expect(tree.filter((p) => /workerd serve/.test(p.args)).length).toBeGreaterThanOrEqual(2);
    expect(await stack.stop("SIGTERM")).toBe(0);
    expect(tree.filter((p) => isRunning(p.pid))).toEqual([]);
    await expect(fetch(`${relay}/healthz`)).rejects.toThrow();
    await expect(fetch(`${stack.emulatorUrl}/__emulator/requests`)).rejects.toThrow();
  });
});

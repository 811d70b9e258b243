// `npm start` as a newcomer runs it: two real wrangler dev processes on loopback, the relay
// reaching the emulator over HTTP through GEMINI_BASE_URL. Drives the seed scenario with fetch.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const relayPort = 18787 + Math.floor(Math.random() * 500);
const emulatorPort = relayPort + 1000;
const relay = `http://127.0.0.1:${relayPort}`;
let child: ChildProcess;
let output = "";

beforeAll(async () => {
  child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, RELAY_PORT: String(relayPort), EMULATOR_PORT: String(emulatorPort) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Press Ctrl+C to stop")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  });
});

afterAll(async () => {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.on("exit", resolve));
  child.kill("SIGTERM");
  await exited;
});

async function turn(body: object) {
  const res = await fetch(`${relay}/v1/turns`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe("npm start", () => {
  it("prints the URLs and a curl example", () => {
    expect(output).toContain(`relay     ${relay}`);
    expect(output).toContain(`curl -s ${relay}/v1/turns`);
  });

  it("serves the seed scenario over HTTP, offline, against the emulator", async () => {
    const tools = [{ type: "function", name: "get_order_status", description: "Look up an order", parameters: { type: "object", properties: { order_id: { type: "string" } } } }];
    const t1 = await turn({ model: "gemini-3.5-flash", tools, input: "Where is my order A-4417?" });
    expect(t1.status).toBe(200);
    expect(t1.body.status).toBe("requires_action");
    const call = t1.body.steps.find((s: { type: string }) => s.type === "function_call");
    const t2 = await turn({ model: "gemini-3.5-flash", tools, history: t1.body.history, input: [{ type: "function_result", call_id: call.id, name: call.name, result: "shipped" }] });
    expect(t2.body.output_text).toMatch(/shipped/);
    const t3 = await turn({ model: "gemini-3.5-flash", tools, history: t2.body.history, input: "Thanks! When will it arrive?" });
    expect(t3.body.output_text).toMatch(/history intact/);
  });

  it("streams a turn over HTTP", async () => {
    const res = await fetch(`${relay}/v1/turns`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "m", input: "hi", stream: true }) });
    const text = await res.text();
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    expect(text).toMatch(/event: turn\.completed\ndata: \{"history"/);
  });
});

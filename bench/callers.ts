/**
 * The callers of the loopback phase: one turn on each path (the SDK direct or through a floor, the
 * relay and the naive relay by fetch, unary and streamed), timed at the caller.
 */
import { GoogleGenAI } from "@google/genai";
import { RELAY_HEADERS, type Payload } from "./payloads";
import { KEY, type Served, type Stack } from "./workerd";

export type PathName = "direct" | "floor" | "parse floor" | "naive relay" | "relay" | "direct stream" | "relay stream";
export const LATENCY_PATHS: readonly PathName[] = [
  "direct",
  "floor",
  "parse floor",
  "naive relay",
  "relay",
  "direct stream",
  "relay stream",
];

export interface TurnTiming {
  /** Request start → last byte (or last event) received. */
  totalMs: number;
  /** Request start → first streamed event (stream paths only). */
  firstEventMs?: number;
  /** performance.now() when the first event arrived. */
  firstEventAt?: number;
}

export const sdkFor = (baseUrl: string) => new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl } });
const SDK_OPTIONS = { maxRetries: 0 } as never;

async function sdkTurn(ai: GoogleGenAI, p: Payload): Promise<TurnTiming> {
  const start = performance.now();
  const interaction = await ai.interactions.create(p.create as never, SDK_OPTIONS);
  const totalMs = performance.now() - start;
  if (!(interaction as { steps?: unknown[] }).steps?.length) throw new Error("direct: no steps in the answer");
  return { totalMs };
}

export async function sdkStreamTurn(ai: GoogleGenAI, p: Payload): Promise<TurnTiming> {
  const start = performance.now();
  const stream = (await ai.interactions.create({ ...p.create, stream: true } as never, SDK_OPTIONS)) as unknown as AsyncIterable<{
    event_type?: string;
  }>;
  let firstEventAt: number | undefined;
  let last: string | undefined;
  for await (const event of stream) {
    firstEventAt ??= performance.now();
    last = event.event_type;
  }
  const totalMs = performance.now() - start;
  if (last !== "interaction.completed") throw new Error(`direct stream: ended with ${last}`);
  return { totalMs, firstEventMs: firstEventAt! - start, firstEventAt };
}

/** The relay caller serializes its body per turn, as the SDK does for the direct caller. The naive relay takes the same body. */
export async function relayTurn(url: string, p: Payload): Promise<TurnTiming> {
  const start = performance.now();
  const response = await fetch(`${url}/v1/turns`, {
    method: "POST",
    headers: RELAY_HEADERS,
    body: JSON.stringify(p.turn),
  });
  const body = await response.arrayBuffer();
  const totalMs = performance.now() - start;
  if (response.status !== 200) throw new Error(`relay: ${response.status} ${new TextDecoder().decode(body).slice(0, 400)}`);
  return { totalMs };
}

export async function relayStreamTurn(url: string, p: Payload): Promise<TurnTiming> {
  const start = performance.now();
  const response = await fetch(`${url}/v1/turns`, {
    method: "POST",
    headers: { ...RELAY_HEADERS, accept: "text/event-stream" },
    body: JSON.stringify({ ...p.turn, stream: true }),
  });
  if (response.status !== 200) throw new Error(`relay stream: ${response.status} ${(await response.text()).slice(0, 400)}`);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let firstEventAt: number | undefined;
  let head = "";
  // The name of the last `event:` line seen (SSE lines; JSON data never holds a raw newline).
  let lastEvent: string | undefined;
  let carry = Buffer.alloc(0);
  const scan = (bytes: Buffer) => {
    const at = bytes.lastIndexOf("\nevent: ");
    const end = at >= 0 ? bytes.indexOf("\n", at + 8) : -1;
    if (end >= 0) lastEvent = bytes.toString("utf8", at + 8, end);
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (firstEventAt === undefined) {
      head += decoder.decode(value, { stream: true });
      if (head.includes("\n\n")) firstEventAt = performance.now();
    }
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    scan(Buffer.concat([carry, bytes.subarray(0, 64)]));
    scan(bytes);
    carry = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 64)));
  }
  const totalMs = performance.now() - start;
  if (lastEvent !== "turn.completed") throw new Error(`relay stream: ended with ${lastEvent}`);
  return { totalMs, firstEventMs: firstEventAt! - start, firstEventAt };
}

export function caller(path: PathName, stack: Stack, p: Payload): () => Promise<TurnTiming> {
  switch (path) {
    case "direct":
    case "floor":
    case "parse floor": {
      const ai = sdkFor((workerOf(path, stack) ?? stack.emulator).url);
      return () => sdkTurn(ai, p);
    }
    case "direct stream": {
      const ai = sdkFor(stack.emulator.url);
      return () => sdkStreamTurn(ai, p);
    }
    case "naive relay":
      return () => relayTurn(stack.naive.url, p);
    case "relay":
      return () => relayTurn(stack.relay.url, p);
    case "relay stream":
      return () => relayStreamTurn(stack.relay.url, p);
  }
}

/** The worker process a path adds between the caller and the emulator (none for direct). */
export function workerOf(path: PathName, stack: Stack): Served | undefined {
  if (path === "floor") return stack.floor;
  if (path === "parse floor") return stack.parseFloor;
  if (path === "naive relay") return stack.naive;
  if (path === "relay" || path === "relay stream") return stack.relay;
  return undefined;
}

export function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return `${String((err as Error)?.message ?? err).slice(0, 240)}${cause ? ` (${cause.code ?? ""} ${cause.message ?? ""})` : ""}`;
}

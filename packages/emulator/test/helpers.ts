/** Shared test helpers: an emulator wired into the real SDK, raw requests, SSE parsing and a §6.5 step rebuilder. */
import { GoogleGenAI } from "@google/genai";
import fc from "fast-check";
import { createEmulator } from "../src/emulator.js";
import type { Emulator, EmulatorOptions } from "../src/types.js";

export const BASE = "http://emulator.test";
export const MODEL = "gemini-3.5-flash";

export interface Harness {
  emulator: Emulator;
  client: GoogleGenAI;
}

export function harness(options: EmulatorOptions = {}, apiVersion?: string): Harness {
  const emulator = createEmulator(options);
  const client = new GoogleGenAI({
    apiKey: "k",
    httpOptions: {
      baseUrl: BASE,
      fetch: (input, init) => emulator.fetch(new Request(input, init)),
      ...(apiVersion ? { apiVersion } : {}),
    },
  });
  return { emulator, client };
}

/** A raw request to the emulator, with an API key unless `headers` says otherwise. */
export function send(
  emulator: Emulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { "x-goog-api-key": "k" },
): Promise<Response> {
  const init: RequestInit = { method, headers: { "content-type": "application/json", ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  return emulator.fetch(new Request(`${BASE}${path}`, init));
}

export function create(emulator: Emulator, body: unknown, headers?: Record<string, string>): Promise<Response> {
  return send(emulator, "POST", "/v1beta/interactions", body, headers);
}

export interface SseFrame {
  event: string | undefined;
  data: string;
}

/** Splits raw SSE text into frames; every frame must be `event:` + one `data:` line. */
export function parseSse(text: string): SseFrame[] {
  return text
    .split("\n\n")
    .filter((block) => block !== "")
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((line) => line.startsWith("event: "))?.slice(7);
      const data = lines.filter((line) => line.startsWith("data: ")).map((line) => line.slice(6));
      if (data.length !== 1 || lines.length !== 2) throw new Error(`malformed frame: ${JSON.stringify(block)}`);
      return { event, data: data[0] ?? "" };
    });
}

export type Json = Record<string, unknown>;

export function eventsOf(frames: readonly SseFrame[]): Json[] {
  return frames.filter((frame) => frame.data !== "[DONE]").map((frame) => JSON.parse(frame.data) as Json);
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function setOwn(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The rebuild of §6.5 of the wire notes, written independently of the emulator: seed from step.start, route deltas
 * by index, concatenate arguments_delta strings and parse them at step.stop.
 */
export function rebuildSteps(events: readonly unknown[]): unknown[] {
  const steps = new Map<number, Json>();
  const args = new Map<number, string>();
  for (const event of events) {
    if (!isObject(event)) continue;
    const index = event.index as number;
    if (event.event_type === "step.start") {
      steps.set(index, JSON.parse(JSON.stringify(event.step)) as Json);
    } else if (event.event_type === "step.delta") {
      const step = steps.get(index);
      const delta = event.delta as Json;
      if (!step) throw new Error(`delta before start at ${index}`);
      const contentOf = (): Json[] => {
        if (!Array.isArray(step.content)) setOwn(step, "content", []);
        return step.content as Json[];
      };
      switch (delta.type) {
        case "text": {
          const content = contentOf();
          const last = content[content.length - 1];
          if (last && last.type === "text") last.text = String(last.text) + String(delta.text);
          else content.push({ type: "text", text: delta.text });
          break;
        }
        case "text_annotation_delta": {
          const last = contentOf().at(-1);
          if (!last) throw new Error("annotation without text");
          last.annotations = [...((last.annotations as unknown[] | undefined) ?? []), ...(delta.annotations as unknown[])];
          break;
        }
        case "image":
        case "audio":
        case "video":
        case "document":
          contentOf().push(JSON.parse(JSON.stringify(delta)) as Json);
          break;
        case "thought_summary":
          if (!Array.isArray(step.summary)) step.summary = [];
          (step.summary as unknown[]).push(delta.content);
          break;
        case "thought_signature":
          step.signature = delta.signature;
          break;
        case "arguments_delta":
          args.set(index, (args.get(index) ?? "") + String(delta.arguments));
          break;
        default:
          for (const key of Object.keys(delta)) if (key !== "type") setOwn(step, key, delta[key]);
      }
    } else if (event.event_type === "step.stop") {
      const buffer = args.get(index);
      const step = steps.get(index);
      if (buffer && step) setOwn(step, "arguments", JSON.parse(buffer));
    }
  }
  return [...steps.entries()].sort(([a], [b]) => a - b).map(([, step]) => step);
}

/** Collects every event of an SDK stream. */
export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const events: T[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

export function userInput(text: string): Json {
  return { type: "user_input", content: [{ type: "text", text }] };
}

/** JSON values as they survive the wire (fast-check's -0 becomes 0; `__proto__` keys stay own data). */
export function json(maxDepth: number): fc.Arbitrary<unknown> {
  return fc.jsonValue({ maxDepth }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);
}

export { createEmulator };

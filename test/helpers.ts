/** Test wiring: the relay app with the real SDK adapter talking to an in-process emulator. */
import { expect } from "vitest";
import { createApp } from "../src/app";
import type { Bindings } from "../src/config";
import { createEmulator, type EmulatorOptions } from "@gemini-relay/emulator";
import type { ProblemDetails } from "../src/errors";
import type { TurnResponse } from "../src/schemas";
import { geminiUpstream } from "../src/upstream/gemini";

export const TEST_KEY = "test-key-0123456789";

/** A relay whose SDK reaches a fresh emulator over its base URL (the emulator's fetch stands in for the network). */
export function relayWithEmulator(bindings: Partial<Bindings> = {}, emulatorOptions: EmulatorOptions = {}) {
  // Every call the relay makes here is checked for store: false as it is sent (test/setup/store-audit.ts).
  const emulator = createEmulator(emulatorOptions);
  const app = createApp({
    makeUpstream: (config) => geminiUpstream(config, { fetch: (input, init) => emulator.fetch(new Request(input, init)) }),
  });
  const env: Bindings = {
    GEMINI_API_KEY: TEST_KEY,
    GEMINI_BASE_URL: "http://emulator.test",
    AUTH_MODE: "none",
    UPSTREAM_MAX_RETRIES: "0",
    ...bindings,
  };

  function turn(body: unknown, init: RequestInit = {}): Promise<Response> {
    return Promise.resolve(
      app.request(
        "/v1/turns",
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: typeof body === "string" ? body : JSON.stringify(body),
          ...init,
        },
        env,
      ),
    );
  }

  /** A turn that must succeed; returns its parsed body. */
  async function ok(body: unknown): Promise<TurnResponse> {
    const res = await turn(body);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${text}`);
    return JSON.parse(text) as TurnResponse;
  }

  /** The create bodies the emulator received, in order. */
  const creates = () =>
    emulator.requests.filter((r) => r.method === "POST" && /\/interactions$/.test(r.path)).map((r) => r.body as Record<string, unknown>);

  return { app, env, emulator, turn, ok, creates };
}

export async function problemOf(res: Response): Promise<ProblemDetails> {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as ProblemDetails;
  expect(body.status).toBe(res.status);
  return body;
}

export interface SseEvent {
  event: string;
  data: string;
}

/** Parses an SSE body into events (comments are returned separately). */
export function parseSse(text: string): { events: SseEvent[]; comments: string[] } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  for (const frame of text.split(/\n\n/)) {
    if (frame.trim() === "") continue;
    let event = "message";
    const data: string[] = [];
    for (const line of frame.split("\n")) {
      if (line.startsWith(":")) comments.push(line.slice(1).trim());
      else if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length > 0) events.push({ event, data: data.join("\n") });
  }
  return { events, comments };
}

/** Reads an SSE response until it ends or `until` says stop, yielding each event as it arrives. */
export async function* readSse(res: Response): AsyncGenerator<SseEvent> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end + 2);
        buffer = buffer.slice(end + 2);
        yield* parseSse(frame).events;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/**
 * The same value written as another JSON library might (Swift, Kotlin): keys in reverse order,
 * indented, every non-ASCII character escaped, and "/" too when asked.
 */
export function respelled(value: unknown, { indent = 2, escapeSlash = false } = {}): string {
  const reversed = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(reversed)
      : typeof v === "object" && v !== null
        ? Object.fromEntries(
            Object.entries(v)
              .reverse()
              .map(([k, x]) => [k, reversed(x)]),
          )
        : v;
  const escaped = escapeSlash ? /[\u0080-\uffff]|\//g : /[\u0080-\uffff]/g;
  return JSON.stringify(reversed(value), null, indent).replace(escaped, (c) =>
    c === "/" ? "\\/" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The relay's app and env with the real SDK adapter over `fetch` (a stand-in that answers with bytes of the test's choosing). */
export function relayOverFetch(fetch: typeof globalThis.fetch, bindings: Partial<Bindings> = {}) {
  const app = createApp({ makeUpstream: (config) => geminiUpstream(config, { fetch }) });
  const env: Bindings = {
    GEMINI_API_KEY: TEST_KEY,
    GEMINI_BASE_URL: "http://gemini.test",
    AUTH_MODE: "none",
    UPSTREAM_MAX_RETRIES: "0",
    ...bindings,
  };
  return { app, env };
}

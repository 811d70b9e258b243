/**
 * A `fetch` over XMLHttpRequest, for runtimes whose fetch cannot stream a response (React Native):
 * XHR's progress events deliver the text as it arrives, so streamed turns render as they come
 * instead of all at once at the end. Plug it in as `createRelayClient({ fetch: xhrFetch() })`.
 */
import type { FetchLike } from "./types.js";

/** The part of XMLHttpRequest this transport uses (React Native's, a browser's, or a test's). */
export interface XhrLike {
  readyState: number;
  status: number;
  statusText: string;
  responseText: string;
  onreadystatechange: (() => void) | null;
  onprogress: (() => void) | null;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  ontimeout: (() => void) | null;
  open(method: string, url: string, async: boolean): void;
  setRequestHeader(name: string, value: string): void;
  getAllResponseHeaders(): string;
  send(body?: string | Uint8Array | null): void;
  abort(): void;
}

/** @internal A response whose body comes as text pieces, without a ReadableStream (React Native has none). */
export interface TextChunks {
  textChunks(): AsyncIterable<string>;
}

const HEADERS_RECEIVED = 2;

/**
 * A FetchLike over XMLHttpRequest (the global one, or `options.XMLHttpRequest`). The response's
 * `body` is null; streamed turns read its text as it arrives, unary turns read it whole. The
 * request's signal aborts the XHR.
 *
 * @example
 * import { createRelayClient, xhrFetch } from "@gemini-relay/client";
 * const client = createRelayClient({ baseUrl: "https://relay.example.com", fetch: xhrFetch() });
 */
export function xhrFetch(options: { XMLHttpRequest?: new () => XhrLike } = {}): FetchLike {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const Xhr = options.XMLHttpRequest ?? (globalThis as { XMLHttpRequest?: new () => XhrLike }).XMLHttpRequest;
      if (!Xhr) throw new TypeError("xhrFetch: no XMLHttpRequest in this runtime; pass options.XMLHttpRequest.");
      const xhr = new Xhr();
      const signal = init.signal ?? undefined;
      let seen = 0;
      let done = false;
      let failure: unknown;
      let wake: (() => void) | undefined;
      let response: Response | undefined;
      let whole: ((text: string) => void) | undefined;
      let wholeFailed: ((err: unknown) => void) | undefined;
      const wholeText = new Promise<string>((res, rej) => {
        whole = res;
        wholeFailed = rej;
      });
      wholeText.catch(() => {});

      const notify = () => {
        const next = wake;
        wake = undefined;
        next?.();
      };
      const started = () => {
        if (response || xhr.readyState < HEADERS_RECEIVED) return;
        response = responseOf(xhr, wholeText, chunks);
        resolve(response);
      };
      const fail = (err: unknown) => {
        if (done) return;
        done = true;
        failure = err;
        wholeFailed!(err);
        if (!response) reject(err);
        notify();
      };
      async function* chunks(): AsyncGenerator<string> {
        for (;;) {
          const text = xhr.responseText ?? "";
          if (text.length > seen) {
            const piece = text.slice(seen);
            seen = text.length;
            yield piece;
            continue;
          }
          if (failure !== undefined) throw failure;
          if (done) return;
          await new Promise<void>((res) => (wake = res));
        }
      }

      xhr.onreadystatechange = started;
      xhr.onprogress = () => {
        started();
        notify();
      };
      xhr.onload = () => {
        started();
        done = true;
        whole!(xhr.responseText ?? "");
        notify();
      };
      xhr.onerror = () => fail(new TypeError("Network request failed"));
      xhr.ontimeout = () => fail(new TypeError("Network request timed out"));
      xhr.onabort = () => fail(signal?.reason ?? new DOMException("The request was aborted.", "AbortError"));
      signal?.addEventListener("abort", () => xhr.abort(), { once: true });

      xhr.open(init.method ?? "GET", url, true);
      for (const [name, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) xhr.setRequestHeader(name, value);
      if (signal?.aborted) return fail(signal.reason);
      xhr.send((init.body as string | Uint8Array | null | undefined) ?? null);
    });
}

/** The Response the client reads: status and headers from the XHR, text whole or in pieces. */
function responseOf(xhr: XhrLike, wholeText: Promise<string>, chunks: () => AsyncIterable<string>): Response {
  const headers = new Headers();
  for (const line of xhr.getAllResponseHeaders().split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const response: Pick<Response, "ok" | "status" | "statusText" | "headers" | "body" | "text"> & TextChunks = {
    ok: xhr.status >= 200 && xhr.status < 300,
    status: xhr.status,
    statusText: xhr.statusText,
    headers,
    body: null,
    text: () => wholeText,
    textChunks: chunks,
  };
  return response as unknown as Response;
}

/**
 * createRelayClient: turns (unary and streamed) against a gemini-relay over `fetch`, with typed
 * errors, bounded retries and timeouts. Runtime-agnostic: browsers, React Native, Workers, Node 20+.
 */
import { attestationOf } from "./attestation.js";
import { DEFAULT_COMPRESS_ABOVE, streamCompressor } from "./compress.js";
import { RelayApiError, RelayConnectionError, RelayProtocolError, RelayTimeoutError, errorFromResponse, problemError } from "./errors.js";
import { DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from "./retry.js";
import { SseParser, type SseMessage } from "./sse.js";
import { pendingCalls, runTools } from "./tools.js";
import { objectMembers } from "./json-scan.js";
import { adoptStep, arrayText, Transcript, webCryptoSha256, type Sha256 } from "./transcript.js";
import type { FetchLike, RelayClient, RelayClientOptions, TurnEvent, TurnParams, TurnResult } from "./types.js";
import type { ContentBlock, FunctionCallStep, JsonObject, Step } from "./wire.js";
import type { TextChunks } from "./xhr.js";

/**
 * Creates a client for the relay at `baseUrl`.
 *
 * @example
 * const client = createRelayClient({ baseUrl: "https://relay.example.com", token: process.env.RELAY_TOKEN });
 * const result = await client.turn({ model: "gemini-3.5-flash", input: "Hi" });
 */
/** The relay's retry-budget headers: what the client still allows, what the relay used. */
const BUDGET_HEADER = "relay-retry-budget";
const ATTEMPTS_HEADER = "relay-upstream-attempts";
/** RFC 7240: ask for the new steps only; the relay says it did with Preference-Applied. */
const MINIMAL = "return=minimal";

export function createRelayClient(options: RelayClientOptions): RelayClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const url = `${baseUrl}/v1/turns`;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...options.retry,
    maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
  };
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  const compress = options.compress === false ? undefined : (options.compress ?? streamCompressor());
  const compressAbove = options.compressAbove ?? DEFAULT_COMPRESS_ABOVE;
  const sha256: Sha256 = options.sha256 ?? webCryptoSha256;
  /** Set once the relay answered a gzipped body with 415: this client then sends bodies as they are. */
  let gzipRefused = false;

  /** The request body, with the history and input steps in their exact bytes (never re-serialized). */
  function requestBody(params: Omit<TurnParams, "signal">, sent: Transcript, stream: boolean): string {
    const { history, input, ...rest } = params;
    const members = [JSON.stringify(stream ? { ...rest, stream: true } : rest).slice(1, -1)];
    if (input !== undefined) members.push(`"input":${typeof input === "string" ? JSON.stringify(input) : arrayText(input)}`);
    if (history !== undefined) members.push(`"history":${sent.historyJson()}`);
    return `{${members.filter((m) => m !== "").join(",")}}`;
  }

  /** Sends the turn until it is answered 2xx or must fail; the returned attempt still owns the body. */
  async function open(params: TurnParams, stream: boolean): Promise<{ res: Response; attempt: Attempt; sent: Transcript }> {
    const { signal, ...fields } = params;
    // A relay that attests wants its attestation back with the history: taken from the history when not given.
    const sent = Transcript.from(
      fields.history ?? [],
      fields.attestation ?? attestationOf(fields.history instanceof Transcript ? undefined : fields.history),
    );
    if (sent.attestation !== undefined) fields.attestation = sent.attestation;
    const text = requestBody(fields, sent, stream);
    const headers: Record<string, string> = {
      ...options.headers,
      "content-type": "application/json",
      accept: stream ? "text/event-stream" : "application/json",
    };
    if (options.minimal !== false) headers.prefer = MINIMAL;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const plain = new TextEncoder().encode(text);
    let gzipped: Uint8Array | undefined;

    let budget = policy.upstreamAttempts;
    for (let retry = 0; ; retry++) {
      if (signal?.aborted) throw signal.reason;
      headers[BUDGET_HEADER] = String(budget);
      const attempt = new Attempt(signal, timeoutMs);
      const gzip = compress !== undefined && !gzipRefused && plain.length >= compressAbove;
      if (gzip) headers["content-encoding"] = "gzip";
      else delete headers["content-encoding"];
      let res: Response;
      try {
        gzipped ??= gzip ? await attempt.guard(compress(plain)) : undefined;
        const body = gzip ? gzipped : text;
        res = await attempt.guard(
          Promise.resolve(doFetch(url, { method: "POST", headers, body: body as BodyInit, signal: attempt.signal })),
        );
      } catch (err) {
        attempt.close();
        throw attempt.failure(err, url);
      }
      if (res.ok) return { res, attempt, sent };
      let error: RelayApiError;
      try {
        error = await attempt.guard(errorFromResponse(res));
      } catch (err) {
        throw attempt.failure(err, url);
      } finally {
        attempt.close();
      }
      if (gzip && error.status === 415) {
        // This relay (or a proxy before it) takes no gzip: sent again as it is, and never gzipped again.
        gzipRefused = true;
        retry--;
        continue;
      }
      // What the relay already spent upstream counts against the same budget (its own 429 spends none).
      budget -= Number(res.headers.get(ATTEMPTS_HEADER) ?? 1) || 0;
      const delayMs = budget > 0 ? retryDelay(error, retry, policy) : undefined;
      if (delayMs === undefined) throw error;
      options.onRetry?.({ retry: retry + 1, delayMs, error });
      await sleep(delayMs, signal);
    }
  }

  async function turn(params: TurnParams): Promise<TurnResult> {
    const { res, attempt, sent } = await open(params, false);
    let text: string;
    try {
      text = await attempt.guard(res.text());
    } catch (err) {
      res.body?.cancel().catch(() => {});
      throw attempt.failure(err, url);
    } finally {
      attempt.close();
    }
    const notJson = `${url} answered ${res.status} with a body that is not JSON (content-type ${res.headers.get("content-type") ?? "none"}).`;
    return turnResult(text, sent, url, sha256, notJson);
  }

  async function* streamTurn(params: TurnParams): AsyncGenerator<TurnEvent, void, undefined> {
    const { res, attempt, sent } = await open(params, true);
    let completed = false;
    try {
      const type = res.headers.get("content-type") ?? "";
      if (!type.startsWith("text/event-stream")) {
        throw new RelayProtocolError(`${url} answered a streamed turn with ${type || "no content type"} instead of text/event-stream.`);
      }
      for await (const message of sseMessages(res, attempt, url)) {
        const event =
          message.event === "turn.completed"
            ? ({
                type: "turn.completed",
                result: await turnResult(message.data, sent, url, sha256, `${url} sent a turn.completed event whose data is not JSON.`),
              } as const)
            : turnEvent(message, url);
        if (event.type === "turn.completed") completed = true;
        attempt.idle(); // the consumer's time between events is not the relay's silence
        yield event;
        if (completed) return;
        if (attempt.signal.aborted) throw attempt.failure(attempt.signal.reason, url);
        attempt.touch();
      }
      throw new RelayConnectionError(`The stream from ${url} ended before turn.completed; the turn is incomplete.`, url);
    } finally {
      attempt.close();
      // Left early (break, error, abort) or done: either way nothing more is read, so stop the request.
      if (!completed) attempt.abort();
    }
  }

  const client: RelayClient = {
    baseUrl,
    turn,
    streamTurn,
    runTools: (params) => runTools(client, params),
  };
  return client;
}

// ---------------------------------------------------------------------------------------------

/** One request attempt: its abort controller, joined to the caller's signal, and its timeout. */
class Attempt {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timedOut = false;
  private readonly onCallerAbort = () => this.controller.abort(this.caller?.reason);

  constructor(
    private readonly caller: AbortSignal | undefined,
    private readonly timeoutMs: number,
  ) {
    // Joined by hand (not AbortSignal.any) so React Native and older browsers work too.
    caller?.addEventListener("abort", this.onCallerAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** (Re)starts the timeout. */
  touch(): void {
    this.idle();
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.timeoutMs);
  }

  /** Pauses the timeout. */
  idle(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  abort(): void {
    this.controller.abort();
  }

  /**
   * Settles with `promise`, or rejects as soon as the attempt is aborted (caller, timeout, break):
   * not every fetch rejects on abort (an in-process app may answer 499 instead, a polyfill may ignore it).
   */
  guard<T>(promise: Promise<T>): Promise<T> {
    const signal = this.controller.signal;
    if (signal.aborted) {
      promise.catch(() => {});
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (err: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(err);
        },
      );
    });
  }

  close(): void {
    this.idle();
    this.caller?.removeEventListener("abort", this.onCallerAbort);
  }

  /** What a failed fetch or read becomes: the caller's abort reason, a timeout, or a connection error. */
  failure(err: unknown, url: string): unknown {
    if (this.caller?.aborted) return this.caller.reason;
    if (this.timedOut) return new RelayTimeoutError(url, this.timeoutMs);
    if (err instanceof RelayConnectionError || err instanceof RelayProtocolError || err instanceof RelayApiError) return err;
    return new RelayConnectionError(`Could not reach the relay at ${url}: ${describe(err)}.`, url, { cause: err });
  }
}

/** "fetch failed (connect ECONNREFUSED 127.0.0.1:8787)": the error and, if any, what caused it. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  return cause && cause !== err.message ? `${err.message} (${cause})` : err.message;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The SSE messages of a response as they arrive (or all at once where nothing streams, as React Native's fetch). */
async function* sseMessages(res: Response, attempt: Attempt, url: string): AsyncGenerator<SseMessage> {
  const parser = new SseParser();
  const body = bodyPieces(res);
  if (!body) {
    let text: string;
    try {
      text = await attempt.guard(res.text());
    } catch (err) {
      throw attempt.failure(err, url);
    }
    yield* parser.push(text);
    return;
  }
  try {
    for (;;) {
      const piece = await attempt.guard(body.next()).catch((err: unknown) => {
        throw attempt.failure(err, url);
      });
      if (piece === undefined) break;
      attempt.touch();
      yield* parser.push(piece);
    }
    parser.end();
  } finally {
    body.stop();
  }
}

/**
 * A response body's text, piece by piece as it arrives: from its ReadableStream, or from a transport
 * that streams text without one (xhrFetch, for React Native); undefined when it has neither.
 * `next` resolves undefined at the end; `stop` lets go of the body (read or not).
 */
function bodyPieces(res: Response): { next(): Promise<string | undefined>; stop(): void } | undefined {
  if (res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let ended = false;
    return {
      async next() {
        if (ended) return undefined;
        const chunk = await reader.read();
        if (!chunk.done) return decoder.decode(chunk.value, { stream: true });
        ended = true;
        return decoder.decode();
      },
      stop: () => void reader.cancel().catch(() => {}),
    };
  }
  const chunks = (res as Partial<TextChunks>).textChunks?.call(res)[Symbol.asyncIterator]();
  if (!chunks) return undefined;
  return {
    next: async () => {
      const piece = await chunks.next();
      return piece.done ? undefined : piece.value;
    },
    stop: () => void chunks.return?.(),
  };
}

/** One SSE message as a typed event; `turn.error` is thrown. */
function turnEvent(message: SseMessage, url: string): TurnEvent {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    if (message.event.startsWith("turn.")) throw new RelayProtocolError(`${url} sent a ${message.event} event whose data is not JSON.`);
    return { type: "upstream", event: message.event, data: message.data };
  }
  const record = (typeof data === "object" && data !== null ? data : {}) as JsonObject;
  switch (message.event) {
    case "turn.step": {
      // The step from its own bytes, so a history built from these events sends them as they came.
      const at = objectMembers(message.data).get("step");
      const step = at ? adoptStep(record.step, message.data.slice(at.start, at.end)) : (record.step as Step);
      return { type: "turn.step", index: Number(record.index), step };
    }
    case "turn.error":
      throw problemError(data, { status: 502, streamed: true });
    case "step.delta": {
      const delta = (typeof record.delta === "object" && record.delta !== null ? record.delta : {}) as JsonObject;
      const index = Number(record.index);
      if (delta.type === "text" && typeof delta.text === "string") return { type: "text.delta", index, text: delta.text };
      if (delta.type === "thought_summary" && typeof delta.content === "object" && delta.content !== null) {
        const content = delta.content as ContentBlock;
        return { type: "thought_summary.delta", index, content, text: typeof content.text === "string" ? content.text : "" };
      }
      return { type: "upstream", event: message.event, data };
    }
    default:
      return { type: "upstream", event: message.event, data };
  }
}

/**
 * A response body (unary, or turn.completed's data) as a TurnResult: full or minimal (the relay says
 * which with Preference-Applied; the body's shape tells), appended to the transcript sent in its
 * exact bytes. The body is parsed once for its fields, and each new step once from its own bytes.
 */
async function turnResult(text: string, sent: Transcript, url: string, sha256: Sha256, notJson: string): Promise<TurnResult> {
  let appended: Awaited<ReturnType<Transcript["append"]>>;
  try {
    appended = await sent.append(text, sha256);
  } catch (err) {
    if (err instanceof SyntaxError && !isJson(text)) throw new RelayProtocolError(notJson);
    throw new RelayProtocolError(`${url} answered with JSON that is not a turn result the transcript can take: ${(err as Error).message}.`);
  }
  const { transcript, steps, record } = appended;
  if (typeof record.status !== "string") throw new RelayProtocolError(`${url} answered with JSON that is not a turn result (no status).`);
  const { input_steps: _input, base: _base, ...fields } = record;
  const pending = Array.isArray(record.pending_calls)
    ? (record.pending_calls as FunctionCallStep[])
    : (pendingCalls(steps) as FunctionCallStep[]);
  return { ...(fields as unknown as TurnResult), history: transcript.steps, steps, pending_calls: pending, transcript };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

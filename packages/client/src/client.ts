/**
 * createRelayClient: turns (unary and streamed) against a gemini-relay over `fetch`, with typed
 * errors, bounded retries and timeouts. Runtime-agnostic: browsers, React Native, Workers, Node 20+.
 */
import { sseMessages, turnEvent, turnResult } from "./answer.js";
import { Attempt, sleep } from "./attempt.js";
import { attestationOf } from "./attestation.js";
import { DEFAULT_COMPRESS_ABOVE, streamCompressor } from "./compress.js";
import { RelayConnectionError, RelayProtocolError, errorFromResponse, type RelayApiError } from "./errors.js";
import { DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from "./retry.js";
import { runTools } from "./tools.js";
import { arrayText, Transcript, webCryptoSha256, type Sha256 } from "./transcript.js";
import type { FetchLike, RelayClient, RelayClientOptions, TurnEvent, TurnParams, TurnResult } from "./types.js";

/** The relay's retry-budget headers: what the client still allows, what the relay used. */
const BUDGET_HEADER = "relay-retry-budget";
const ATTEMPTS_HEADER = "relay-upstream-attempts";
/** RFC 7240: ask for the new steps only; the relay says it did with Preference-Applied. */
const MINIMAL = "return=minimal";

/**
 * Creates a client for the relay at `baseUrl`.
 *
 * @example
 * const client = createRelayClient({ baseUrl: "https://relay.example.com", token: process.env.RELAY_TOKEN });
 * const result = await client.turn({ model: "gemini-3.5-flash", input: "Hi" });
 */
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

/** createEmulator: the local Gemini Interactions API (routes, auth, checks, scripted or deterministic answers, JSON or SSE). */
import { requireApiKey } from "./auth.js";
import { mintContinuationToken, readContinuationToken } from "./continuation.js";
import { interactionId, isoSeconds } from "./encoding.js";
import { ApiError, invalidRequest } from "./errors.js";
import { createSigner } from "./hmac.js";
import { inputToSteps } from "./input.js";
import { interactionJson, jsonResponse } from "./interaction.js";
import { controlResponse } from "./control.js";
import { isRecord, own } from "./json.js";
import { magicWords } from "./magic-words.js";
import { modelAnswer } from "./model.js";
import { trimRequestLog, DEFAULT_REQUEST_LOG_LIMITS } from "./request-log.js";
import { matchRoute, type Route } from "./routes.js";
import { isScriptedError, ScriptQueue } from "./script.js";
import { checkThoughtSignatures, type SignatureReport } from "./signatures.js";
import { sseResponse } from "./sse.js";
import { interactionEvents, type InteractionSummary } from "./stream-events.js";
import type { Emulator, EmulatorOptions, RecordedRequest, ScriptedError, StreamOptions } from "./types.js";
import { estimateUsage } from "./usage.js";
import { validateCreate, type CreateRequest } from "./validate.js";

/**
 * Builds an emulator. Everything it keeps lives in the returned object: the script queues and the request log.
 *
 * @example
 * const emulator = createEmulator();
 * const ai = new GoogleGenAI({ apiKey: "k", httpOptions: { baseUrl: "http://emulator.test", fetch: (input, init) => emulator.fetch(new Request(input, init)) } });
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const signer = createSigner(options.signingSecret);
  const scripts = new ScriptQueue();
  const requests: RecordedRequest[] = [];
  const latencyMs = options.latencyMs ?? 0;
  const logLimits = { ...DEFAULT_REQUEST_LOG_LIMITS, ...options.requestLog };

  const emulator: Emulator = {
    requests,
    script(model, ...replies) {
      scripts.add(model, replies);
    },
    reset() {
      scripts.clear();
      requests.length = 0;
    },
    async fetch(request) {
      const url = new URL(request.url);
      let route: Route | ApiError;
      try {
        route = matchRoute(request.method, url.pathname);
      } catch (error) {
        route = asApiError(error);
      }
      if (!(route instanceof ApiError) && route.kind === "control") {
        return controlResponse(route.action, request, emulator).catch((error: unknown) => asApiError(error).toResponse());
      }

      const record: RecordedRequest = {
        method: request.method,
        path: url.pathname + url.search,
        headers: headerRecord(request.headers),
        body: undefined,
        bodyBytes: 0,
        status: 0,
        aborted: false,
      };
      requests.push(record);
      trimRequestLog(requests, logLimits);
      try {
        const bytes = await request.arrayBuffer();
        const body = parseBody(new TextDecoder().decode(bytes));
        record.body = body.value;
        record.bodyBytes = bytes.byteLength;
        trimRequestLog(requests, logLimits);
        if (route instanceof ApiError) throw route;
        const response = await serve(route, request, url, body, record);
        record.status = response.status;
        return response;
      } catch (error) {
        if (request.signal.aborted) {
          // Like fetch itself: the caller that aborted gets the abort reason, not a response.
          record.status = 499;
          record.aborted = true;
          throw error;
        }
        const apiError = asApiError(error);
        record.status = apiError.status;
        return apiError.toResponse();
      }
    },
  };

  async function serve(
    route: Exclude<Route, { kind: "control" }>,
    request: Request,
    url: URL,
    body: ParsedBody,
    record: RecordedRequest,
  ): Promise<Response> {
    const createdAt = new Date();
    // Every answer takes the configured latency, errors included, as on a real network.
    await wait(latencyMs, request.signal);
    requireApiKey(request, url, options.apiKey);
    if (route.kind !== "create") {
      throw new ApiError(404, {
        message: `Interaction ${JSON.stringify(route.id)} was not found (the emulator stores no interactions).`,
      });
    }
    const create = validateCreate(body.value, body.json);
    const signatures = await checkThoughtSignatures(signer, create.steps);
    rejectUnsignedCalls(signatures);
    const hop =
      create.continuationToken === undefined
        ? 0
        : await readContinuationToken(signer, create.continuationToken, create.model, create.input);

    const scripted = scripts.take(create.model);
    const magic = scripted ? undefined : magicWords(create.steps);
    await wait(scripted?.delayMs ?? magic?.slowMs ?? 0, request.signal);
    if (scripted && isScriptedError(scripted)) throw scriptedError(scripted);
    if (magic?.fault) throw magic.fault;

    const answer = scripted
      ? { steps: scripted.steps, status: scripted.status ?? defaultStatus(scripted.steps) }
      : await modelAnswer(create, { signer, hop, verifiedSignatures: signatures.verified });
    const continuationToken =
      scripted?.continuationToken ??
      (answer.status === "requires_continuation" ? await mintContinuationToken(signer, create.model, create.input, hop + 1) : undefined);
    const summary: InteractionSummary = {
      id: interactionId(),
      model: create.model,
      status: answer.status,
      created: isoSeconds(createdAt),
      updated: isoSeconds(new Date()),
      usage: scripted?.usage ?? estimateUsage(create.steps, create.systemInstruction, answer.steps),
      ...(continuationToken === undefined ? {} : { continuationToken }),
    };
    if (!create.stream) return jsonResponse(interactionJson(summary, answer.steps));

    const stream: StreamOptions = scripted?.stream ?? {};
    const checkpoint = stream.checkpoint ? await checkpointToken(create, hop) : undefined;
    return sseResponse(interactionEvents(summary, answer.steps, checkpoint), stream, {
      signal: request.signal,
      onAbort: () => {
        record.aborted = true;
      },
    });
  }

  /** A mid-hop resume point: resuming re-runs the same hop. */
  function checkpointToken(create: CreateRequest, hop: number): Promise<string> {
    return mintContinuationToken(signer, create.model, create.input, hop);
  }

  return emulator;
}

/**
 * Checks the thought signatures of a request `input` (any accepted shape) the way the emulator does.
 * `verified` counts signatures this emulator issued that came back intact; `problems` lists thoughts before a
 * function_call whose signature is missing or altered (the emulator answers those requests with 400).
 */
export function verifyThoughtSignatures(input: unknown, options: { signingSecret?: string } = {}): Promise<SignatureReport> {
  return checkThoughtSignatures(createSigner(options.signingSecret), inputToSteps(input));
}

function rejectUnsignedCalls(report: SignatureReport): void {
  const problem = report.problems[0];
  if (!problem) return;
  throw invalidRequest(
    `Function call ${JSON.stringify(problem.callName)} follows a thought whose signature is ${problem.reason} ` +
      `(input[${problem.index}].signature). Send thought steps back exactly as they were received.`,
  );
}

function defaultStatus(steps: readonly unknown[]): string {
  return steps.some((step) => isRecord(step) && own(step, "type") === "function_call") ? "requires_action" : "completed";
}

function scriptedError(reply: ScriptedError): ApiError {
  const { status, code, message, retryAfterSeconds, retryAfterMs } = reply.error;
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  if (retryAfterMs !== undefined) headers["retry-after-ms"] = String(retryAfterMs);
  return new ApiError(status, { ...(code === undefined ? {} : { code }), ...(message === undefined ? {} : { message }), headers });
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError(500, { message: `The emulator failed: ${detail}` });
}

interface ParsedBody {
  value: unknown;
  /** False when there was no body or it was not JSON (then `value` is the raw text or undefined). */
  json: boolean;
}

function parseBody(text: string): ParsedBody {
  if (text === "") return { value: undefined, json: false };
  try {
    return { value: JSON.parse(text) as unknown, json: true };
  } catch {
    return { value: text, json: false };
  }
}

function headerRecord(headers: Headers): Record<string, string> {
  const entries: Array<[string, string]> = [];
  headers.forEach((value, name) => entries.push([name, value]));
  return Object.fromEntries(entries);
}

/** Resolves after `ms`, or rejects with the abort reason as soon as the caller aborts. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

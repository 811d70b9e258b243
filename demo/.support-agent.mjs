// demo/support-agent.ts
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

// src/client/node.ts
import { randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";

// src/client/errors.ts
var RelayClientError = class extends Error {
  name = "RelayClientError";
};
var RelayApiError = class extends RelayClientError {
  name = "RelayApiError";
  /** HTTP status (for a `turn.error`, the status the problem carries). */
  status;
  /** The relay's problem code, e.g. `invalid_request` or `upstream_rate_limited` (`http_<status>` when the body was not a problem). */
  code;
  title;
  type;
  detail;
  /** Findings with a JSON pointer into the request body; empty when the problem has none. */
  errors;
  /** From the problem's `request_id`, or the `Request-Id` / `X-Request-Id` response header. */
  requestId;
  /** The wait the relay asked for (Retry-After), in milliseconds. */
  retryAfterMs;
  /** True when the error came from a `turn.error` event after the stream had started. */
  streamed;
  /** The parsed body as received (problem details, or whatever else came back). */
  body;
  constructor(init) {
    const findings = init.errors ?? [];
    const where = findings.length > 0 && !init.detail.includes(findings[0].path) ? ` (${findings.map((e) => `${e.path || "body"} ${e.message}`).join("; ")})` : "";
    super(`${init.status} ${init.code}: ${init.detail}${where}`);
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.type = init.type ?? `urn:gemini-relay:problem:${init.code}`;
    this.detail = init.detail;
    this.errors = findings;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
    this.streamed = init.streamed ?? false;
    this.body = init.body;
  }
};
var RelayConnectionError = class extends RelayClientError {
  name = "RelayConnectionError";
  /** The URL that was being requested. */
  url;
  constructor(message, url, options) {
    super(message, options);
    this.url = url;
  }
};
var RelayTimeoutError = class extends RelayConnectionError {
  name = "RelayTimeoutError";
  timeoutMs;
  constructor(url, timeoutMs) {
    super(`No answer from ${url} within ${timeoutMs} ms.`, url);
    this.timeoutMs = timeoutMs;
  }
};
var RelayProtocolError = class extends RelayClientError {
  name = "RelayProtocolError";
};
async function errorFromResponse(res) {
  const text = await res.text().catch(() => "");
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
  }
  return problemError(body, {
    status: res.status,
    statusText: res.statusText,
    requestId: requestIdOf(res.headers),
    retryAfterMs: retryAfterMs(res.headers)
  });
}
function problemError(body, fallback) {
  const problem = typeof body === "object" && body !== null && !Array.isArray(body) ? body : {};
  const str = (value) => typeof value === "string" && value !== "" ? value : void 0;
  const status = Number.isInteger(problem.status) ? problem.status : fallback.status;
  const code = str(problem.code) ?? `http_${status}`;
  const snippet = typeof body === "string" ? body.trim().slice(0, 200) : "";
  return new RelayApiError({
    status,
    code,
    title: str(problem.title) ?? fallback.statusText ?? "Request failed",
    type: str(problem.type),
    detail: str(problem.detail) ?? (snippet || `The relay answered ${status}${fallback.statusText ? ` ${fallback.statusText}` : ""} without problem details.`),
    errors: Array.isArray(problem.errors) ? problem.errors.filter(isProblemItem) : [],
    requestId: str(problem.request_id) ?? fallback.requestId,
    retryAfterMs: fallback.retryAfterMs,
    streamed: fallback.streamed,
    body
  });
}
function isProblemItem(item) {
  return typeof item === "object" && item !== null && typeof item.path === "string" && typeof item.message === "string";
}
function requestIdOf(headers) {
  return headers.get("request-id") ?? headers.get("x-request-id") ?? void 0;
}
function retryAfterMs(headers, now = Date.now()) {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return void 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1e3 : void 0;
  const date = Date.parse(value);
  return Number.isNaN(date) ? void 0 : Math.max(0, date - now);
}

// src/client/retry.ts
var DEFAULT_RETRY_POLICY = {
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 8e3,
  maxRetryAfterMs: 6e4
};
var RETRYABLE_STATUSES = /* @__PURE__ */ new Set([429, 503]);
function retryDelay(error, retry, policy, random = Math.random) {
  if (error.streamed || retry >= policy.maxRetries || !RETRYABLE_STATUSES.has(error.status)) return void 0;
  if (error.retryAfterMs !== void 0) return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : void 0;
  return backoffDelay(retry, policy, random);
}
function backoffDelay(retry, policy, random = Math.random) {
  const base = Math.min(policy.initialDelayMs * 2 ** retry, policy.maxDelayMs);
  return Math.round(base * (1 - 0.25 * random()));
}

// src/client/sse.ts
var SseParser = class {
  buffer = "";
  event = "";
  data = [];
  /** Feeds a piece of text; returns the messages it completed. */
  push(text) {
    this.buffer += text;
    const messages = [];
    for (; ; ) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match || match[0] === "\r" && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }
  /** The stream ended: a last message without its closing blank line is dropped, as the spec says. */
  end() {
    this.buffer = "";
    this.event = "";
    this.data = [];
  }
  line(line) {
    if (line === "") {
      if (this.data.length === 0) {
        this.event = "";
        return void 0;
      }
      const message = { event: this.event || "message", data: this.data.join("\n") };
      this.event = "";
      this.data = [];
      return message;
    }
    if (line.startsWith(":")) return void 0;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    return void 0;
  }
};

// src/client/tools.ts
function pendingCalls(steps) {
  const answered = new Set(steps.filter((s) => s.type === "function_result").map((s) => String(s.call_id)));
  return steps.filter((s) => s.type === "function_call" && !answered.has(String(s.id)));
}
function unansweredCalls(history) {
  let start = 0;
  history.forEach((step, i) => {
    if (step.type === "user_input") start = i + 1;
  });
  return pendingCalls(history.slice(start));
}
function functionResult(call, value, options = {}) {
  const step = { type: "function_result", call_id: call.id, name: call.name, result: resultValue(value) };
  if (options.isError) step.is_error = true;
  return step;
}
function resultValue(value) {
  if (value === void 0) return {};
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const blocks = value.length > 0 && value.every((b) => typeof b === "object" && b !== null && typeof b.type === "string");
    return blocks ? value : JSON.stringify(value);
  }
  if (typeof value === "object" && value !== null) return value;
  return JSON.stringify(value) ?? String(value);
}
async function runTools(client, params) {
  const { tools: tools2, maxToolCalls = 10, stream = false, onEvent, input, history: given = [], ...turnFields } = params;
  const declarations = Object.entries(tools2).map(([name, { declaration }]) => {
    const { type: _type, name: _name, ...rest } = declaration;
    return { type: "function", name, ...rest };
  });
  const emit = async (event) => {
    await onEvent?.(event);
  };
  let history = [...given];
  let toolCalls = 0;
  let result;
  const stop = (stopReason, pending) => ({
    history,
    result,
    output_text: result?.output_text,
    toolCalls,
    stopReason,
    pending_calls: pending
  });
  async function answer(calls) {
    if (toolCalls + calls.length > maxToolCalls) return void 0;
    const results = [];
    for (const call of calls) {
      await emit({ type: "tool.call", call });
      const tool = Object.prototype.hasOwnProperty.call(tools2, call.name) ? tools2[call.name] : void 0;
      let answer2;
      if (!tool) {
        answer2 = functionResult(call, `Unknown tool "${call.name}": this client declares ${Object.keys(tools2).join(", ") || "no tools"}.`, { isError: true });
      } else {
        try {
          answer2 = functionResult(call, await tool.handler(call.arguments ?? {}, { call, signal: turnFields.signal }));
        } catch (err) {
          if (turnFields.signal?.aborted) throw turnFields.signal.reason;
          answer2 = functionResult(call, err instanceof Error ? err.message : String(err), { isError: true });
        }
      }
      toolCalls += 1;
      results.push(answer2);
      await emit({ type: "tool.result", call, result: answer2 });
    }
    return results;
  }
  async function send(next2) {
    const turn = { ...turnFields, tools: declarations, history, input: next2 };
    if (!stream) {
      const completed2 = await client.turn(turn);
      await emit({ type: "turn.completed", result: completed2 });
      return completed2;
    }
    let completed;
    for await (const event of client.streamTurn(turn)) {
      if (event.type === "turn.completed") completed = event.result;
      await emit(event);
    }
    return completed;
  }
  let next = input;
  const owed = unansweredCalls(history);
  if (owed.length > 0) {
    const answers = await answer(owed);
    if (!answers) return stop("max_tool_calls", owed);
    next = [...answers, ...inputSteps(input)];
  }
  for (; ; ) {
    result = await send(next);
    history = result.history;
    if (result.pending_calls.length === 0) return stop("answered", []);
    const answers = await answer(result.pending_calls);
    if (!answers) return stop("max_tool_calls", result.pending_calls);
    next = answers;
  }
}
function inputSteps(input) {
  if (input === void 0) return [];
  if (typeof input === "string") return [{ type: "user_input", content: [{ type: "text", text: input }] }];
  const contentTypes = ["text", "image", "audio", "document", "video"];
  const isContent = input.length > 0 && input.every((item) => contentTypes.includes(item.type));
  return isContent ? [{ type: "user_input", content: [...input] }] : [...input];
}

// src/client/client.ts
function createRelayClient(options) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const url = `${baseUrl}/v1/turns`;
  const timeoutMs = options.timeoutMs ?? 6e5;
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry, maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries };
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  async function open2(params, stream) {
    const { signal, ...fields } = params;
    const body = JSON.stringify(stream ? { ...fields, stream: true } : fields);
    const headers = {
      ...options.headers,
      "content-type": "application/json",
      accept: stream ? "text/event-stream" : "application/json"
    };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    for (let retry = 0; ; retry++) {
      if (signal?.aborted) throw signal.reason;
      const attempt = new Attempt(signal, timeoutMs);
      let res;
      try {
        res = await attempt.guard(Promise.resolve(doFetch(url, { method: "POST", headers, body, signal: attempt.signal })));
      } catch (err) {
        attempt.close();
        throw attempt.failure(err, url);
      }
      if (res.ok) return { res, attempt };
      let error;
      try {
        error = await attempt.guard(errorFromResponse(res));
      } catch (err) {
        throw attempt.failure(err, url);
      } finally {
        attempt.close();
      }
      const delayMs = retryDelay(error, retry, policy);
      if (delayMs === void 0) throw error;
      options.onRetry?.({ retry: retry + 1, delayMs, error });
      await sleep(delayMs, signal);
    }
  }
  async function turn(params) {
    const { res, attempt } = await open2(params, false);
    let text;
    try {
      text = await attempt.guard(res.text());
    } catch (err) {
      res.body?.cancel().catch(() => {
      });
      throw attempt.failure(err, url);
    } finally {
      attempt.close();
    }
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      throw new RelayProtocolError(`${url} answered ${res.status} with a body that is not JSON (content-type ${res.headers.get("content-type") ?? "none"}).`);
    }
    return turnResult(body, url);
  }
  async function* streamTurn(params) {
    const { res, attempt } = await open2(params, true);
    let completed = false;
    try {
      const type = res.headers.get("content-type") ?? "";
      if (!type.startsWith("text/event-stream")) {
        throw new RelayProtocolError(`${url} answered a streamed turn with ${type || "no content type"} instead of text/event-stream.`);
      }
      for await (const message of sseMessages(res, attempt, url)) {
        const event = turnEvent(message, url);
        if (event.type === "turn.completed") completed = true;
        attempt.idle();
        yield event;
        if (completed) return;
        if (attempt.signal.aborted) throw attempt.failure(attempt.signal.reason, url);
        attempt.touch();
      }
      throw new RelayConnectionError(`The stream from ${url} ended before turn.completed; the turn is incomplete.`, url);
    } finally {
      attempt.close();
      if (!completed) attempt.abort();
    }
  }
  const client = {
    baseUrl,
    turn,
    streamTurn,
    runTools: (params) => runTools(client, params)
  };
  return client;
}
var Attempt = class {
  constructor(caller, timeoutMs) {
    this.caller = caller;
    this.timeoutMs = timeoutMs;
    caller?.addEventListener("abort", this.onCallerAbort, { once: true });
    this.touch();
  }
  controller = new AbortController();
  timer;
  timedOut = false;
  onCallerAbort = () => this.controller.abort(this.caller?.reason);
  get signal() {
    return this.controller.signal;
  }
  /** (Re)starts the timeout. */
  touch() {
    this.idle();
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.timeoutMs);
  }
  /** Pauses the timeout. */
  idle() {
    if (this.timer !== void 0) clearTimeout(this.timer);
    this.timer = void 0;
  }
  abort() {
    this.controller.abort();
  }
  /**
   * Settles with `promise`, or rejects as soon as the attempt is aborted (caller, timeout, break):
   * not every fetch rejects on abort (an in-process app may answer 499 instead, a polyfill may ignore it).
   */
  guard(promise) {
    const signal = this.controller.signal;
    if (signal.aborted) {
      promise.catch(() => {
      });
      return Promise.reject(signal.reason);
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (err) => {
          signal.removeEventListener("abort", onAbort);
          reject(err);
        }
      );
    });
  }
  close() {
    this.idle();
    this.caller?.removeEventListener("abort", this.onCallerAbort);
  }
  /** What a failed fetch or read becomes: the caller's abort reason, a timeout, or a connection error. */
  failure(err, url) {
    if (this.caller?.aborted) return this.caller.reason;
    if (this.timedOut) return new RelayTimeoutError(url, this.timeoutMs);
    if (err instanceof RelayConnectionError || err instanceof RelayProtocolError || err instanceof RelayApiError) return err;
    return new RelayConnectionError(`Could not reach the relay at ${url}: ${describe(err)}.`, url, { cause: err });
  }
};
function describe(err) {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : void 0;
  return cause && cause !== err.message ? `${err.message} (${cause})` : err.message;
}
function sleep(ms, signal) {
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
async function* sseMessages(res, attempt, url) {
  const parser = new SseParser();
  if (!res.body) {
    let text;
    try {
      text = await attempt.guard(res.text());
    } catch (err) {
      throw attempt.failure(err, url);
    }
    yield* parser.push(text);
    return;
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  try {
    for (; ; ) {
      const chunk = await attempt.guard(reader.read()).catch((err) => {
        throw attempt.failure(err, url);
      });
      if (chunk.done) break;
      attempt.touch();
      yield* parser.push(decoder.decode(chunk.value, { stream: true }));
    }
    yield* parser.push(decoder.decode());
    parser.end();
  } finally {
    reader.cancel().catch(() => {
    });
  }
}
function turnEvent(message, url) {
  let data;
  try {
    data = JSON.parse(message.data);
  } catch {
    if (message.event.startsWith("turn.")) throw new RelayProtocolError(`${url} sent a ${message.event} event whose data is not JSON.`);
    return { type: "upstream", event: message.event, data: message.data };
  }
  const record = typeof data === "object" && data !== null ? data : {};
  switch (message.event) {
    case "turn.completed":
      return { type: "turn.completed", result: turnResult(data, url) };
    case "turn.step":
      return { type: "turn.step", index: Number(record.index), step: record.step };
    case "turn.error":
      throw problemError(data, { status: 502, streamed: true });
    case "step.delta": {
      const delta = typeof record.delta === "object" && record.delta !== null ? record.delta : {};
      const index = Number(record.index);
      if (delta.type === "text" && typeof delta.text === "string") return { type: "text.delta", index, text: delta.text };
      if (delta.type === "thought_summary" && typeof delta.content === "object" && delta.content !== null) {
        const content = delta.content;
        return { type: "thought_summary.delta", index, content, text: typeof content.text === "string" ? content.text : "" };
      }
      return { type: "upstream", event: message.event, data };
    }
    default:
      return { type: "upstream", event: message.event, data };
  }
}
function turnResult(body, url) {
  const record = body;
  if (typeof record !== "object" || record === null || !Array.isArray(record.history) || !Array.isArray(record.steps) || typeof record.status !== "string") {
    throw new RelayProtocolError(`${url} answered with JSON that is not a turn result (expected history, steps and status).`);
  }
  const pending = Array.isArray(record.pending_calls) ? record.pending_calls : pendingCalls(record.steps);
  return { ...record, pending_calls: pending };
}

// src/client/node.ts
var JsonFileTranscriptStore = class {
  directory;
  constructor(options) {
    this.directory = options.directory;
  }
  /** The file that holds transcript `id`. */
  pathOf(id) {
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(id)) {
      throw new TypeError(`Invalid transcript id ${JSON.stringify(id)}: use 1-100 letters, digits, ".", "_" or "-", not starting with ".".`);
    }
    return join(this.directory, `${id}.json`);
  }
  async load(id) {
    const path = this.pathOf(id);
    let text;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if (err.code === "ENOENT") return void 0;
      throw err;
    }
    let file;
    try {
      file = JSON.parse(text);
    } catch (err) {
      throw new Error(`${path} is not valid JSON (${err.message}); move it away to start over.`);
    }
    if (!Array.isArray(file?.history)) throw new Error(`${path} is not a transcript file (no "history" array); move it away to start over.`);
    return file.history;
  }
  async save(id, history) {
    const path = this.pathOf(id);
    const file = { version: 1, id, updated_at: (/* @__PURE__ */ new Date()).toISOString(), history: [...history] };
    await mkdir(this.directory, { recursive: true });
    const temp = join(this.directory, `.${id}.${randomUUID()}.tmp`);
    try {
      const handle = await open(temp, "w", 384);
      try {
        await handle.writeFile(JSON.stringify(file, null, 2) + "\n", "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
  async delete(id) {
    await rm(this.pathOf(id), { force: true });
  }
};

// demo/support-agent.ts
var HELP = `Support agent: a terminal chat through gemini-relay, with get_order_status run locally.

Usage: npm run demo -- [options]

  --url URL            the relay (default $RELAY_URL or http://127.0.0.1:8787, i.e. \`npm start\`)
  --token TOKEN        sent as Authorization: Bearer TOKEN (default $RELAY_TOKEN)
  --session NAME       which transcript to keep and resume (default "default")
  --reset              start the session's transcript over
  --model NAME         the Gemini model (default gemini-3.5-flash)
  --dir PATH           where transcripts are kept (default demo/.sessions)
  --max-tool-calls N   tool calls allowed per message (default 5)
  -h, --help           this text

In the chat: /reset starts over, /exit (or Ctrl+D) leaves. Ctrl+C stops an answer.
Try: "Where is my order A-4417?", "And A-9001?", "What about B-1?"`;
var SYSTEM_INSTRUCTION = "You are a friendly support agent for an online shop. Use get_order_status to look up orders; never guess an order's status. Keep answers short.";
var ORDERS = {
  "A-4417": { status: "shipped", detail: "left the warehouse yesterday" },
  "A-9001": { status: "processing", detail: "being packed" }
};
var tools = {
  get_order_status: {
    declaration: {
      description: "Look up the shipping status of an order by its id.",
      parameters: { type: "object", properties: { order_id: { type: "string", description: "The order id, e.g. A-1234" } }, required: ["order_id"] }
    },
    handler: ({ order_id }) => {
      const id = String(order_id ?? "").trim().toUpperCase();
      const order = ORDERS[id];
      if (!order) throw new Error(`Order ${id || "(none)"} was not found`);
      return { order_id: id, ...order };
    }
  }
};
var { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    token: { type: "string" },
    session: { type: "string", default: "default" },
    reset: { type: "boolean", default: false },
    model: { type: "string", default: "gemini-3.5-flash" },
    dir: { type: "string" },
    "max-tool-calls": { type: "string", default: "5" },
    help: { type: "boolean", short: "h", default: false }
  },
  strict: true
});
var color = !process.env.NO_COLOR && process.stdout.isTTY === true;
var dim = (text) => color ? `\x1B[2m${text}\x1B[22m` : text;
var bold = (text) => color ? `\x1B[1m${text}\x1B[22m` : text;
var out = (text) => process.stdout.write(text);
async function main() {
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  const url = (args.url ?? process.env.RELAY_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
  const token = args.token ?? process.env.RELAY_TOKEN;
  const maxToolCalls = Number(args["max-tool-calls"]);
  if (!Number.isInteger(maxToolCalls) || maxToolCalls < 0) return fail(`--max-tool-calls must be a whole number, got "${args["max-tool-calls"]}".`);
  const store = new JsonFileTranscriptStore({ directory: args.dir ?? fileURLToPath(new URL("./.sessions", import.meta.url)) });
  const session = args.session;
  let file;
  try {
    file = store.pathOf(session);
  } catch (err) {
    return fail(`--session: ${err.message}`);
  }
  if (!await relayIsUp(url, token)) return 1;
  if (args.reset) await store.delete(session);
  let history;
  try {
    history = await store.load(session) ?? [];
  } catch (err) {
    return fail(err.message);
  }
  console.log(bold(`Support agent`) + dim(` \xB7 ${url} \xB7 model ${args.model} \xB7 session "${session}"`));
  if (history.length > 0) {
    console.log(dim(`Resumed ${history.length} steps from ${file}. The conversation so far:`));
    for (const line of replay(history).slice(-8)) console.log(dim(`  ${line}`));
  } else {
    console.log(dim(`New transcript (${file}). Ask about an order, e.g. "Where is my order A-4417?" \xB7 /exit to leave`));
  }
  const client = createRelayClient({
    baseUrl: url,
    token,
    onRetry: ({ delayMs, error }) => console.log(dim(`  relay busy (${error.status} ${error.code}); retrying in ${(delayMs / 1e3).toFixed(1)} s`))
  });
  const interactive = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  rl.setPrompt(bold("you \u203A "));
  const lines = rl[Symbol.asyncIterator]();
  let turn;
  rl.on("SIGINT", () => {
    if (turn) turn.abort(new Error("stopped"));
    else rl.close();
  });
  for (; ; ) {
    if (interactive) rl.prompt();
    const next = await lines.next();
    if (next.done) {
      if (interactive) out("\n");
      break;
    }
    const text = next.value.trim();
    if (!interactive) out(`${bold("you \u203A ")}${text}
`);
    if (text === "") continue;
    if (text === "/exit" || text === "/quit") break;
    if (text === "/help") {
      console.log(dim(HELP));
      continue;
    }
    if (text === "/reset") {
      await store.delete(session);
      history = [];
      console.log(dim("Transcript cleared; starting over."));
      continue;
    }
    turn = new AbortController();
    const view = new AnswerView();
    try {
      const run = await client.runTools({
        model: args.model,
        system_instruction: SYSTEM_INSTRUCTION,
        generation_config: { thinking_summaries: "auto" },
        history,
        input: text,
        tools,
        maxToolCalls,
        stream: true,
        signal: turn.signal,
        onEvent: (event) => view.show(event)
      });
      view.end();
      if (!run.output_text) console.log(dim(`agent \u203A (no text in the answer; status ${run.result?.status ?? "none"})`));
      if (run.stopReason === "max_tool_calls") {
        console.log(dim(`  (stopped after ${run.toolCalls} tool calls; the ${run.pending_calls.length} left are answered with your next message)`));
      }
      history = run.history;
      await store.save(session, history);
    } catch (err) {
      view.end();
      report(err, url);
    } finally {
      turn = void 0;
    }
  }
  rl.close();
  console.log(dim(`Bye. ${history.length} steps kept in ${file}; \`npm run demo -- --session ${session}\` resumes.`));
  return 0;
}
var AnswerView = class {
  mode = "none";
  show(event) {
    switch (event.type) {
      case "thought_summary.delta":
        if (this.mode !== "thought") this.start("thought", dim("  thinking: "));
        out(dim(event.text.replace(/\s*\n+\s*/g, " ")));
        break;
      case "text.delta":
        if (this.mode !== "answer") this.start("answer", bold("agent \u203A "));
        out(event.text);
        break;
      case "tool.call":
        this.end();
        console.log(dim(`  \u2192 ${event.call.name}(${JSON.stringify(event.call.arguments)})`));
        break;
      case "tool.result": {
        const { result } = event;
        const shown = typeof result.result === "string" ? result.result : JSON.stringify(result.result);
        console.log(dim(`  \u2190 ${result.is_error ? "error: " : ""}${shown}`));
        break;
      }
      case "turn.step":
        if (event.step.type === "thought" || event.step.type === "model_output") this.end();
        break;
      default:
        break;
    }
  }
  end() {
    if (this.mode !== "none") out("\n");
    this.mode = "none";
  }
  start(mode, prefix) {
    this.end();
    this.mode = mode;
    out(prefix);
  }
};
function replay(history) {
  const textOf = (content) => (Array.isArray(content) ? content : []).map((block) => block?.type === "text" && typeof block.text === "string" ? block.text : "").join("");
  return history.flatMap((step) => {
    switch (step.type) {
      case "user_input":
        return [`you \u203A ${textOf(step.content)}`];
      case "model_output":
        return [`agent \u203A ${textOf(step.content)}`];
      case "function_call":
        return [`\u2192 ${String(step.name)}(${JSON.stringify(step.arguments)})`];
      case "function_result":
        return [`\u2190 ${step.is_error ? "error: " : ""}${typeof step.result === "string" ? step.result : JSON.stringify(step.result)}`];
      default:
        return [];
    }
  });
}
async function relayIsUp(url, token) {
  try {
    await fetch(`${url}/healthz`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(1e4) });
    return true;
  } catch (err) {
    const cause = err.cause;
    const why = cause?.code ?? cause?.message ?? err.message;
    fail(`Cannot reach the relay at ${url} (${why}).
${hint(url)}`);
    return false;
  }
}
function hint(url) {
  return /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(url) ? "Is `npm start` running? Start it in another terminal, then run the demo again." : "Check --url, and that the relay is deployed and reachable from here.";
}
function report(err, url) {
  const note = dim(" (nothing was saved; send the message again)");
  if (err instanceof RelayTimeoutError) {
    console.error(`error: ${err.message}${note}`);
  } else if (err instanceof RelayConnectionError) {
    console.error(`error: ${err.message}
${hint(url)}${note}`);
  } else if (err instanceof RelayApiError) {
    console.error(`error: the relay answered ${err.status} ${err.code}: ${err.detail}${note}`);
    for (const item of err.errors) console.error(dim(`  ${item.path || "(body)"}: ${item.message}`));
    if (err.status === 401 || err.status === 403) console.error(dim("  Check --token (or $RELAY_TOKEN)."));
    if (err.requestId) console.error(dim(`  request id ${err.requestId}`));
  } else if (err instanceof RelayClientError) {
    console.error(`error: ${err.message}${note}`);
  } else if (err instanceof Error && err.message === "stopped") {
    console.error(dim("(stopped)"));
  } else {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}${note}`);
  }
}
function fail(message) {
  console.error(`support-agent: ${message}`);
  return 1;
}
process.exitCode = await main();
//# sourceMappingURL=data:application/json;base64,ewogICJ2ZXJzaW9uIjogMywKICAic291cmNlcyI6IFsic3VwcG9ydC1hZ2VudC50cyIsICIuLi9zcmMvY2xpZW50L25vZGUudHMiLCAiLi4vc3JjL2NsaWVudC9lcnJvcnMudHMiLCAiLi4vc3JjL2NsaWVudC9yZXRyeS50cyIsICIuLi9zcmMvY2xpZW50L3NzZS50cyIsICIuLi9zcmMvY2xpZW50L3Rvb2xzLnRzIiwgIi4uL3NyYy9jbGllbnQvY2xpZW50LnRzIl0sCiAgInNvdXJjZXNDb250ZW50IjogWyIvKipcbiAqIFRoZSBzZWVkJ3Mgc3VwcG9ydCBhZ2VudCBhcyBhIHRlcm1pbmFsIGNoYXQ6IHRoZSBtb2RlbCBydW5zIG9uIHRoZSByZWxheSwgYGdldF9vcmRlcl9zdGF0dXNgXG4gKiBydW5zIGhlcmUsIGFuZCB0aGUgdHJhbnNjcmlwdCBsaXZlcyBpbiBhIGxvY2FsIEpTT04gZmlsZSB0aGF0IHRoZSBuZXh0IHJ1biByZXN1bWVzLlxuICpcbiAqICAgbnBtIHJ1biBkZW1vICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIChhZ2FpbnN0IGBucG0gc3RhcnRgIG9uIGh0dHA6Ly8xMjcuMC4wLjE6ODc4NylcbiAqICAgbnBtIHJ1biBkZW1vIC0tIC0tc2Vzc2lvbiBhbGljZSAtLXJlc2V0ICAgIChzdGFydCBhbGljZSdzIHRyYW5zY3JpcHQgb3ZlcilcbiAqICAgbnBtIHJ1biBkZW1vIC0tIC0tdXJsIGh0dHBzOi8vcmVsYXkuZXhhbXBsZS5jb20gLS10b2tlbiAkUkVMQVlfVE9LRU5cbiAqL1xuaW1wb3J0IHsgY3JlYXRlSW50ZXJmYWNlIH0gZnJvbSBcIm5vZGU6cmVhZGxpbmVcIjtcbmltcG9ydCB7IGZpbGVVUkxUb1BhdGggfSBmcm9tIFwibm9kZTp1cmxcIjtcbmltcG9ydCB7IHBhcnNlQXJncyB9IGZyb20gXCJub2RlOnV0aWxcIjtcbmltcG9ydCB7XG4gIGNyZWF0ZVJlbGF5Q2xpZW50LFxuICBKc29uRmlsZVRyYW5zY3JpcHRTdG9yZSxcbiAgUmVsYXlBcGlFcnJvcixcbiAgUmVsYXlDbGllbnRFcnJvcixcbiAgUmVsYXlDb25uZWN0aW9uRXJyb3IsXG4gIFJlbGF5VGltZW91dEVycm9yLFxuICB0eXBlIFJ1blRvb2xzRXZlbnQsXG4gIHR5cGUgU3RlcCxcbiAgdHlwZSBUb29sRGVmaW5pdGlvbixcbn0gZnJvbSBcIi4uL3NyYy9jbGllbnQvbm9kZVwiO1xuXG5jb25zdCBIRUxQID0gYFN1cHBvcnQgYWdlbnQ6IGEgdGVybWluYWwgY2hhdCB0aHJvdWdoIGdlbWluaS1yZWxheSwgd2l0aCBnZXRfb3JkZXJfc3RhdHVzIHJ1biBsb2NhbGx5LlxuXG5Vc2FnZTogbnBtIHJ1biBkZW1vIC0tIFtvcHRpb25zXVxuXG4gIC0tdXJsIFVSTCAgICAgICAgICAgIHRoZSByZWxheSAoZGVmYXVsdCAkUkVMQVlfVVJMIG9yIGh0dHA6Ly8xMjcuMC4wLjE6ODc4NywgaS5lLiBcXGBucG0gc3RhcnRcXGApXG4gIC0tdG9rZW4gVE9LRU4gICAgICAgIHNlbnQgYXMgQXV0aG9yaXphdGlvbjogQmVhcmVyIFRPS0VOIChkZWZhdWx0ICRSRUxBWV9UT0tFTilcbiAgLS1zZXNzaW9uIE5BTUUgICAgICAgd2hpY2ggdHJhbnNjcmlwdCB0byBrZWVwIGFuZCByZXN1bWUgKGRlZmF1bHQgXCJkZWZhdWx0XCIpXG4gIC0tcmVzZXQgICAgICAgICAgICAgIHN0YXJ0IHRoZSBzZXNzaW9uJ3MgdHJhbnNjcmlwdCBvdmVyXG4gIC0tbW9kZWwgTkFNRSAgICAgICAgIHRoZSBHZW1pbmkgbW9kZWwgKGRlZmF1bHQgZ2VtaW5pLTMuNS1mbGFzaClcbiAgLS1kaXIgUEFUSCAgICAgICAgICAgd2hlcmUgdHJhbnNjcmlwdHMgYXJlIGtlcHQgKGRlZmF1bHQgZGVtby8uc2Vzc2lvbnMpXG4gIC0tbWF4LXRvb2wtY2FsbHMgTiAgIHRvb2wgY2FsbHMgYWxsb3dlZCBwZXIgbWVzc2FnZSAoZGVmYXVsdCA1KVxuICAtaCwgLS1oZWxwICAgICAgICAgICB0aGlzIHRleHRcblxuSW4gdGhlIGNoYXQ6IC9yZXNldCBzdGFydHMgb3ZlciwgL2V4aXQgKG9yIEN0cmwrRCkgbGVhdmVzLiBDdHJsK0Mgc3RvcHMgYW4gYW5zd2VyLlxuVHJ5OiBcIldoZXJlIGlzIG15IG9yZGVyIEEtNDQxNz9cIiwgXCJBbmQgQS05MDAxP1wiLCBcIldoYXQgYWJvdXQgQi0xP1wiYDtcblxuY29uc3QgU1lTVEVNX0lOU1RSVUNUSU9OID1cbiAgXCJZb3UgYXJlIGEgZnJpZW5kbHkgc3VwcG9ydCBhZ2VudCBmb3IgYW4gb25saW5lIHNob3AuIFVzZSBnZXRfb3JkZXJfc3RhdHVzIHRvIGxvb2sgdXAgb3JkZXJzOyBuZXZlciBndWVzcyBhbiBvcmRlcidzIHN0YXR1cy4gS2VlcCBhbnN3ZXJzIHNob3J0LlwiO1xuXG4vKiogVGhlIGRlbW8ncyBvbmUgdG9vbDogYSBwcmV0ZW5kIG9yZGVyIGRhdGFiYXNlLCBydW4gYnkgdGhpcyBwcm9jZXNzIHdoZW4gdGhlIG1vZGVsIGFza3MuICovXG5jb25zdCBPUkRFUlM6IFJlY29yZDxzdHJpbmcsIHsgc3RhdHVzOiBzdHJpbmc7IGRldGFpbDogc3RyaW5nIH0+ID0ge1xuICBcIkEtNDQxN1wiOiB7IHN0YXR1czogXCJzaGlwcGVkXCIsIGRldGFpbDogXCJsZWZ0IHRoZSB3YXJlaG91c2UgeWVzdGVyZGF5XCIgfSxcbiAgXCJBLTkwMDFcIjogeyBzdGF0dXM6IFwicHJvY2Vzc2luZ1wiLCBkZXRhaWw6IFwiYmVpbmcgcGFja2VkXCIgfSxcbn07XG5cbmNvbnN0IHRvb2xzOiBSZWNvcmQ8c3RyaW5nLCBUb29sRGVmaW5pdGlvbj4gPSB7XG4gIGdldF9vcmRlcl9zdGF0dXM6IHtcbiAgICBkZWNsYXJhdGlvbjoge1xuICAgICAgZGVzY3JpcHRpb246IFwiTG9vayB1cCB0aGUgc2hpcHBpbmcgc3RhdHVzIG9mIGFuIG9yZGVyIGJ5IGl0cyBpZC5cIixcbiAgICAgIHBhcmFtZXRlcnM6IHsgdHlwZTogXCJvYmplY3RcIiwgcHJvcGVydGllczogeyBvcmRlcl9pZDogeyB0eXBlOiBcInN0cmluZ1wiLCBkZXNjcmlwdGlvbjogXCJUaGUgb3JkZXIgaWQsIGUuZy4gQS0xMjM0XCIgfSB9LCByZXF1aXJlZDogW1wib3JkZXJfaWRcIl0gfSxcbiAgICB9LFxuICAgIGhhbmRsZXI6ICh7IG9yZGVyX2lkIH06IHsgb3JkZXJfaWQ/OiB1bmtub3duIH0pID0+IHtcbiAgICAgIGNvbnN0IGlkID0gU3RyaW5nKG9yZGVyX2lkID8/IFwiXCIpLnRyaW0oKS50b1VwcGVyQ2FzZSgpO1xuICAgICAgY29uc3Qgb3JkZXIgPSBPUkRFUlNbaWRdO1xuICAgICAgaWYgKCFvcmRlcikgdGhyb3cgbmV3IEVycm9yKGBPcmRlciAke2lkIHx8IFwiKG5vbmUpXCJ9IHdhcyBub3QgZm91bmRgKTtcbiAgICAgIHJldHVybiB7IG9yZGVyX2lkOiBpZCwgLi4ub3JkZXIgfTtcbiAgICB9LFxuICB9LFxufTtcblxuLy8gLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tXG5cbmNvbnN0IHsgdmFsdWVzOiBhcmdzIH0gPSBwYXJzZUFyZ3Moe1xuICBvcHRpb25zOiB7XG4gICAgdXJsOiB7IHR5cGU6IFwic3RyaW5nXCIgfSxcbiAgICB0b2tlbjogeyB0eXBlOiBcInN0cmluZ1wiIH0sXG4gICAgc2Vzc2lvbjogeyB0eXBlOiBcInN0cmluZ1wiLCBkZWZhdWx0OiBcImRlZmF1bHRcIiB9LFxuICAgIHJlc2V0OiB7IHR5cGU6IFwiYm9vbGVhblwiLCBkZWZhdWx0OiBmYWxzZSB9LFxuICAgIG1vZGVsOiB7IHR5cGU6IFwic3RyaW5nXCIsIGRlZmF1bHQ6IFwiZ2VtaW5pLTMuNS1mbGFzaFwiIH0sXG4gICAgZGlyOiB7IHR5cGU6IFwic3RyaW5nXCIgfSxcbiAgICBcIm1heC10b29sLWNhbGxzXCI6IHsgdHlwZTogXCJzdHJpbmdcIiwgZGVmYXVsdDogXCI1XCIgfSxcbiAgICBoZWxwOiB7IHR5cGU6IFwiYm9vbGVhblwiLCBzaG9ydDogXCJoXCIsIGRlZmF1bHQ6IGZhbHNlIH0sXG4gIH0sXG4gIHN0cmljdDogdHJ1ZSxcbn0pO1xuXG5jb25zdCBjb2xvciA9ICFwcm9jZXNzLmVudi5OT19DT0xPUiAmJiBwcm9jZXNzLnN0ZG91dC5pc1RUWSA9PT0gdHJ1ZTtcbmNvbnN0IGRpbSA9ICh0ZXh0OiBzdHJpbmcpID0+IChjb2xvciA/IGBcXHgxYlsybSR7dGV4dH1cXHgxYlsyMm1gIDogdGV4dCk7XG5jb25zdCBib2xkID0gKHRleHQ6IHN0cmluZykgPT4gKGNvbG9yID8gYFxceDFiWzFtJHt0ZXh0fVxceDFiWzIybWAgOiB0ZXh0KTtcbmNvbnN0IG91dCA9ICh0ZXh0OiBzdHJpbmcpID0+IHByb2Nlc3Muc3Rkb3V0LndyaXRlKHRleHQpO1xuXG5hc3luYyBmdW5jdGlvbiBtYWluKCk6IFByb21pc2U8bnVtYmVyPiB7XG4gIGlmIChhcmdzLmhlbHApIHtcbiAgICBjb25zb2xlLmxvZyhIRUxQKTtcbiAgICByZXR1cm4gMDtcbiAgfVxuICBjb25zdCB1cmwgPSAoYXJncy51cmwgPz8gcHJvY2Vzcy5lbnYuUkVMQVlfVVJMID8/IFwiaHR0cDovLzEyNy4wLjAuMTo4Nzg3XCIpLnJlcGxhY2UoL1xcLyskLywgXCJcIik7XG4gIGNvbnN0IHRva2VuID0gYXJncy50b2tlbiA/PyBwcm9jZXNzLmVudi5SRUxBWV9UT0tFTjtcbiAgY29uc3QgbWF4VG9vbENhbGxzID0gTnVtYmVyKGFyZ3NbXCJtYXgtdG9vbC1jYWxsc1wiXSk7XG4gIGlmICghTnVtYmVyLmlzSW50ZWdlcihtYXhUb29sQ2FsbHMpIHx8IG1heFRvb2xDYWxscyA8IDApIHJldHVybiBmYWlsKGAtLW1heC10b29sLWNhbGxzIG11c3QgYmUgYSB3aG9sZSBudW1iZXIsIGdvdCBcIiR7YXJnc1tcIm1heC10b29sLWNhbGxzXCJdfVwiLmApO1xuICBjb25zdCBzdG9yZSA9IG5ldyBKc29uRmlsZVRyYW5zY3JpcHRTdG9yZSh7IGRpcmVjdG9yeTogYXJncy5kaXIgPz8gZmlsZVVSTFRvUGF0aChuZXcgVVJMKFwiLi8uc2Vzc2lvbnNcIiwgaW1wb3J0Lm1ldGEudXJsKSkgfSk7XG4gIGNvbnN0IHNlc3Npb24gPSBhcmdzLnNlc3Npb24hO1xuICBsZXQgZmlsZTogc3RyaW5nO1xuICB0cnkge1xuICAgIGZpbGUgPSBzdG9yZS5wYXRoT2Yoc2Vzc2lvbik7XG4gIH0gY2F0Y2ggKGVycikge1xuICAgIHJldHVybiBmYWlsKGAtLXNlc3Npb246ICR7KGVyciBhcyBFcnJvcikubWVzc2FnZX1gKTtcbiAgfVxuXG4gIGlmICghKGF3YWl0IHJlbGF5SXNVcCh1cmwsIHRva2VuKSkpIHJldHVybiAxO1xuXG4gIGlmIChhcmdzLnJlc2V0KSBhd2FpdCBzdG9yZS5kZWxldGUoc2Vzc2lvbik7XG4gIGxldCBoaXN0b3J5OiBTdGVwW107XG4gIHRyeSB7XG4gICAgaGlzdG9yeSA9IChhd2FpdCBzdG9yZS5sb2FkKHNlc3Npb24pKSA/PyBbXTtcbiAgfSBjYXRjaCAoZXJyKSB7XG4gICAgcmV0dXJuIGZhaWwoKGVyciBhcyBFcnJvcikubWVzc2FnZSk7XG4gIH1cbiAgY29uc29sZS5sb2coYm9sZChgU3VwcG9ydCBhZ2VudGApICsgZGltKGAgXHUwMEI3ICR7dXJsfSBcdTAwQjcgbW9kZWwgJHthcmdzLm1vZGVsfSBcdTAwQjcgc2Vzc2lvbiBcIiR7c2Vzc2lvbn1cImApKTtcbiAgaWYgKGhpc3RvcnkubGVuZ3RoID4gMCkge1xuICAgIGNvbnNvbGUubG9nKGRpbShgUmVzdW1lZCAke2hpc3RvcnkubGVuZ3RofSBzdGVwcyBmcm9tICR7ZmlsZX0uIFRoZSBjb252ZXJzYXRpb24gc28gZmFyOmApKTtcbiAgICBmb3IgKGNvbnN0IGxpbmUgb2YgcmVwbGF5KGhpc3RvcnkpLnNsaWNlKC04KSkgY29uc29sZS5sb2coZGltKGAgICR7bGluZX1gKSk7XG4gIH0gZWxzZSB7XG4gICAgY29uc29sZS5sb2coZGltKGBOZXcgdHJhbnNjcmlwdCAoJHtmaWxlfSkuIEFzayBhYm91dCBhbiBvcmRlciwgZS5nLiBcIldoZXJlIGlzIG15IG9yZGVyIEEtNDQxNz9cIiBcdTAwQjcgL2V4aXQgdG8gbGVhdmVgKSk7XG4gIH1cblxuICBjb25zdCBjbGllbnQgPSBjcmVhdGVSZWxheUNsaWVudCh7XG4gICAgYmFzZVVybDogdXJsLFxuICAgIHRva2VuLFxuICAgIG9uUmV0cnk6ICh7IGRlbGF5TXMsIGVycm9yIH0pID0+IGNvbnNvbGUubG9nKGRpbShgICByZWxheSBidXN5ICgke2Vycm9yLnN0YXR1c30gJHtlcnJvci5jb2RlfSk7IHJldHJ5aW5nIGluICR7KGRlbGF5TXMgLyAxMDAwKS50b0ZpeGVkKDEpfSBzYCkpLFxuICB9KTtcblxuICBjb25zdCBpbnRlcmFjdGl2ZSA9IHByb2Nlc3Muc3RkaW4uaXNUVFkgPT09IHRydWU7XG4gIGNvbnN0IHJsID0gY3JlYXRlSW50ZXJmYWNlKHsgaW5wdXQ6IHByb2Nlc3Muc3RkaW4sIG91dHB1dDogcHJvY2Vzcy5zdGRvdXQsIHRlcm1pbmFsOiBpbnRlcmFjdGl2ZSB9KTtcbiAgcmwuc2V0UHJvbXB0KGJvbGQoXCJ5b3UgXHUyMDNBIFwiKSk7XG4gIGNvbnN0IGxpbmVzID0gcmxbU3ltYm9sLmFzeW5jSXRlcmF0b3JdKCk7XG4gIGxldCB0dXJuOiBBYm9ydENvbnRyb2xsZXIgfCB1bmRlZmluZWQ7XG4gIHJsLm9uKFwiU0lHSU5UXCIsICgpID0+IHtcbiAgICBpZiAodHVybikgdHVybi5hYm9ydChuZXcgRXJyb3IoXCJzdG9wcGVkXCIpKTtcbiAgICBlbHNlIHJsLmNsb3NlKCk7XG4gIH0pO1xuXG4gIGZvciAoOzspIHtcbiAgICBpZiAoaW50ZXJhY3RpdmUpIHJsLnByb21wdCgpO1xuICAgIGNvbnN0IG5leHQgPSBhd2FpdCBsaW5lcy5uZXh0KCk7XG4gICAgaWYgKG5leHQuZG9uZSkge1xuICAgICAgaWYgKGludGVyYWN0aXZlKSBvdXQoXCJcXG5cIik7XG4gICAgICBicmVhaztcbiAgICB9XG4gICAgY29uc3QgdGV4dCA9IG5leHQudmFsdWUudHJpbSgpO1xuICAgIGlmICghaW50ZXJhY3RpdmUpIG91dChgJHtib2xkKFwieW91IFx1MjAzQSBcIil9JHt0ZXh0fVxcbmApO1xuICAgIGlmICh0ZXh0ID09PSBcIlwiKSBjb250aW51ZTtcbiAgICBpZiAodGV4dCA9PT0gXCIvZXhpdFwiIHx8IHRleHQgPT09IFwiL3F1aXRcIikgYnJlYWs7XG4gICAgaWYgKHRleHQgPT09IFwiL2hlbHBcIikge1xuICAgICAgY29uc29sZS5sb2coZGltKEhFTFApKTtcbiAgICAgIGNvbnRpbnVlO1xuICAgIH1cbiAgICBpZiAodGV4dCA9PT0gXCIvcmVzZXRcIikge1xuICAgICAgYXdhaXQgc3RvcmUuZGVsZXRlKHNlc3Npb24pO1xuICAgICAgaGlzdG9yeSA9IFtdO1xuICAgICAgY29uc29sZS5sb2coZGltKFwiVHJhbnNjcmlwdCBjbGVhcmVkOyBzdGFydGluZyBvdmVyLlwiKSk7XG4gICAgICBjb250aW51ZTtcbiAgICB9XG5cbiAgICB0dXJuID0gbmV3IEFib3J0Q29udHJvbGxlcigpO1xuICAgIGNvbnN0IHZpZXcgPSBuZXcgQW5zd2VyVmlldygpO1xuICAgIHRyeSB7XG4gICAgICBjb25zdCBydW4gPSBhd2FpdCBjbGllbnQucnVuVG9vbHMoe1xuICAgICAgICBtb2RlbDogYXJncy5tb2RlbCEsXG4gICAgICAgIHN5c3RlbV9pbnN0cnVjdGlvbjogU1lTVEVNX0lOU1RSVUNUSU9OLFxuICAgICAgICBnZW5lcmF0aW9uX2NvbmZpZzogeyB0aGlua2luZ19zdW1tYXJpZXM6IFwiYXV0b1wiIH0sXG4gICAgICAgIGhpc3RvcnksXG4gICAgICAgIGlucHV0OiB0ZXh0LFxuICAgICAgICB0b29scyxcbiAgICAgICAgbWF4VG9vbENhbGxzLFxuICAgICAgICBzdHJlYW06IHRydWUsXG4gICAgICAgIHNpZ25hbDogdHVybi5zaWduYWwsXG4gICAgICAgIG9uRXZlbnQ6IChldmVudCkgPT4gdmlldy5zaG93KGV2ZW50KSxcbiAgICAgIH0pO1xuICAgICAgdmlldy5lbmQoKTtcbiAgICAgIGlmICghcnVuLm91dHB1dF90ZXh0KSBjb25zb2xlLmxvZyhkaW0oYGFnZW50IFx1MjAzQSAobm8gdGV4dCBpbiB0aGUgYW5zd2VyOyBzdGF0dXMgJHtydW4ucmVzdWx0Py5zdGF0dXMgPz8gXCJub25lXCJ9KWApKTtcbiAgICAgIGlmIChydW4uc3RvcFJlYXNvbiA9PT0gXCJtYXhfdG9vbF9jYWxsc1wiKSB7XG4gICAgICAgIGNvbnNvbGUubG9nKGRpbShgICAoc3RvcHBlZCBhZnRlciAke3J1bi50b29sQ2FsbHN9IHRvb2wgY2FsbHM7IHRoZSAke3J1bi5wZW5kaW5nX2NhbGxzLmxlbmd0aH0gbGVmdCBhcmUgYW5zd2VyZWQgd2l0aCB5b3VyIG5leHQgbWVzc2FnZSlgKSk7XG4gICAgICB9XG4gICAgICBoaXN0b3J5ID0gcnVuLmhpc3Rvcnk7XG4gICAgICBhd2FpdCBzdG9yZS5zYXZlKHNlc3Npb24sIGhpc3RvcnkpO1xuICAgIH0gY2F0Y2ggKGVycikge1xuICAgICAgdmlldy5lbmQoKTtcbiAgICAgIHJlcG9ydChlcnIsIHVybCk7XG4gICAgfSBmaW5hbGx5IHtcbiAgICAgIHR1cm4gPSB1bmRlZmluZWQ7XG4gICAgfVxuICB9XG4gIHJsLmNsb3NlKCk7XG4gIGNvbnNvbGUubG9nKGRpbShgQnllLiAke2hpc3RvcnkubGVuZ3RofSBzdGVwcyBrZXB0IGluICR7ZmlsZX07IFxcYG5wbSBydW4gZGVtbyAtLSAtLXNlc3Npb24gJHtzZXNzaW9ufVxcYCByZXN1bWVzLmApKTtcbiAgcmV0dXJuIDA7XG59XG5cbi8qKiBSZW5kZXJzIGEgc3RyZWFtZWQgdG9vbCBsb29wOiB0aG91Z2h0IHN1bW1hcmllcyBhbmQgdG9vbCBjYWxscyBkaW0sIHRoZSBhbnN3ZXIgYXMgaXQgYXJyaXZlcy4gKi9cbmNsYXNzIEFuc3dlclZpZXcge1xuICBwcml2YXRlIG1vZGU6IFwibm9uZVwiIHwgXCJ0aG91Z2h0XCIgfCBcImFuc3dlclwiID0gXCJub25lXCI7XG5cbiAgc2hvdyhldmVudDogUnVuVG9vbHNFdmVudCk6IHZvaWQge1xuICAgIHN3aXRjaCAoZXZlbnQudHlwZSkge1xuICAgICAgY2FzZSBcInRob3VnaHRfc3VtbWFyeS5kZWx0YVwiOlxuICAgICAgICBpZiAodGhpcy5tb2RlICE9PSBcInRob3VnaHRcIikgdGhpcy5zdGFydChcInRob3VnaHRcIiwgZGltKFwiICB0aGlua2luZzogXCIpKTtcbiAgICAgICAgb3V0KGRpbShldmVudC50ZXh0LnJlcGxhY2UoL1xccypcXG4rXFxzKi9nLCBcIiBcIikpKTtcbiAgICAgICAgYnJlYWs7XG4gICAgICBjYXNlIFwidGV4dC5kZWx0YVwiOlxuICAgICAgICBpZiAodGhpcy5tb2RlICE9PSBcImFuc3dlclwiKSB0aGlzLnN0YXJ0KFwiYW5zd2VyXCIsIGJvbGQoXCJhZ2VudCBcdTIwM0EgXCIpKTtcbiAgICAgICAgb3V0KGV2ZW50LnRleHQpO1xuICAgICAgICBicmVhaztcbiAgICAgIGNhc2UgXCJ0b29sLmNhbGxcIjpcbiAgICAgICAgdGhpcy5lbmQoKTtcbiAgICAgICAgY29uc29sZS5sb2coZGltKGAgIFx1MjE5MiAke2V2ZW50LmNhbGwubmFtZX0oJHtKU09OLnN0cmluZ2lmeShldmVudC5jYWxsLmFyZ3VtZW50cyl9KWApKTtcbiAgICAgICAgYnJlYWs7XG4gICAgICBjYXNlIFwidG9vbC5yZXN1bHRcIjoge1xuICAgICAgICBjb25zdCB7IHJlc3VsdCB9ID0gZXZlbnQ7XG4gICAgICAgIGNvbnN0IHNob3duID0gdHlwZW9mIHJlc3VsdC5yZXN1bHQgPT09IFwic3RyaW5nXCIgPyByZXN1bHQucmVzdWx0IDogSlNPTi5zdHJpbmdpZnkocmVzdWx0LnJlc3VsdCk7XG4gICAgICAgIGNvbnNvbGUubG9nKGRpbShgICBcdTIxOTAgJHtyZXN1bHQuaXNfZXJyb3IgPyBcImVycm9yOiBcIiA6IFwiXCJ9JHtzaG93bn1gKSk7XG4gICAgICAgIGJyZWFrO1xuICAgICAgfVxuICAgICAgY2FzZSBcInR1cm4uc3RlcFwiOlxuICAgICAgICAvLyBBIGZpbmlzaGVkIHRob3VnaHQgb3IgYW5zd2VyIGNsb3NlcyBpdHMgbGluZS5cbiAgICAgICAgaWYgKGV2ZW50LnN0ZXAudHlwZSA9PT0gXCJ0aG91Z2h0XCIgfHwgZXZlbnQuc3RlcC50eXBlID09PSBcIm1vZGVsX291dHB1dFwiKSB0aGlzLmVuZCgpO1xuICAgICAgICBicmVhaztcbiAgICAgIGRlZmF1bHQ6XG4gICAgICAgIGJyZWFrO1xuICAgIH1cbiAgfVxuXG4gIGVuZCgpOiB2b2lkIHtcbiAgICBpZiAodGhpcy5tb2RlICE9PSBcIm5vbmVcIikgb3V0KFwiXFxuXCIpO1xuICAgIHRoaXMubW9kZSA9IFwibm9uZVwiO1xuICB9XG5cbiAgcHJpdmF0ZSBzdGFydChtb2RlOiBcInRob3VnaHRcIiB8IFwiYW5zd2VyXCIsIHByZWZpeDogc3RyaW5nKTogdm9pZCB7XG4gICAgdGhpcy5lbmQoKTtcbiAgICB0aGlzLm1vZGUgPSBtb2RlO1xuICAgIG91dChwcmVmaXgpO1xuICB9XG59XG5cbi8qKiBBIHRyYW5zY3JpcHQgYXMgc2hvcnQgbGluZXMsIGZvciBzaG93aW5nIHdoZXJlIGEgcmVzdW1lZCBjb252ZXJzYXRpb24gc3RhbmRzLiAqL1xuZnVuY3Rpb24gcmVwbGF5KGhpc3Rvcnk6IHJlYWRvbmx5IFN0ZXBbXSk6IHN0cmluZ1tdIHtcbiAgY29uc3QgdGV4dE9mID0gKGNvbnRlbnQ6IHVua25vd24pID0+XG4gICAgKEFycmF5LmlzQXJyYXkoY29udGVudCkgPyBjb250ZW50IDogW10pXG4gICAgICAubWFwKChibG9jazogeyB0eXBlPzogdW5rbm93bjsgdGV4dD86IHVua25vd24gfSkgPT4gKGJsb2NrPy50eXBlID09PSBcInRleHRcIiAmJiB0eXBlb2YgYmxvY2sudGV4dCA9PT0gXCJzdHJpbmdcIiA/IGJsb2NrLnRleHQgOiBcIlwiKSlcbiAgICAgIC5qb2luKFwiXCIpO1xuICByZXR1cm4gaGlzdG9yeS5mbGF0TWFwKChzdGVwKTogc3RyaW5nW10gPT4ge1xuICAgIHN3aXRjaCAoc3RlcC50eXBlKSB7XG4gICAgICBjYXNlIFwidXNlcl9pbnB1dFwiOlxuICAgICAgICByZXR1cm4gW2B5b3UgXHUyMDNBICR7dGV4dE9mKHN0ZXAuY29udGVudCl9YF07XG4gICAgICBjYXNlIFwibW9kZWxfb3V0cHV0XCI6XG4gICAgICAgIHJldHVybiBbYGFnZW50IFx1MjAzQSAke3RleHRPZihzdGVwLmNvbnRlbnQpfWBdO1xuICAgICAgY2FzZSBcImZ1bmN0aW9uX2NhbGxcIjpcbiAgICAgICAgcmV0dXJuIFtgXHUyMTkyICR7U3RyaW5nKHN0ZXAubmFtZSl9KCR7SlNPTi5zdHJpbmdpZnkoc3RlcC5hcmd1bWVudHMpfSlgXTtcbiAgICAgIGNhc2UgXCJmdW5jdGlvbl9yZXN1bHRcIjpcbiAgICAgICAgcmV0dXJuIFtgXHUyMTkwICR7c3RlcC5pc19lcnJvciA/IFwiZXJyb3I6IFwiIDogXCJcIn0ke3R5cGVvZiBzdGVwLnJlc3VsdCA9PT0gXCJzdHJpbmdcIiA/IHN0ZXAucmVzdWx0IDogSlNPTi5zdHJpbmdpZnkoc3RlcC5yZXN1bHQpfWBdO1xuICAgICAgZGVmYXVsdDpcbiAgICAgICAgcmV0dXJuIFtdO1xuICAgIH1cbiAgfSk7XG59XG5cbi8qKiBDaGVja3MgdGhhdCBzb21ldGhpbmcgYW5zd2VycyBhdCBgdXJsYCBiZWZvcmUgdGhlIGNoYXQgc3RhcnRzOyBzYXlzIGhvdyB0byBmaXggaXQgaWYgbm90LiAqL1xuYXN5bmMgZnVuY3Rpb24gcmVsYXlJc1VwKHVybDogc3RyaW5nLCB0b2tlbjogc3RyaW5nIHwgdW5kZWZpbmVkKTogUHJvbWlzZTxib29sZWFuPiB7XG4gIHRyeSB7XG4gICAgYXdhaXQgZmV0Y2goYCR7dXJsfS9oZWFsdGh6YCwgeyBoZWFkZXJzOiB0b2tlbiA/IHsgYXV0aG9yaXphdGlvbjogYEJlYXJlciAke3Rva2VufWAgfSA6IHt9LCBzaWduYWw6IEFib3J0U2lnbmFsLnRpbWVvdXQoMTBfMDAwKSB9KTtcbiAgICByZXR1cm4gdHJ1ZTtcbiAgfSBjYXRjaCAoZXJyKSB7XG4gICAgY29uc3QgY2F1c2UgPSAoZXJyIGFzIHsgY2F1c2U/OiB7IGNvZGU/OiBzdHJpbmc7IG1lc3NhZ2U/OiBzdHJpbmcgfSB9KS5jYXVzZTtcbiAgICBjb25zdCB3aHkgPSBjYXVzZT8uY29kZSA/PyBjYXVzZT8ubWVzc2FnZSA/PyAoZXJyIGFzIEVycm9yKS5tZXNzYWdlO1xuICAgIGZhaWwoYENhbm5vdCByZWFjaCB0aGUgcmVsYXkgYXQgJHt1cmx9ICgke3doeX0pLlxcbiR7aGludCh1cmwpfWApO1xuICAgIHJldHVybiBmYWxzZTtcbiAgfVxufVxuXG5mdW5jdGlvbiBoaW50KHVybDogc3RyaW5nKTogc3RyaW5nIHtcbiAgcmV0dXJuIC9eaHR0cHM/OlxcL1xcLygxMjdcXC4wXFwuMFxcLjF8bG9jYWxob3N0fFxcWzo6MVxcXSkoOlxcZCspPyQvLnRlc3QodXJsKVxuICAgID8gXCJJcyBgbnBtIHN0YXJ0YCBydW5uaW5nPyBTdGFydCBpdCBpbiBhbm90aGVyIHRlcm1pbmFsLCB0aGVuIHJ1biB0aGUgZGVtbyBhZ2Fpbi5cIlxuICAgIDogXCJDaGVjayAtLXVybCwgYW5kIHRoYXQgdGhlIHJlbGF5IGlzIGRlcGxveWVkIGFuZCByZWFjaGFibGUgZnJvbSBoZXJlLlwiO1xufVxuXG5mdW5jdGlvbiByZXBvcnQoZXJyOiB1bmtub3duLCB1cmw6IHN0cmluZyk6IHZvaWQge1xuICBjb25zdCBub3RlID0gZGltKFwiIChub3RoaW5nIHdhcyBzYXZlZDsgc2VuZCB0aGUgbWVzc2FnZSBhZ2FpbilcIik7XG4gIGlmIChlcnIgaW5zdGFuY2VvZiBSZWxheVRpbWVvdXRFcnJvcikge1xuICAgIGNvbnNvbGUuZXJyb3IoYGVycm9yOiAke2Vyci5tZXNzYWdlfSR7bm90ZX1gKTtcbiAgfSBlbHNlIGlmIChlcnIgaW5zdGFuY2VvZiBSZWxheUNvbm5lY3Rpb25FcnJvcikge1xuICAgIGNvbnNvbGUuZXJyb3IoYGVycm9yOiAke2Vyci5tZXNzYWdlfVxcbiR7aGludCh1cmwpfSR7bm90ZX1gKTtcbiAgfSBlbHNlIGlmIChlcnIgaW5zdGFuY2VvZiBSZWxheUFwaUVycm9yKSB7XG4gICAgY29uc29sZS5lcnJvcihgZXJyb3I6IHRoZSByZWxheSBhbnN3ZXJlZCAke2Vyci5zdGF0dXN9ICR7ZXJyLmNvZGV9OiAke2Vyci5kZXRhaWx9JHtub3RlfWApO1xuICAgIGZvciAoY29uc3QgaXRlbSBvZiBlcnIuZXJyb3JzKSBjb25zb2xlLmVycm9yKGRpbShgICAke2l0ZW0ucGF0aCB8fCBcIihib2R5KVwifTogJHtpdGVtLm1lc3NhZ2V9YCkpO1xuICAgIGlmIChlcnIuc3RhdHVzID09PSA0MDEgfHwgZXJyLnN0YXR1cyA9PT0gNDAzKSBjb25zb2xlLmVycm9yKGRpbShcIiAgQ2hlY2sgLS10b2tlbiAob3IgJFJFTEFZX1RPS0VOKS5cIikpO1xuICAgIGlmIChlcnIucmVxdWVzdElkKSBjb25zb2xlLmVycm9yKGRpbShgICByZXF1ZXN0IGlkICR7ZXJyLnJlcXVlc3RJZH1gKSk7XG4gIH0gZWxzZSBpZiAoZXJyIGluc3RhbmNlb2YgUmVsYXlDbGllbnRFcnJvcikge1xuICAgIGNvbnNvbGUuZXJyb3IoYGVycm9yOiAke2Vyci5tZXNzYWdlfSR7bm90ZX1gKTtcbiAgfSBlbHNlIGlmIChlcnIgaW5zdGFuY2VvZiBFcnJvciAmJiBlcnIubWVzc2FnZSA9PT0gXCJzdG9wcGVkXCIpIHtcbiAgICBjb25zb2xlLmVycm9yKGRpbShcIihzdG9wcGVkKVwiKSk7XG4gIH0gZWxzZSB7XG4gICAgY29uc29sZS5lcnJvcihgZXJyb3I6ICR7ZXJyIGluc3RhbmNlb2YgRXJyb3IgPyBlcnIubWVzc2FnZSA6IFN0cmluZyhlcnIpfSR7bm90ZX1gKTtcbiAgfVxufVxuXG5mdW5jdGlvbiBmYWlsKG1lc3NhZ2U6IHN0cmluZyk6IG51bWJlciB7XG4gIGNvbnNvbGUuZXJyb3IoYHN1cHBvcnQtYWdlbnQ6ICR7bWVzc2FnZX1gKTtcbiAgcmV0dXJuIDE7XG59XG5cbnByb2Nlc3MuZXhpdENvZGUgPSBhd2FpdCBtYWluKCk7XG4iLCAiLyoqXG4gKiBUaGUgTm9kZS1vbmx5IHBhcnQgb2YgdGhlIGNsaWVudDogYSBUcmFuc2NyaXB0U3RvcmUgdGhhdCBrZWVwcyBlYWNoIHRyYW5zY3JpcHQgaW4gaXRzIG93biBKU09OXG4gKiBmaWxlLCB3cml0dGVuIGF0b21pY2FsbHkgKHRlbXAgZmlsZSwgZnN5bmMsIHJlbmFtZSksIHNvIGEgY3Jhc2ggbmV2ZXIgbGVhdmVzIGhhbGYgYSB0cmFuc2NyaXB0LlxuICogSW1wb3J0IGl0IGZyb20gaGVyZTsgdGhlIG1haW4gZW50cnkgKC4vaW5kZXgudHMpIHN0YXlzIGZyZWUgb2YgTm9kZSBtb2R1bGVzLlxuICovXG5pbXBvcnQgeyByYW5kb21VVUlEIH0gZnJvbSBcIm5vZGU6Y3J5cHRvXCI7XG5pbXBvcnQgeyBta2Rpciwgb3BlbiwgcmVhZEZpbGUsIHJlbmFtZSwgcm0gfSBmcm9tIFwibm9kZTpmcy9wcm9taXNlc1wiO1xuaW1wb3J0IHsgam9pbiB9IGZyb20gXCJub2RlOnBhdGhcIjtcbmltcG9ydCB0eXBlIHsgVHJhbnNjcmlwdFN0b3JlIH0gZnJvbSBcIi4vc3RvcmVcIjtcbmltcG9ydCB0eXBlIHsgU3RlcCB9IGZyb20gXCIuL3R5cGVzXCI7XG5cbmV4cG9ydCAqIGZyb20gXCIuL2luZGV4XCI7XG5cbi8qKlxuICogV2hhdCBhIHRyYW5zY3JpcHQgZmlsZSBob2xkcy5cbiAqXG4gKiBAZXhhbXBsZVxuICogY29uc3QgZmlsZTogVHJhbnNjcmlwdEZpbGUgPSBKU09OLnBhcnNlKGF3YWl0IHJlYWRGaWxlKFwic2Vzc2lvbnMvYWxpY2UuanNvblwiLCBcInV0ZjhcIikpO1xuICogY29uc29sZS5sb2coZmlsZS5oaXN0b3J5Lmxlbmd0aCwgZmlsZS51cGRhdGVkX2F0KTtcbiAqL1xuZXhwb3J0IGludGVyZmFjZSBUcmFuc2NyaXB0RmlsZSB7XG4gIHZlcnNpb246IDE7XG4gIGlkOiBzdHJpbmc7XG4gIHVwZGF0ZWRfYXQ6IHN0cmluZztcbiAgaGlzdG9yeTogU3RlcFtdO1xufVxuXG4vKipcbiAqIFRyYW5zY3JpcHRzIGFzIGA8ZGlyZWN0b3J5Pi88aWQ+Lmpzb25gLiBJZHMgYXJlIGxpbWl0ZWQgdG8gbGV0dGVycywgZGlnaXRzLCBgLmAsIGBfYCBhbmQgYC1gXG4gKiAoMSB0byAxMDAgY2hhcmFjdGVycywgbm90IHN0YXJ0aW5nIHdpdGggYSBkb3QpIHNvIGFuIGlkIGNhbiBuZXZlciBuYW1lIGEgcGF0aCBlbHNld2hlcmUuXG4gKlxuICogQGV4YW1wbGVcbiAqIGNvbnN0IHN0b3JlID0gbmV3IEpzb25GaWxlVHJhbnNjcmlwdFN0b3JlKHsgZGlyZWN0b3J5OiBcIi5zZXNzaW9uc1wiIH0pO1xuICogY29uc3QgaGlzdG9yeSA9IChhd2FpdCBzdG9yZS5sb2FkKFwiYWxpY2VcIikpID8/IFtdO1xuICogYXdhaXQgc3RvcmUuc2F2ZShcImFsaWNlXCIsIFsuLi5oaXN0b3J5LCAuLi5uZXdTdGVwc10pO1xuICovXG5leHBvcnQgY2xhc3MgSnNvbkZpbGVUcmFuc2NyaXB0U3RvcmUgaW1wbGVtZW50cyBUcmFuc2NyaXB0U3RvcmUge1xuICByZWFkb25seSBkaXJlY3Rvcnk6IHN0cmluZztcblxuICBjb25zdHJ1Y3RvcihvcHRpb25zOiB7IGRpcmVjdG9yeTogc3RyaW5nIH0pIHtcbiAgICB0aGlzLmRpcmVjdG9yeSA9IG9wdGlvbnMuZGlyZWN0b3J5O1xuICB9XG5cbiAgLyoqIFRoZSBmaWxlIHRoYXQgaG9sZHMgdHJhbnNjcmlwdCBgaWRgLiAqL1xuICBwYXRoT2YoaWQ6IHN0cmluZyk6IHN0cmluZyB7XG4gICAgaWYgKCEvXltBLVphLXowLTlfLV1bQS1aYS16MC05Ll8tXXswLDk5fSQvLnRlc3QoaWQpKSB7XG4gICAgICB0aHJvdyBuZXcgVHlwZUVycm9yKGBJbnZhbGlkIHRyYW5zY3JpcHQgaWQgJHtKU09OLnN0cmluZ2lmeShpZCl9OiB1c2UgMS0xMDAgbGV0dGVycywgZGlnaXRzLCBcIi5cIiwgXCJfXCIgb3IgXCItXCIsIG5vdCBzdGFydGluZyB3aXRoIFwiLlwiLmApO1xuICAgIH1cbiAgICByZXR1cm4gam9pbih0aGlzLmRpcmVjdG9yeSwgYCR7aWR9Lmpzb25gKTtcbiAgfVxuXG4gIGFzeW5jIGxvYWQoaWQ6IHN0cmluZyk6IFByb21pc2U8U3RlcFtdIHwgdW5kZWZpbmVkPiB7XG4gICAgY29uc3QgcGF0aCA9IHRoaXMucGF0aE9mKGlkKTtcbiAgICBsZXQgdGV4dDogc3RyaW5nO1xuICAgIHRyeSB7XG4gICAgICB0ZXh0ID0gYXdhaXQgcmVhZEZpbGUocGF0aCwgXCJ1dGY4XCIpO1xuICAgIH0gY2F0Y2ggKGVycikge1xuICAgICAgaWYgKChlcnIgYXMgTm9kZUpTLkVycm5vRXhjZXB0aW9uKS5jb2RlID09PSBcIkVOT0VOVFwiKSByZXR1cm4gdW5kZWZpbmVkO1xuICAgICAgdGhyb3cgZXJyO1xuICAgIH1cbiAgICBsZXQgZmlsZTogUGFydGlhbDxUcmFuc2NyaXB0RmlsZT47XG4gICAgdHJ5IHtcbiAgICAgIGZpbGUgPSBKU09OLnBhcnNlKHRleHQpIGFzIFBhcnRpYWw8VHJhbnNjcmlwdEZpbGU+O1xuICAgIH0gY2F0Y2ggKGVycikge1xuICAgICAgdGhyb3cgbmV3IEVycm9yKGAke3BhdGh9IGlzIG5vdCB2YWxpZCBKU09OICgkeyhlcnIgYXMgRXJyb3IpLm1lc3NhZ2V9KTsgbW92ZSBpdCBhd2F5IHRvIHN0YXJ0IG92ZXIuYCk7XG4gICAgfVxuICAgIGlmICghQXJyYXkuaXNBcnJheShmaWxlPy5oaXN0b3J5KSkgdGhyb3cgbmV3IEVycm9yKGAke3BhdGh9IGlzIG5vdCBhIHRyYW5zY3JpcHQgZmlsZSAobm8gXCJoaXN0b3J5XCIgYXJyYXkpOyBtb3ZlIGl0IGF3YXkgdG8gc3RhcnQgb3Zlci5gKTtcbiAgICByZXR1cm4gZmlsZS5oaXN0b3J5O1xuICB9XG5cbiAgYXN5bmMgc2F2ZShpZDogc3RyaW5nLCBoaXN0b3J5OiByZWFkb25seSBTdGVwW10pOiBQcm9taXNlPHZvaWQ+IHtcbiAgICBjb25zdCBwYXRoID0gdGhpcy5wYXRoT2YoaWQpO1xuICAgIGNvbnN0IGZpbGU6IFRyYW5zY3JpcHRGaWxlID0geyB2ZXJzaW9uOiAxLCBpZCwgdXBkYXRlZF9hdDogbmV3IERhdGUoKS50b0lTT1N0cmluZygpLCBoaXN0b3J5OiBbLi4uaGlzdG9yeV0gfTtcbiAgICBhd2FpdCBta2Rpcih0aGlzLmRpcmVjdG9yeSwgeyByZWN1cnNpdmU6IHRydWUgfSk7XG4gICAgLy8gU2FtZSBkaXJlY3RvcnkgYXMgdGhlIHRhcmdldCwgc28gdGhlIHJlbmFtZSBpcyBhdG9taWMgKG5ldmVyIGFjcm9zcyBmaWxlIHN5c3RlbXMpLlxuICAgIGNvbnN0IHRlbXAgPSBqb2luKHRoaXMuZGlyZWN0b3J5LCBgLiR7aWR9LiR7cmFuZG9tVVVJRCgpfS50bXBgKTtcbiAgICB0cnkge1xuICAgICAgY29uc3QgaGFuZGxlID0gYXdhaXQgb3Blbih0ZW1wLCBcIndcIiwgMG82MDApO1xuICAgICAgdHJ5IHtcbiAgICAgICAgYXdhaXQgaGFuZGxlLndyaXRlRmlsZShKU09OLnN0cmluZ2lmeShmaWxlLCBudWxsLCAyKSArIFwiXFxuXCIsIFwidXRmOFwiKTtcbiAgICAgICAgYXdhaXQgaGFuZGxlLnN5bmMoKTtcbiAgICAgIH0gZmluYWxseSB7XG4gICAgICAgIGF3YWl0IGhhbmRsZS5jbG9zZSgpO1xuICAgICAgfVxuICAgICAgYXdhaXQgcmVuYW1lKHRlbXAsIHBhdGgpO1xuICAgIH0gY2F0Y2ggKGVycikge1xuICAgICAgYXdhaXQgcm0odGVtcCwgeyBmb3JjZTogdHJ1ZSB9KTtcbiAgICAgIHRocm93IGVycjtcbiAgICB9XG4gIH1cblxuICBhc3luYyBkZWxldGUoaWQ6IHN0cmluZyk6IFByb21pc2U8dm9pZD4ge1xuICAgIGF3YWl0IHJtKHRoaXMucGF0aE9mKGlkKSwgeyBmb3JjZTogdHJ1ZSB9KTtcbiAgfVxufVxuIiwgIi8qKlxuICogVGhlIGNsaWVudCdzIGVycm9yczogb25lIGJhc2UgY2xhc3MsIHRoZSByZWxheSdzIHByb2JsZW0gZGV0YWlscyBhcyBhIHR5cGVkIGVycm9yLCBhbmQgdGhlIHdheXNcbiAqIGFuIGV4Y2hhbmdlIGNhbiBmYWlsIHdpdGhvdXQgb25lIChubyBjb25uZWN0aW9uLCBhIHRpbWVvdXQsIGEgcmVzcG9uc2UgdGhhdCBpcyBub3QgdGhlIEFQSSdzKS5cbiAqL1xuaW1wb3J0IHR5cGUgeyBQcm9ibGVtQ29kZSwgUHJvYmxlbUl0ZW0gfSBmcm9tIFwiLi90eXBlc1wiO1xuXG4vKipcbiAqIEJhc2UgY2xhc3Mgb2YgZXZlcnkgZXJyb3IgdGhlIGNsaWVudCB0aHJvd3MgKGFuIGFib3J0IHRocm91Z2ggeW91ciBvd24gc2lnbmFsIHJldGhyb3dzIHRoZVxuICogc2lnbmFsJ3MgcmVhc29uIGluc3RlYWQsIGFzIGBmZXRjaGAgZG9lcykuXG4gKlxuICogQGV4YW1wbGVcbiAqIHRyeSB7IGF3YWl0IGNsaWVudC50dXJuKHBhcmFtcyk7IH0gY2F0Y2ggKGVycikgeyBpZiAoZXJyIGluc3RhbmNlb2YgUmVsYXlDbGllbnRFcnJvcikgY29uc29sZS5lcnJvcihlcnIubWVzc2FnZSk7IH1cbiAqL1xuZXhwb3J0IGNsYXNzIFJlbGF5Q2xpZW50RXJyb3IgZXh0ZW5kcyBFcnJvciB7XG4gIG92ZXJyaWRlIG5hbWUgPSBcIlJlbGF5Q2xpZW50RXJyb3JcIjtcbn1cblxuLyoqXG4gKiBUaGUgcmVsYXkgYW5zd2VyZWQgd2l0aCBSRkMgOTQ1NyBwcm9ibGVtIGRldGFpbHM6IGFuIEhUVFAgZXJyb3IsIG9yIGEgYHR1cm4uZXJyb3JgIGV2ZW50IHRoYXRcbiAqIGVuZGVkIGEgc3RyZWFtLiBgY29kZWAgaXMgdGhlIHN0YWJsZSBtYWNoaW5lLXJlYWRhYmxlIHBhcnQ7IGBlcnJvcnNgIGxvY2F0ZSB3aGF0IHdhcyB3cm9uZyBpblxuICogdGhlIHJlcXVlc3QgYm9keSAoSlNPTiBwb2ludGVycyk7IGByZXF1ZXN0SWRgIGlzIHdoYXQgdG8gcXVvdGUgd2hlbiByZXBvcnRpbmcgYSBwcm9ibGVtLlxuICpcbiAqIEBleGFtcGxlXG4gKiB0cnkgeyBhd2FpdCBjbGllbnQudHVybihwYXJhbXMpOyB9IGNhdGNoIChlcnIpIHtcbiAqICAgaWYgKGVyciBpbnN0YW5jZW9mIFJlbGF5QXBpRXJyb3IgJiYgZXJyLmNvZGUgPT09IFwiaW52YWxpZF9yZXF1ZXN0XCIpIGZvciAoY29uc3QgZSBvZiBlcnIuZXJyb3JzKSBjb25zb2xlLmVycm9yKGUucGF0aCwgZS5tZXNzYWdlKTtcbiAqIH1cbiAqL1xuZXhwb3J0IGNsYXNzIFJlbGF5QXBpRXJyb3IgZXh0ZW5kcyBSZWxheUNsaWVudEVycm9yIHtcbiAgb3ZlcnJpZGUgbmFtZSA9IFwiUmVsYXlBcGlFcnJvclwiO1xuICAvKiogSFRUUCBzdGF0dXMgKGZvciBhIGB0dXJuLmVycm9yYCwgdGhlIHN0YXR1cyB0aGUgcHJvYmxlbSBjYXJyaWVzKS4gKi9cbiAgcmVhZG9ubHkgc3RhdHVzOiBudW1iZXI7XG4gIC8qKiBUaGUgcmVsYXkncyBwcm9ibGVtIGNvZGUsIGUuZy4gYGludmFsaWRfcmVxdWVzdGAgb3IgYHVwc3RyZWFtX3JhdGVfbGltaXRlZGAgKGBodHRwXzxzdGF0dXM+YCB3aGVuIHRoZSBib2R5IHdhcyBub3QgYSBwcm9ibGVtKS4gKi9cbiAgcmVhZG9ubHkgY29kZTogUHJvYmxlbUNvZGUgfCAoc3RyaW5nICYge30pO1xuICByZWFkb25seSB0aXRsZTogc3RyaW5nO1xuICByZWFkb25seSB0eXBlOiBzdHJpbmc7XG4gIHJlYWRvbmx5IGRldGFpbDogc3RyaW5nO1xuICAvKiogRmluZGluZ3Mgd2l0aCBhIEpTT04gcG9pbnRlciBpbnRvIHRoZSByZXF1ZXN0IGJvZHk7IGVtcHR5IHdoZW4gdGhlIHByb2JsZW0gaGFzIG5vbmUuICovXG4gIHJlYWRvbmx5IGVycm9yczogUHJvYmxlbUl0ZW1bXTtcbiAgLyoqIEZyb20gdGhlIHByb2JsZW0ncyBgcmVxdWVzdF9pZGAsIG9yIHRoZSBgUmVxdWVzdC1JZGAgLyBgWC1SZXF1ZXN0LUlkYCByZXNwb25zZSBoZWFkZXIuICovXG4gIHJlYWRvbmx5IHJlcXVlc3RJZD86IHN0cmluZztcbiAgLyoqIFRoZSB3YWl0IHRoZSByZWxheSBhc2tlZCBmb3IgKFJldHJ5LUFmdGVyKSwgaW4gbWlsbGlzZWNvbmRzLiAqL1xuICByZWFkb25seSByZXRyeUFmdGVyTXM/OiBudW1iZXI7XG4gIC8qKiBUcnVlIHdoZW4gdGhlIGVycm9yIGNhbWUgZnJvbSBhIGB0dXJuLmVycm9yYCBldmVudCBhZnRlciB0aGUgc3RyZWFtIGhhZCBzdGFydGVkLiAqL1xuICByZWFkb25seSBzdHJlYW1lZDogYm9vbGVhbjtcbiAgLyoqIFRoZSBwYXJzZWQgYm9keSBhcyByZWNlaXZlZCAocHJvYmxlbSBkZXRhaWxzLCBvciB3aGF0ZXZlciBlbHNlIGNhbWUgYmFjaykuICovXG4gIHJlYWRvbmx5IGJvZHk6IHVua25vd247XG5cbiAgY29uc3RydWN0b3IoaW5pdDoge1xuICAgIHN0YXR1czogbnVtYmVyO1xuICAgIGNvZGU6IHN0cmluZztcbiAgICB0aXRsZTogc3RyaW5nO1xuICAgIHR5cGU/OiBzdHJpbmc7XG4gICAgZGV0YWlsOiBzdHJpbmc7XG4gICAgZXJyb3JzPzogUHJvYmxlbUl0ZW1bXTtcbiAgICByZXF1ZXN0SWQ/OiBzdHJpbmc7XG4gICAgcmV0cnlBZnRlck1zPzogbnVtYmVyO1xuICAgIHN0cmVhbWVkPzogYm9vbGVhbjtcbiAgICBib2R5PzogdW5rbm93bjtcbiAgfSkge1xuICAgIGNvbnN0IGZpbmRpbmdzID0gaW5pdC5lcnJvcnMgPz8gW107XG4gICAgY29uc3Qgd2hlcmUgPSBmaW5kaW5ncy5sZW5ndGggPiAwICYmICFpbml0LmRldGFpbC5pbmNsdWRlcyhmaW5kaW5nc1swXSEucGF0aCkgPyBgICgke2ZpbmRpbmdzLm1hcCgoZSkgPT4gYCR7ZS5wYXRoIHx8IFwiYm9keVwifSAke2UubWVzc2FnZX1gKS5qb2luKFwiOyBcIil9KWAgOiBcIlwiO1xuICAgIHN1cGVyKGAke2luaXQuc3RhdHVzfSAke2luaXQuY29kZX06ICR7aW5pdC5kZXRhaWx9JHt3aGVyZX1gKTtcbiAgICB0aGlzLnN0YXR1cyA9IGluaXQuc3RhdHVzO1xuICAgIHRoaXMuY29kZSA9IGluaXQuY29kZTtcbiAgICB0aGlzLnRpdGxlID0gaW5pdC50aXRsZTtcbiAgICB0aGlzLnR5cGUgPSBpbml0LnR5cGUgPz8gYHVybjpnZW1pbmktcmVsYXk6cHJvYmxlbToke2luaXQuY29kZX1gO1xuICAgIHRoaXMuZGV0YWlsID0gaW5pdC5kZXRhaWw7XG4gICAgdGhpcy5lcnJvcnMgPSBmaW5kaW5ncztcbiAgICB0aGlzLnJlcXVlc3RJZCA9IGluaXQucmVxdWVzdElkO1xuICAgIHRoaXMucmV0cnlBZnRlck1zID0gaW5pdC5yZXRyeUFmdGVyTXM7XG4gICAgdGhpcy5zdHJlYW1lZCA9IGluaXQuc3RyZWFtZWQgPz8gZmFsc2U7XG4gICAgdGhpcy5ib2R5ID0gaW5pdC5ib2R5O1xuICB9XG59XG5cbi8qKlxuICogVGhlIHJlbGF5IGNvdWxkIG5vdCBiZSByZWFjaGVkLCBvciB0aGUgY29ubmVjdGlvbiBicm9rZSBiZWZvcmUgdGhlIHR1cm4gZmluaXNoZWQgKGBjYXVzZWAgaG9sZHNcbiAqIHRoZSB1bmRlcmx5aW5nIGVycm9yKS4gTm90aGluZyB3YXMgYW5zd2VyZWQ7IGZvciBhIHVuYXJ5IHR1cm4gaXQgaXMgc2FmZSB0byBzZW5kIGFnYWluLlxuICpcbiAqIEBleGFtcGxlXG4gKiBjYXRjaCAoZXJyKSB7IGlmIChlcnIgaW5zdGFuY2VvZiBSZWxheUNvbm5lY3Rpb25FcnJvcikgY29uc29sZS5lcnJvcihgJHtlcnIubWVzc2FnZX0gSXMgdGhlIHJlbGF5IHJ1bm5pbmc/YCk7IH1cbiAqL1xuZXhwb3J0IGNsYXNzIFJlbGF5Q29ubmVjdGlvbkVycm9yIGV4dGVuZHMgUmVsYXlDbGllbnRFcnJvciB7XG4gIG92ZXJyaWRlIG5hbWUgPSBcIlJlbGF5Q29ubmVjdGlvbkVycm9yXCI7XG4gIC8qKiBUaGUgVVJMIHRoYXQgd2FzIGJlaW5nIHJlcXVlc3RlZC4gKi9cbiAgcmVhZG9ubHkgdXJsOiBzdHJpbmc7XG4gIGNvbnN0cnVjdG9yKG1lc3NhZ2U6IHN0cmluZywgdXJsOiBzdHJpbmcsIG9wdGlvbnM/OiB7IGNhdXNlPzogdW5rbm93biB9KSB7XG4gICAgc3VwZXIobWVzc2FnZSwgb3B0aW9ucyk7XG4gICAgdGhpcy51cmwgPSB1cmw7XG4gIH1cbn1cblxuLyoqXG4gKiBObyBhbnN3ZXIgd2l0aGluIGB0aW1lb3V0TXNgIChmb3IgYSBzdHJlYW06IG5vIGJ5dGUgZm9yIGB0aW1lb3V0TXNgLCBrZWVwLWFsaXZlcyBpbmNsdWRlZCkuXG4gKlxuICogQGV4YW1wbGVcbiAqIGNvbnN0IGNsaWVudCA9IGNyZWF0ZVJlbGF5Q2xpZW50KHsgYmFzZVVybCwgdGltZW91dE1zOiAzMF8wMDAgfSk7XG4gKiBjYXRjaCAoZXJyKSB7IGlmIChlcnIgaW5zdGFuY2VvZiBSZWxheVRpbWVvdXRFcnJvcikgY29uc29sZS5lcnJvcihcIlRoZSByZWxheSB0b29rIHRvbyBsb25nLlwiKTsgfVxuICovXG5leHBvcnQgY2xhc3MgUmVsYXlUaW1lb3V0RXJyb3IgZXh0ZW5kcyBSZWxheUNvbm5lY3Rpb25FcnJvciB7XG4gIG92ZXJyaWRlIG5hbWUgPSBcIlJlbGF5VGltZW91dEVycm9yXCI7XG4gIHJlYWRvbmx5IHRpbWVvdXRNczogbnVtYmVyO1xuICBjb25zdHJ1Y3Rvcih1cmw6IHN0cmluZywgdGltZW91dE1zOiBudW1iZXIpIHtcbiAgICBzdXBlcihgTm8gYW5zd2VyIGZyb20gJHt1cmx9IHdpdGhpbiAke3RpbWVvdXRNc30gbXMuYCwgdXJsKTtcbiAgICB0aGlzLnRpbWVvdXRNcyA9IHRpbWVvdXRNcztcbiAgfVxufVxuXG4vKipcbiAqIFRoZSByZXNwb25zZSB3YXMgbm90IHdoYXQgdGhpcyBBUEkgc2VuZHMgKHdyb25nIGNvbnRlbnQgdHlwZSwgbWFsZm9ybWVkIEpTT04sIGEgc3RyZWFtIHRoYXRcbiAqIGVuZGVkIHdpdGhvdXQgYHR1cm4uY29tcGxldGVkYCk6IHVzdWFsbHkgYSBwcm94eSBvciBhIHdyb25nIGBiYXNlVXJsYC5cbiAqXG4gKiBAZXhhbXBsZVxuICogY2F0Y2ggKGVycikgeyBpZiAoZXJyIGluc3RhbmNlb2YgUmVsYXlQcm90b2NvbEVycm9yKSBjb25zb2xlLmVycm9yKFwiSXMgYmFzZVVybCBwb2ludGluZyBhdCBhIGdlbWluaS1yZWxheT9cIiwgZXJyLm1lc3NhZ2UpOyB9XG4gKi9cbmV4cG9ydCBjbGFzcyBSZWxheVByb3RvY29sRXJyb3IgZXh0ZW5kcyBSZWxheUNsaWVudEVycm9yIHtcbiAgb3ZlcnJpZGUgbmFtZSA9IFwiUmVsYXlQcm90b2NvbEVycm9yXCI7XG59XG5cbi8qKiBAaW50ZXJuYWwgVGhlIFJlbGF5QXBpRXJyb3IgZm9yIGEgbm9uLTJ4eCByZXNwb25zZSAocmVhZHMgdGhlIGJvZHkpLiAqL1xuZXhwb3J0IGFzeW5jIGZ1bmN0aW9uIGVycm9yRnJvbVJlc3BvbnNlKHJlczogUmVzcG9uc2UpOiBQcm9taXNlPFJlbGF5QXBpRXJyb3I+IHtcbiAgY29uc3QgdGV4dCA9IGF3YWl0IHJlcy50ZXh0KCkuY2F0Y2goKCkgPT4gXCJcIik7XG4gIGxldCBib2R5OiB1bmtub3duID0gdGV4dDtcbiAgdHJ5IHtcbiAgICBib2R5ID0gSlNPTi5wYXJzZSh0ZXh0KTtcbiAgfSBjYXRjaCB7XG4gICAgLy8gbm90IEpTT046IGtlcHQgYXMgdGV4dFxuICB9XG4gIHJldHVybiBwcm9ibGVtRXJyb3IoYm9keSwge1xuICAgIHN0YXR1czogcmVzLnN0YXR1cyxcbiAgICBzdGF0dXNUZXh0OiByZXMuc3RhdHVzVGV4dCxcbiAgICByZXF1ZXN0SWQ6IHJlcXVlc3RJZE9mKHJlcy5oZWFkZXJzKSxcbiAgICByZXRyeUFmdGVyTXM6IHJldHJ5QWZ0ZXJNcyhyZXMuaGVhZGVycyksXG4gIH0pO1xufVxuXG4vKiogQGludGVybmFsIEEgUmVsYXlBcGlFcnJvciBmcm9tIGEgcHJvYmxlbS1kZXRhaWxzIGJvZHkgKG9yIGFueXRoaW5nIGVsc2UsIGRlc2NyaWJlZCBieSBgZmFsbGJhY2tgKS4gKi9cbmV4cG9ydCBmdW5jdGlvbiBwcm9ibGVtRXJyb3IoXG4gIGJvZHk6IHVua25vd24sXG4gIGZhbGxiYWNrOiB7IHN0YXR1czogbnVtYmVyOyBzdGF0dXNUZXh0Pzogc3RyaW5nOyByZXF1ZXN0SWQ/OiBzdHJpbmc7IHJldHJ5QWZ0ZXJNcz86IG51bWJlcjsgc3RyZWFtZWQ/OiBib29sZWFuIH0sXG4pOiBSZWxheUFwaUVycm9yIHtcbiAgY29uc3QgcHJvYmxlbSA9ICh0eXBlb2YgYm9keSA9PT0gXCJvYmplY3RcIiAmJiBib2R5ICE9PSBudWxsICYmICFBcnJheS5pc0FycmF5KGJvZHkpID8gYm9keSA6IHt9KSBhcyBSZWNvcmQ8c3RyaW5nLCB1bmtub3duPjtcbiAgY29uc3Qgc3RyID0gKHZhbHVlOiB1bmtub3duKSA9PiAodHlwZW9mIHZhbHVlID09PSBcInN0cmluZ1wiICYmIHZhbHVlICE9PSBcIlwiID8gdmFsdWUgOiB1bmRlZmluZWQpO1xuICBjb25zdCBzdGF0dXMgPSBOdW1iZXIuaXNJbnRlZ2VyKHByb2JsZW0uc3RhdHVzKSA/IChwcm9ibGVtLnN0YXR1cyBhcyBudW1iZXIpIDogZmFsbGJhY2suc3RhdHVzO1xuICBjb25zdCBjb2RlID0gc3RyKHByb2JsZW0uY29kZSkgPz8gYGh0dHBfJHtzdGF0dXN9YDtcbiAgY29uc3Qgc25pcHBldCA9IHR5cGVvZiBib2R5ID09PSBcInN0cmluZ1wiID8gYm9keS50cmltKCkuc2xpY2UoMCwgMjAwKSA6IFwiXCI7XG4gIHJldHVybiBuZXcgUmVsYXlBcGlFcnJvcih7XG4gICAgc3RhdHVzLFxuICAgIGNvZGUsXG4gICAgdGl0bGU6IHN0cihwcm9ibGVtLnRpdGxlKSA/PyBmYWxsYmFjay5zdGF0dXNUZXh0ID8/IFwiUmVxdWVzdCBmYWlsZWRcIixcbiAgICB0eXBlOiBzdHIocHJvYmxlbS50eXBlKSxcbiAgICBkZXRhaWw6IHN0cihwcm9ibGVtLmRldGFpbCkgPz8gKHNuaXBwZXQgfHwgYFRoZSByZWxheSBhbnN3ZXJlZCAke3N0YXR1c30ke2ZhbGxiYWNrLnN0YXR1c1RleHQgPyBgICR7ZmFsbGJhY2suc3RhdHVzVGV4dH1gIDogXCJcIn0gd2l0aG91dCBwcm9ibGVtIGRldGFpbHMuYCksXG4gICAgZXJyb3JzOiBBcnJheS5pc0FycmF5KHByb2JsZW0uZXJyb3JzKSA/IHByb2JsZW0uZXJyb3JzLmZpbHRlcihpc1Byb2JsZW1JdGVtKSA6IFtdLFxuICAgIHJlcXVlc3RJZDogc3RyKHByb2JsZW0ucmVxdWVzdF9pZCkgPz8gZmFsbGJhY2sucmVxdWVzdElkLFxuICAgIHJldHJ5QWZ0ZXJNczogZmFsbGJhY2sucmV0cnlBZnRlck1zLFxuICAgIHN0cmVhbWVkOiBmYWxsYmFjay5zdHJlYW1lZCxcbiAgICBib2R5LFxuICB9KTtcbn1cblxuZnVuY3Rpb24gaXNQcm9ibGVtSXRlbShpdGVtOiB1bmtub3duKTogaXRlbSBpcyBQcm9ibGVtSXRlbSB7XG4gIHJldHVybiB0eXBlb2YgaXRlbSA9PT0gXCJvYmplY3RcIiAmJiBpdGVtICE9PSBudWxsICYmIHR5cGVvZiAoaXRlbSBhcyBQcm9ibGVtSXRlbSkucGF0aCA9PT0gXCJzdHJpbmdcIiAmJiB0eXBlb2YgKGl0ZW0gYXMgUHJvYmxlbUl0ZW0pLm1lc3NhZ2UgPT09IFwic3RyaW5nXCI7XG59XG5cbi8qKiBAaW50ZXJuYWwgVGhlIHJlcXVlc3QgaWQgYSByZXNwb25zZSBjYXJyaWVzIGluIGl0cyBoZWFkZXJzLiAqL1xuZXhwb3J0IGZ1bmN0aW9uIHJlcXVlc3RJZE9mKGhlYWRlcnM6IEhlYWRlcnMpOiBzdHJpbmcgfCB1bmRlZmluZWQge1xuICByZXR1cm4gaGVhZGVycy5nZXQoXCJyZXF1ZXN0LWlkXCIpID8/IGhlYWRlcnMuZ2V0KFwieC1yZXF1ZXN0LWlkXCIpID8/IHVuZGVmaW5lZDtcbn1cblxuLyoqIEBpbnRlcm5hbCBNaWxsaXNlY29uZHMgZnJvbSBgcmV0cnktYWZ0ZXItbXNgLCBvciBgcmV0cnktYWZ0ZXJgIChzZWNvbmRzIG9yIGFuIEhUVFAgZGF0ZSk7IHVuZGVmaW5lZCB3aGVuIGFic2VudCBvciB1bnJlYWRhYmxlLiAqL1xuZXhwb3J0IGZ1bmN0aW9uIHJldHJ5QWZ0ZXJNcyhoZWFkZXJzOiBIZWFkZXJzLCBub3cgPSBEYXRlLm5vdygpKTogbnVtYmVyIHwgdW5kZWZpbmVkIHtcbiAgY29uc3QgbXMgPSBoZWFkZXJzLmdldChcInJldHJ5LWFmdGVyLW1zXCIpO1xuICBpZiAobXMgIT09IG51bGwgJiYgbXMudHJpbSgpICE9PSBcIlwiICYmIE51bWJlci5pc0Zpbml0ZShOdW1iZXIobXMpKSAmJiBOdW1iZXIobXMpID49IDApIHJldHVybiBOdW1iZXIobXMpO1xuICBjb25zdCB2YWx1ZSA9IGhlYWRlcnMuZ2V0KFwicmV0cnktYWZ0ZXJcIik7XG4gIGlmICh2YWx1ZSA9PT0gbnVsbCB8fCB2YWx1ZS50cmltKCkgPT09IFwiXCIpIHJldHVybiB1bmRlZmluZWQ7XG4gIGNvbnN0IHNlY29uZHMgPSBOdW1iZXIodmFsdWUpO1xuICBpZiAoTnVtYmVyLmlzRmluaXRlKHNlY29uZHMpKSByZXR1cm4gc2Vjb25kcyA+PSAwID8gc2Vjb25kcyAqIDEwMDAgOiB1bmRlZmluZWQ7XG4gIGNvbnN0IGRhdGUgPSBEYXRlLnBhcnNlKHZhbHVlKTtcbiAgcmV0dXJuIE51bWJlci5pc05hTihkYXRlKSA/IHVuZGVmaW5lZCA6IE1hdGgubWF4KDAsIGRhdGUgLSBub3cpO1xufVxuIiwgIi8qKlxuICogV2hlbiB0byBzZW5kIGEgZmFpbGVkIHR1cm4gYWdhaW4sIGFuZCBhZnRlciBob3cgbG9uZzogdHdvIHB1cmUgZnVuY3Rpb25zLiBPbmx5IDQyOSBhbmQgNTAzIGFyZVxuICogcmV0cmllZCwgb25seSBiZWZvcmUgYSByZXNwb25zZSAob3Igc3RyZWFtKSBoYXMgc3RhcnRlZCwgYW5kIG5ldmVyIG1vcmUgdGhhbiBgbWF4UmV0cmllc2AgdGltZXMuXG4gKi9cbmltcG9ydCB0eXBlIHsgUmVsYXlBcGlFcnJvciB9IGZyb20gXCIuL2Vycm9yc1wiO1xuXG4vKipcbiAqIFR1bmluZyBmb3IgcmV0cmllczsgZXZlcnkgZmllbGQgaGFzIGEgZGVmYXVsdCAoREVGQVVMVF9SRVRSWV9QT0xJQ1kpLlxuICpcbiAqIEBleGFtcGxlXG4gKiBjb25zdCBjbGllbnQgPSBjcmVhdGVSZWxheUNsaWVudCh7IGJhc2VVcmwsIG1heFJldHJpZXM6IDQsIHJldHJ5OiB7IGluaXRpYWxEZWxheU1zOiAyNTAsIG1heFJldHJ5QWZ0ZXJNczogMTBfMDAwIH0gfSk7XG4gKi9cbmV4cG9ydCBpbnRlcmZhY2UgUmV0cnlQb2xpY3kge1xuICAvKiogUmV0cmllcyBhZnRlciB0aGUgZmlyc3QgYXR0ZW1wdCAoc28gYG1heFJldHJpZXMgKyAxYCByZXF1ZXN0cyBhdCBtb3N0KS4gKi9cbiAgbWF4UmV0cmllczogbnVtYmVyO1xuICAvKiogVGhlIGZpcnN0IGJhY2tvZmYgd2hlbiB0aGUgcmVsYXkgZ2l2ZXMgbm8gUmV0cnktQWZ0ZXI7IGRvdWJsZWQgcGVyIHJldHJ5LiAqL1xuICBpbml0aWFsRGVsYXlNczogbnVtYmVyO1xuICAvKiogQ2FwIG9uIHRoZSBleHBvbmVudGlhbCBiYWNrb2ZmLiAqL1xuICBtYXhEZWxheU1zOiBudW1iZXI7XG4gIC8qKiBBIFJldHJ5LUFmdGVyIGxvbmdlciB0aGFuIHRoaXMgaXMgbm90IHdhaXRlZCBmb3I6IHRoZSBlcnJvciBpcyB0aHJvd24gKHdpdGggYHJldHJ5QWZ0ZXJNc2ApIGluc3RlYWQuICovXG4gIG1heFJldHJ5QWZ0ZXJNczogbnVtYmVyO1xufVxuXG4vKipcbiAqIFRoZSBkZWZhdWx0czogMiByZXRyaWVzLCBiYWNrb2ZmIGZyb20gNTAwIG1zIGRvdWJsaW5nIHVwIHRvIDggcywgUmV0cnktQWZ0ZXIgd2FpdGVkIHVwIHRvIDYwIHMuXG4gKlxuICogQGV4YW1wbGVcbiAqIGNvbnNvbGUubG9nKERFRkFVTFRfUkVUUllfUE9MSUNZLm1heFJldHJpZXMpOyAvLyAyXG4gKi9cbmV4cG9ydCBjb25zdCBERUZBVUxUX1JFVFJZX1BPTElDWTogUmV0cnlQb2xpY3kgPSB7XG4gIG1heFJldHJpZXM6IDIsXG4gIGluaXRpYWxEZWxheU1zOiA1MDAsXG4gIG1heERlbGF5TXM6IDhfMDAwLFxuICBtYXhSZXRyeUFmdGVyTXM6IDYwXzAwMCxcbn07XG5cbi8qKiBAaW50ZXJuYWwgU3RhdHVzZXMgd29ydGggc2VuZGluZyB0aGUgc2FtZSByZXF1ZXN0IGFnYWluIGZvcjogcmF0ZSBsaW1pdGVkLCB0ZW1wb3JhcmlseSB1bmF2YWlsYWJsZS4gKi9cbmV4cG9ydCBjb25zdCBSRVRSWUFCTEVfU1RBVFVTRVM6IFJlYWRvbmx5U2V0PG51bWJlcj4gPSBuZXcgU2V0KFs0MjksIDUwM10pO1xuXG4vKipcbiAqIEBpbnRlcm5hbFxuICogSG93IGxvbmcgdG8gd2FpdCBiZWZvcmUgcmV0cnkgbnVtYmVyIGByZXRyeWAgKDAgZm9yIHRoZSBmaXJzdCksIG9yIHVuZGVmaW5lZCB3aGVuIHRoZSBlcnJvciBtdXN0XG4gKiBiZSB0aHJvd246IG5vdCByZXRyeWFibGUsIHJldHJpZXMgdXNlZCB1cCwgb3IgYSBSZXRyeS1BZnRlciBiZXlvbmQgYG1heFJldHJ5QWZ0ZXJNc2AuXG4gKi9cbmV4cG9ydCBmdW5jdGlvbiByZXRyeURlbGF5KGVycm9yOiBSZWxheUFwaUVycm9yLCByZXRyeTogbnVtYmVyLCBwb2xpY3k6IFJldHJ5UG9saWN5LCByYW5kb206ICgpID0+IG51bWJlciA9IE1hdGgucmFuZG9tKTogbnVtYmVyIHwgdW5kZWZpbmVkIHtcbiAgaWYgKGVycm9yLnN0cmVhbWVkIHx8IHJldHJ5ID49IHBvbGljeS5tYXhSZXRyaWVzIHx8ICFSRVRSWUFCTEVfU1RBVFVTRVMuaGFzKGVycm9yLnN0YXR1cykpIHJldHVybiB1bmRlZmluZWQ7XG4gIGlmIChlcnJvci5yZXRyeUFmdGVyTXMgIT09IHVuZGVmaW5lZCkgcmV0dXJuIGVycm9yLnJldHJ5QWZ0ZXJNcyA8PSBwb2xpY3kubWF4UmV0cnlBZnRlck1zID8gZXJyb3IucmV0cnlBZnRlck1zIDogdW5kZWZpbmVkO1xuICByZXR1cm4gYmFja29mZkRlbGF5KHJldHJ5LCBwb2xpY3ksIHJhbmRvbSk7XG59XG5cbi8qKiBAaW50ZXJuYWwgRXhwb25lbnRpYWwgYmFja29mZiB3aXRoIHVwIHRvIDI1JSBqaXR0ZXIgdGFrZW4gb2ZmLCBzbyBjbGllbnRzIHRoYXQgZmFpbGVkIHRvZ2V0aGVyIHNwcmVhZCBvdXQuICovXG5leHBvcnQgZnVuY3Rpb24gYmFja29mZkRlbGF5KHJldHJ5OiBudW1iZXIsIHBvbGljeTogUmV0cnlQb2xpY3ksIHJhbmRvbTogKCkgPT4gbnVtYmVyID0gTWF0aC5yYW5kb20pOiBudW1iZXIge1xuICBjb25zdCBiYXNlID0gTWF0aC5taW4ocG9saWN5LmluaXRpYWxEZWxheU1zICogMiAqKiByZXRyeSwgcG9saWN5Lm1heERlbGF5TXMpO1xuICByZXR1cm4gTWF0aC5yb3VuZChiYXNlICogKDEgLSAwLjI1ICogcmFuZG9tKCkpKTtcbn1cbiIsICIvKipcbiAqIEEgc21hbGwgc2VydmVyLXNlbnQtZXZlbnRzIHJlYWRlcjogYnl0ZXMgaW4sIGB7ZXZlbnQsIGRhdGF9YCBtZXNzYWdlcyBvdXQsIHBlciB0aGUgSFRNTCBzcGVjJ3NcbiAqIHBhcnNpbmcgcnVsZXMgKExGLCBDUkxGIG9yIENSIGxpbmUgZW5kczsgYGRhdGFgIGxpbmVzIGpvaW5lZCB3aXRoIFwiXFxuXCI7IGNvbW1lbnRzIHNraXBwZWQpLiBXb3Jrc1xuICogb24gYW55IFJlYWRhYmxlU3RyZWFtIHJlYWRlciwgc28gaXQgcnVucyBpbiBicm93c2VycywgV29ya2VycyBhbmQgTm9kZSBhbGlrZS5cbiAqL1xuXG4vKiogQGludGVybmFsIE9uZSBTU0UgbWVzc2FnZTogdGhlIGBldmVudGAgbmFtZSAoXCJtZXNzYWdlXCIgd2hlbiBub25lIHdhcyBnaXZlbikgYW5kIGl0cyBgZGF0YWAuICovXG5leHBvcnQgaW50ZXJmYWNlIFNzZU1lc3NhZ2Uge1xuICBldmVudDogc3RyaW5nO1xuICBkYXRhOiBzdHJpbmc7XG59XG5cbi8qKiBAaW50ZXJuYWwgUGFyc2VzIFNTRSB0ZXh0IGZlZCBpbiBhcmJpdHJhcnkgcGllY2VzOyBjYWxsIGBlbmQoKWAgb25jZSB0aGUgc3RyZWFtIGlzIGRvbmUuICovXG5leHBvcnQgY2xhc3MgU3NlUGFyc2VyIHtcbiAgcHJpdmF0ZSBidWZmZXIgPSBcIlwiO1xuICBwcml2YXRlIGV2ZW50ID0gXCJcIjtcbiAgcHJpdmF0ZSBkYXRhOiBzdHJpbmdbXSA9IFtdO1xuXG4gIC8qKiBGZWVkcyBhIHBpZWNlIG9mIHRleHQ7IHJldHVybnMgdGhlIG1lc3NhZ2VzIGl0IGNvbXBsZXRlZC4gKi9cbiAgcHVzaCh0ZXh0OiBzdHJpbmcpOiBTc2VNZXNzYWdlW10ge1xuICAgIHRoaXMuYnVmZmVyICs9IHRleHQ7XG4gICAgY29uc3QgbWVzc2FnZXM6IFNzZU1lc3NhZ2VbXSA9IFtdO1xuICAgIGZvciAoOzspIHtcbiAgICAgIGNvbnN0IG1hdGNoID0gL1xcclxcbnxcXHJ8XFxuLy5leGVjKHRoaXMuYnVmZmVyKTtcbiAgICAgIC8vIEEgbG9uZSBDUiBhdCB0aGUgZW5kIG1heSBiZSB0aGUgZmlyc3QgaGFsZiBvZiBDUkxGOiB3YWl0IGZvciBtb3JlLlxuICAgICAgaWYgKCFtYXRjaCB8fCAobWF0Y2hbMF0gPT09IFwiXFxyXCIgJiYgbWF0Y2guaW5kZXggPT09IHRoaXMuYnVmZmVyLmxlbmd0aCAtIDEpKSBicmVhaztcbiAgICAgIGNvbnN0IGxpbmUgPSB0aGlzLmJ1ZmZlci5zbGljZSgwLCBtYXRjaC5pbmRleCk7XG4gICAgICB0aGlzLmJ1ZmZlciA9IHRoaXMuYnVmZmVyLnNsaWNlKG1hdGNoLmluZGV4ICsgbWF0Y2hbMF0ubGVuZ3RoKTtcbiAgICAgIGNvbnN0IG1lc3NhZ2UgPSB0aGlzLmxpbmUobGluZSk7XG4gICAgICBpZiAobWVzc2FnZSkgbWVzc2FnZXMucHVzaChtZXNzYWdlKTtcbiAgICB9XG4gICAgcmV0dXJuIG1lc3NhZ2VzO1xuICB9XG5cbiAgLyoqIFRoZSBzdHJlYW0gZW5kZWQ6IGEgbGFzdCBtZXNzYWdlIHdpdGhvdXQgaXRzIGNsb3NpbmcgYmxhbmsgbGluZSBpcyBkcm9wcGVkLCBhcyB0aGUgc3BlYyBzYXlzLiAqL1xuICBlbmQoKTogdm9pZCB7XG4gICAgdGhpcy5idWZmZXIgPSBcIlwiO1xuICAgIHRoaXMuZXZlbnQgPSBcIlwiO1xuICAgIHRoaXMuZGF0YSA9IFtdO1xuICB9XG5cbiAgcHJpdmF0ZSBsaW5lKGxpbmU6IHN0cmluZyk6IFNzZU1lc3NhZ2UgfCB1bmRlZmluZWQge1xuICAgIGlmIChsaW5lID09PSBcIlwiKSB7XG4gICAgICBpZiAodGhpcy5kYXRhLmxlbmd0aCA9PT0gMCkge1xuICAgICAgICB0aGlzLmV2ZW50ID0gXCJcIjtcbiAgICAgICAgcmV0dXJuIHVuZGVmaW5lZDtcbiAgICAgIH1cbiAgICAgIGNvbnN0IG1lc3NhZ2UgPSB7IGV2ZW50OiB0aGlzLmV2ZW50IHx8IFwibWVzc2FnZVwiLCBkYXRhOiB0aGlzLmRhdGEuam9pbihcIlxcblwiKSB9O1xuICAgICAgdGhpcy5ldmVudCA9IFwiXCI7XG4gICAgICB0aGlzLmRhdGEgPSBbXTtcbiAgICAgIHJldHVybiBtZXNzYWdlO1xuICAgIH1cbiAgICBpZiAobGluZS5zdGFydHNXaXRoKFwiOlwiKSkgcmV0dXJuIHVuZGVmaW5lZDsgLy8gYSBjb21tZW50LCBlLmcuIFwiOiBrZWVwLWFsaXZlXCJcbiAgICBjb25zdCBjb2xvbiA9IGxpbmUuaW5kZXhPZihcIjpcIik7XG4gICAgY29uc3QgZmllbGQgPSBjb2xvbiA8IDAgPyBsaW5lIDogbGluZS5zbGljZSgwLCBjb2xvbik7XG4gICAgbGV0IHZhbHVlID0gY29sb24gPCAwID8gXCJcIiA6IGxpbmUuc2xpY2UoY29sb24gKyAxKTtcbiAgICBpZiAodmFsdWUuc3RhcnRzV2l0aChcIiBcIikpIHZhbHVlID0gdmFsdWUuc2xpY2UoMSk7XG4gICAgaWYgKGZpZWxkID09PSBcImV2ZW50XCIpIHRoaXMuZXZlbnQgPSB2YWx1ZTtcbiAgICBlbHNlIGlmIChmaWVsZCA9PT0gXCJkYXRhXCIpIHRoaXMuZGF0YS5wdXNoKHZhbHVlKTtcbiAgICByZXR1cm4gdW5kZWZpbmVkO1xuICB9XG59XG4iLCAiLyoqXG4gKiBUaGUgZnVuY3Rpb24tY2FsbGluZyBsb29wLCBydW4gYnkgdGhlIGNhbGxlcjogdGhlIG1vZGVsIGFza3MgZm9yIGNhbGxzLCBsb2NhbCBoYW5kbGVycyBhbnN3ZXJcbiAqIHRoZW0gKGJ5IGNhbGxfaWQgYW5kIG5hbWUpLCBhbmQgdGhlIGFuc3dlcnMgZ28gYmFjayB1bnRpbCB0aGUgbW9kZWwgc2F5cyBzb21ldGhpbmcgb3IgdGhlXG4gKiBidWRnZXQgaXMgc3BlbnQuIERlY2xhcmF0aW9ucyBhcmUgcmUtc2VudCBldmVyeSB0dXJuLCBhcyBHZW1pbmkgZG9lcyBub3QgcmVtZW1iZXIgdG9vbHMuXG4gKi9cbmltcG9ydCB0eXBlIHsgUmVsYXlDbGllbnQgfSBmcm9tIFwiLi9jbGllbnRcIjtcbmltcG9ydCB0eXBlIHsgQ29udGVudEJsb2NrLCBGdW5jdGlvbkNhbGxTdGVwLCBGdW5jdGlvblJlc3VsdFN0ZXAsIEpzb25PYmplY3QsIFN0ZXAsIFRvb2wsIFR1cm5FdmVudCwgVHVyblBhcmFtcywgVHVyblJlc3VsdCB9IGZyb20gXCIuL3R5cGVzXCI7XG5cbi8qKlxuICogV2hhdCBhIGhhbmRsZXIgZ2V0cyBiZXNpZGVzIHRoZSBhcmd1bWVudHM6IHRoZSBjYWxsIGl0c2VsZiBhbmQgdGhlIGxvb3AncyBhYm9ydCBzaWduYWwuXG4gKlxuICogQGV4YW1wbGVcbiAqIGNvbnN0IGhhbmRsZXIgPSBhc3luYyAoYXJnczogSnNvbk9iamVjdCwgeyBjYWxsLCBzaWduYWwgfTogVG9vbENvbnRleHQpID0+IGZldGNoKGAvb3JkZXJzLyR7YXJncy5vcmRlcl9pZH1gLCB7IHNpZ25hbCB9KS50aGVuKChyKSA9PiByLmpzb24oKSk7XG4gKi9cbmV4cG9ydCBpbnRlcmZhY2UgVG9vbENvbnRleHQge1xuICBjYWxsOiBGdW5jdGlvbkNhbGxTdGVwO1xuICBzaWduYWw/OiBBYm9ydFNpZ25hbDtcbn1cblxuLyoqXG4gKiBPbmUgbG9jYWwgdG9vbDogaXRzIGRlY2xhcmF0aW9uIChhcyBHZW1pbmkgdGFrZXMgaXQsIG1pbnVzIGB0eXBlYCBhbmQgYG5hbWVgLCB3aGljaCBjb21lIGZyb20gdGhlXG4gKiBrZXkgaXQgaXMgcmVnaXN0ZXJlZCB1bmRlcikgYW5kIHRoZSBoYW5kbGVyIHRoYXQgcnVucyBpdC4gVGhlIGhhbmRsZXIncyByZXR1cm4gdmFsdWUgYmVjb21lcyB0aGVcbiAqIGZ1bmN0aW9uX3Jlc3VsdCAoYSBzdHJpbmcsIGFuIG9iamVjdCBvciBjb250ZW50IGJsb2NrcyBhcyB0aGV5IGFyZTsgYW55dGhpbmcgZWxzZSBhcyBKU09OIHRleHQpO1xuICogaWYgaXQgdGhyb3dzLCB0aGUgZXJyb3IgbWVzc2FnZSBpcyBzZW50IHdpdGggYGlzX2Vycm9yOiB0cnVlYC5cbiAqXG4gKiBAZXhhbXBsZVxuICogY29uc3QgZ2V0T3JkZXJTdGF0dXM6IFRvb2xEZWZpbml0aW9uID0ge1xuICogICBkZWNsYXJhdGlvbjogeyBkZXNjcmlwdGlvbjogXCJMb29rIHVwIGFuIG9yZGVyXCIsIHBhcmFtZXRlcnM6IHsgdHlwZTogXCJvYmplY3RcIiwgcHJvcGVydGllczogeyBvcmRlcl9pZDogeyB0eXBlOiBcInN0cmluZ1wiIH0gfSwgcmVxdWlyZWQ6IFtcIm9yZGVyX2lkXCJdIH0gfSxcbiAqICAgaGFuZGxlcjogKHsgb3JkZXJfaWQgfTogeyBvcmRlcl9pZDogc3RyaW5nIH0pID0+ICh7IG9yZGVyX2lkLCBzdGF0dXM6IFwic2hpcHBlZFwiIH0pLFxuICogfTtcbiAqL1xuZXhwb3J0IGludGVyZmFjZSBUb29sRGVmaW5pdGlvbiB7XG4gIGRlY2xhcmF0aW9uOiB7IGRlc2NyaXB0aW9uPzogc3RyaW5nOyBwYXJhbWV0ZXJzPzogSnNvbk9iamVjdDsgW2tleTogc3RyaW5nXTogdW5rbm93biB9O1xuICAvLyBNZXRob2Qgc3ludGF4IG9uIHB1cnBvc2U6IGEgaGFuZGxlciBtYXkgZGVjbGFyZSB0aGUgbmFycm93ZXIgYXJndW1lbnQgdHlwZSBpdCBleHBlY3RzLlxuICBoYW5kbGVyKGFyZ3M6IEpzb25PYmplY3QsIGNvbnRleHQ6IFRvb2xDb250ZXh0KTogdW5rbm93bjtcbn1cblxuLyoqXG4gKiBydW5Ub29scycgcGFyYW1ldGVyczogYSB0dXJuJ3MgKG1vZGVsLCBoaXN0b3J5LCBpbnB1dCwgc3lzdGVtX2luc3RydWN0aW9uLCAuLi4pIHdpdGggYHRvb2xzYCBhc1xuICogbG9jYWwgZGVmaW5pdGlvbnMgYnkgbmFtZSwgcGx1cyB0aGUgbG9vcCdzIGJ1ZGdldCBhbmQgaG93IHRvIHJlcG9ydCBwcm9ncmVzcy5cbiAqXG4gKiBAZXhhbXBsZVxuICogY29uc3QgcGFyYW1zOiBSdW5Ub29sc1BhcmFtcyA9IHsgbW9kZWwsIGhpc3RvcnksIGlucHV0OiBcIldoZXJlIGlzIEEtNDQxNz9cIiwgdG9vbHM6IHsgZ2V0X29yZGVyX3N0YXR1czogZ2V0T3JkZXJTdGF0dXMgfSwgbWF4VG9vbENhbGxzOiA1IH07XG4gKi9cbmV4cG9ydCBpbnRlcmZhY2UgUnVuVG9vbHNQYXJhbXMgZXh0ZW5kcyBPbWl0PFR1cm5QYXJhbXMsIFwidG9vbHNcIj4ge1xuICB0b29sczogUmVjb3JkPHN0cmluZywgVG9vbERlZmluaXRpb24+O1xuICAvKiogSGFuZGxlciBydW5zIGFsbG93ZWQgaW4gdGhpcyBsb29wIChkZWZhdWx0IDEwKS4gQSBiYXRjaCBvZiBwYXJhbGxlbCBjYWxscyB0aGF0IGRvZXMgbm90IGZpdCBpcyBub3Qgc3RhcnRlZC4gKi9cbiAgbWF4VG9vbENhbGxzPzogbnVtYmVyO1xuICAvKiogU3RyZWFtIGVhY2ggdHVybiAoZXZlbnRzIGdvIHRvIG9uRXZlbnQgYXMgdGhleSBhcnJpdmUpOyBkZWZhdWx0IGZhbHNlLiAqL1xuICBzdHJlYW0/OiBib29sZWFuO1xuICAvKipcbiAgICogUHJvZ3Jlc3M6IGV2ZXJ5IHR1cm4ncyBldmVudHMgd2hlbiBzdHJlYW1pbmcgKGVsc2UgaXRzIGB0dXJuLmNvbXBsZXRlZGApLCBhbmQgZWFjaCB0b29sIGNhbGwgYW5kXG4gICAqIHJlc3VsdC4gSWYgYSBsYXRlciB0dXJuIGZhaWxzLCBydW5Ub29scyB0aHJvd3MgdGhhdCB0dXJuJ3MgZXJyb3I7IHRoZSBsYXN0IGB0dXJuLmNvbXBsZXRlZGBcbiAgICogc2VlbiBoZXJlIGhvbGRzIHRoZSBoaXN0b3J5IHVwIHRvIHRoZW4gKGl0cyBjYWxscyB1bmFuc3dlcmVkKSwgd2hpY2ggcnVuVG9vbHMgY2FuIHJlc3VtZSBmcm9tLlxuICAgKi9cbiAgb25FdmVudD86IChldmVudDogUnVuVG9vbHNFdmVudCkgPT4gdm9pZCB8IFByb21pc2U8dm9pZD47XG59XG5cbi8qKlxuICogQW4gZXZlbnQgb2YgdGhlIGxvb3A6IGEgVHVybkV2ZW50LCBvciBhIHRvb2wgYWJvdXQgdG8gcnVuIChgdG9vbC5jYWxsYCkgb3IgYW5zd2VyZWQgKGB0b29sLnJlc3VsdGApLlxuICpcbiAqIEBleGFtcGxlXG4gKiBvbkV2ZW50OiAoZSkgPT4geyBpZiAoZS50eXBlID09PSBcInRvb2wuY2FsbFwiKSBjb25zb2xlLmxvZyhgY2FsbGluZyAke2UuY2FsbC5uYW1lfWAsIGUuY2FsbC5hcmd1bWVudHMpOyB9XG4gKi9cbmV4cG9ydCB0eXBlIFJ1blRvb2xzRXZlbnQgPSBUdXJuRXZlbnQgfCB7IHR5cGU6IFwidG9vbC5jYWxsXCI7IGNhbGw6IEZ1bmN0aW9uQ2FsbFN0ZXAgfSB8IHsgdHlwZTogXCJ0b29sLnJlc3VsdFwiOyBjYWxsOiBGdW5jdGlvbkNhbGxTdGVwOyByZXN1bHQ6IEZ1bmN0aW9uUmVzdWx0U3RlcCB9O1xuXG4vKipcbiAqIEhvdyB0aGUgbG9vcCBlbmRlZC4gYGhpc3RvcnlgIGlzIHRoZSB0cmFuc2NyaXB0IHRvIGtlZXAuIGBzdG9wUmVhc29uYCBpcyBgYW5zd2VyZWRgIHdoZW4gdGhlIGxhc3RcbiAqIHR1cm4gYXNrZWQgZm9yIG5vIG1vcmUgY2FsbHMsIGBtYXhfdG9vbF9jYWxsc2Agd2hlbiB0aGUgYnVkZ2V0IHJhbiBvdXQ6IHRoZW4gYHBlbmRpbmdfY2FsbHNgIGFyZVxuICogdGhlIGNhbGxzIHN0aWxsIHVuYW5zd2VyZWQsIGFuZCBwYXNzaW5nIGBoaXN0b3J5YCB0byBydW5Ub29scyBhZ2FpbiAod2l0aCBvciB3aXRob3V0IG5ldyBpbnB1dClcbiAqIGFuc3dlcnMgdGhlbSBmaXJzdC5cbiAqXG4gKiBAZXhhbXBsZVxuICogY29uc3QgcnVuID0gYXdhaXQgY2xpZW50LnJ1blRvb2xzKHBhcmFtcyk7XG4gKiBpZiAocnVuLnN0b3BSZWFzb24gPT09IFwibWF4X3Rvb2xfY2FsbHNcIikgY29uc29sZS53YXJuKGBzdG9wcGVkIHdpdGggJHtydW4ucGVuZGluZ19jYWxscy5sZW5ndGh9IGNhbGxzIHVuYW5zd2VyZWRgKTtcbiAqL1xuZXhwb3J0IGludGVyZmFjZSBSdW5Ub29sc1Jlc3VsdCB7XG4gIGhpc3Rvcnk6IFN0ZXBbXTtcbiAgLyoqIFRoZSBsYXN0IHR1cm4ncyByZXN1bHQ7IHVuZGVmaW5lZCBvbmx5IGlmIG5vIHR1cm4gd2FzIHNlbnQgKHRoZSBidWRnZXQgY291bGQgbm90IGFuc3dlciB0aGUgY2FsbHMgcGVuZGluZyBpbiBgaGlzdG9yeWApLiAqL1xuICByZXN1bHQ/OiBUdXJuUmVzdWx0O1xuICAvKiogVGhlIGZpbmFsIGFuc3dlcidzIHRleHQgKHRoZSBsYXN0IHJlc3VsdCdzIG91dHB1dF90ZXh0KS4gKi9cbiAgb3V0cHV0X3RleHQ/OiBzdHJpbmc7XG4gIC8qKiBIYW5kbGVycyBydW4gYnkgdGhpcyBsb29wLiAqL1xuICB0b29sQ2FsbHM6IG51bWJlcjtcbiAgc3RvcFJlYXNvbjogXCJhbnN3ZXJlZFwiIHwgXCJtYXhfdG9vbF9jYWxsc1wiO1xuICBwZW5kaW5nX2NhbGxzOiBGdW5jdGlvbkNhbGxTdGVwW107XG59XG5cbi8qKlxuICogVGhlIGZ1bmN0aW9uX2NhbGwgc3RlcHMgaW4gYHN0ZXBzYCB0aGF0IG5vIGZ1bmN0aW9uX3Jlc3VsdCBpbiBgc3RlcHNgIGFuc3dlcnMuXG4gKlxuICogQGV4YW1wbGVcbiAqIGNvbnN0IGNhbGxzID0gcGVuZGluZ0NhbGxzKHJlc3VsdC5zdGVwcyk7IC8vIHdoYXQgdGhlIHJlbGF5J3MgcGVuZGluZ19jYWxscyBzYXlzXG4gKi9cbmV4cG9ydCBmdW5jdGlvbiBwZW5kaW5nQ2FsbHMoc3RlcHM6IHJlYWRvbmx5IFN0ZXBbXSk6IEZ1bmN0aW9uQ2FsbFN0ZXBbXSB7XG4gIGNvbnN0IGFuc3dlcmVkID0gbmV3IFNldChzdGVwcy5maWx0ZXIoKHMpID0+IHMudHlwZSA9PT0gXCJmdW5jdGlvbl9yZXN1bHRcIikubWFwKChzKSA9PiBTdHJpbmcocy5jYWxsX2lkKSkpO1xuICByZXR1cm4gc3RlcHMuZmlsdGVyKChzKTogcyBpcyBGdW5jdGlvbkNhbGxTdGVwID0+IHMudHlwZSA9PT0gXCJmdW5jdGlvbl9jYWxsXCIgJiYgIWFuc3dlcmVkLmhhcyhTdHJpbmcocy5pZCkpKTtcbn1cblxuLyoqXG4gKiBUaGUgY2FsbHMgYSB0cmFuc2NyaXB0IHN0aWxsIG93ZXMgYW5zd2VycyB0bzogdGhvc2UgYWZ0ZXIgaXRzIGxhc3QgdXNlcl9pbnB1dCB0aGF0IG5vdGhpbmcgYW5zd2Vycy5cbiAqXG4gKiBAZXhhbXBsZVxuICogaWYgKHVuYW5zd2VyZWRDYWxscyhoaXN0b3J5KS5sZW5ndGggPiAwKSBjb25zb2xlLmxvZyhcImFuc3dlciB0aGVzZSBiZWZvcmUgYSBuZXcgdXNlciBtZXNzYWdlXCIpO1xuICovXG5leHBvcnQgZnVuY3Rpb24gdW5hbnN3ZXJlZENhbGxzKGhpc3Rvcnk6IHJlYWRvbmx5IFN0ZXBbXSk6IEZ1bmN0aW9uQ2FsbFN0ZXBbXSB7XG4gIGxldCBzdGFydCA9IDA7XG4gIGhpc3RvcnkuZm9yRWFjaCgoc3RlcCwgaSkgPT4ge1xuICAgIGlmIChzdGVwLnR5cGUgPT09IFwidXNlcl9pbnB1dFwiKSBzdGFydCA9IGkgKyAxO1xuICB9KTtcbiAgcmV0dXJuIHBlbmRpbmdDYWxscyhoaXN0b3J5LnNsaWNlKHN0YXJ0KSk7XG59XG5cbi8qKlxuICogVGhlIGZ1bmN0aW9uX3Jlc3VsdCBhbnN3ZXJpbmcgYGNhbGxgIHdpdGggYSBoYW5kbGVyJ3MgdmFsdWU6IHN0cmluZ3MsIG9iamVjdHMgYW5kIGNvbnRlbnQgYmxvY2tzXG4gKiBhcyB0aGV5IGFyZSwgYW55dGhpbmcgZWxzZSBhcyBKU09OIHRleHQgKHVuZGVmaW5lZCBhcyBge31gKS5cbiAqXG4gKiBAZXhhbXBsZVxuICogY29uc3QgYW5zd2VyID0gZnVuY3Rpb25SZXN1bHQoY2FsbCwgeyBzdGF0dXM6IFwic2hpcHBlZFwiIH0pO1xuICogY29uc3QgZmFpbGVkID0gZnVuY3Rpb25SZXN1bHQoY2FsbCwgXCJPcmRlciBub3QgZm91bmRcIiwgeyBpc0Vycm9yOiB0cnVlIH0pO1xuICovXG5leHBvcnQgZnVuY3Rpb24gZnVuY3Rpb25SZXN1bHQoY2FsbDogRnVuY3Rpb25DYWxsU3RlcCwgdmFsdWU6IHVua25vd24sIG9wdGlvbnM6IHsgaXNFcnJvcj86IGJvb2xlYW4gfSA9IHt9KTogRnVuY3Rpb25SZXN1bHRTdGVwIHtcbiAgY29uc3Qgc3RlcDogRnVuY3Rpb25SZXN1bHRTdGVwID0geyB0eXBlOiBcImZ1bmN0aW9uX3Jlc3VsdFwiLCBjYWxsX2lkOiBjYWxsLmlkLCBuYW1lOiBjYWxsLm5hbWUsIHJlc3VsdDogcmVzdWx0VmFsdWUodmFsdWUpIH07XG4gIGlmIChvcHRpb25zLmlzRXJyb3IpIHN0ZXAuaXNfZXJyb3IgPSB0cnVlO1xuICByZXR1cm4gc3RlcDtcbn1cblxuZnVuY3Rpb24gcmVzdWx0VmFsdWUodmFsdWU6IHVua25vd24pOiBGdW5jdGlvblJlc3VsdFN0ZXBbXCJyZXN1bHRcIl0ge1xuICBpZiAodmFsdWUgPT09IHVuZGVmaW5lZCkgcmV0dXJuIHt9O1xuICBpZiAodHlwZW9mIHZhbHVlID09PSBcInN0cmluZ1wiKSByZXR1cm4gdmFsdWU7XG4gIGlmIChBcnJheS5pc0FycmF5KHZhbHVlKSkge1xuICAgIGNvbnN0IGJsb2NrcyA9IHZhbHVlLmxlbmd0aCA+IDAgJiYgdmFsdWUuZXZlcnkoKGIpID0+IHR5cGVvZiBiID09PSBcIm9iamVjdFwiICYmIGIgIT09IG51bGwgJiYgdHlwZW9mIChiIGFzIENvbnRlbnRCbG9jaykudHlwZSA9PT0gXCJzdHJpbmdcIik7XG4gICAgcmV0dXJuIGJsb2NrcyA/ICh2YWx1ZSBhcyBDb250ZW50QmxvY2tbXSkgOiBKU09OLnN0cmluZ2lmeSh2YWx1ZSk7XG4gIH1cbiAgaWYgKHR5cGVvZiB2YWx1ZSA9PT0gXCJvYmplY3RcIiAmJiB2YWx1ZSAhPT0gbnVsbCkgcmV0dXJuIHZhbHVlIGFzIEpzb25PYmplY3Q7XG4gIHJldHVybiBKU09OLnN0cmluZ2lmeSh2YWx1ZSkgPz8gU3RyaW5nKHZhbHVlKTtcbn1cblxuLyoqIEBpbnRlcm5hbCBUaGUgbG9vcCBiZWhpbmQgY2xpZW50LnJ1blRvb2xzIChjYWxsIGl0IGFzIGBjbGllbnQucnVuVG9vbHMocGFyYW1zKWApLiAqL1xuZXhwb3J0IGFzeW5jIGZ1bmN0aW9uIHJ1blRvb2xzKGNsaWVudDogUmVsYXlDbGllbnQsIHBhcmFtczogUnVuVG9vbHNQYXJhbXMpOiBQcm9taXNlPFJ1blRvb2xzUmVzdWx0PiB7XG4gIGNvbnN0IHsgdG9vbHMsIG1heFRvb2xDYWxscyA9IDEwLCBzdHJlYW0gPSBmYWxzZSwgb25FdmVudCwgaW5wdXQsIGhpc3Rvcnk6IGdpdmVuID0gW10sIC4uLnR1cm5GaWVsZHMgfSA9IHBhcmFtcztcbiAgY29uc3QgZGVjbGFyYXRpb25zOiBUb29sW10gPSBPYmplY3QuZW50cmllcyh0b29scykubWFwKChbbmFtZSwgeyBkZWNsYXJhdGlvbiB9XSkgPT4ge1xuICAgIGNvbnN0IHsgdHlwZTogX3R5cGUsIG5hbWU6IF9uYW1lLCAuLi5yZXN0IH0gPSBkZWNsYXJhdGlvbjtcbiAgICByZXR1cm4geyB0eXBlOiBcImZ1bmN0aW9uXCIsIG5hbWUsIC4uLnJlc3QgfTtcbiAgfSk7XG4gIGNvbnN0IGVtaXQgPSBhc3luYyAoZXZlbnQ6IFJ1blRvb2xzRXZlbnQpID0+IHtcbiAgICBhd2FpdCBvbkV2ZW50Py4oZXZlbnQpO1xuICB9O1xuXG4gIGxldCBoaXN0b3J5OiBTdGVwW10gPSBbLi4uZ2l2ZW5dO1xuICBsZXQgdG9vbENhbGxzID0gMDtcbiAgbGV0IHJlc3VsdDogVHVyblJlc3VsdCB8IHVuZGVmaW5lZDtcbiAgY29uc3Qgc3RvcCA9IChzdG9wUmVhc29uOiBSdW5Ub29sc1Jlc3VsdFtcInN0b3BSZWFzb25cIl0sIHBlbmRpbmc6IEZ1bmN0aW9uQ2FsbFN0ZXBbXSk6IFJ1blRvb2xzUmVzdWx0ID0+ICh7XG4gICAgaGlzdG9yeSxcbiAgICByZXN1bHQsXG4gICAgb3V0cHV0X3RleHQ6IHJlc3VsdD8ub3V0cHV0X3RleHQsXG4gICAgdG9vbENhbGxzLFxuICAgIHN0b3BSZWFzb24sXG4gICAgcGVuZGluZ19jYWxsczogcGVuZGluZyxcbiAgfSk7XG5cbiAgLyoqIFJ1bnMgYSBiYXRjaCBvZiBjYWxscyBpbiBvcmRlciAoc28gdGhlaXIgZXZlbnRzIHJlYWQgaW4gb3JkZXIpLCBvciByZXBvcnRzIHRoYXQgaXQgZG9lcyBub3QgZml0LiAqL1xuICBhc3luYyBmdW5jdGlvbiBhbnN3ZXIoY2FsbHM6IEZ1bmN0aW9uQ2FsbFN0ZXBbXSk6IFByb21pc2U8RnVuY3Rpb25SZXN1bHRTdGVwW10gfCB1bmRlZmluZWQ+IHtcbiAgICBpZiAodG9vbENhbGxzICsgY2FsbHMubGVuZ3RoID4gbWF4VG9vbENhbGxzKSByZXR1cm4gdW5kZWZpbmVkO1xuICAgIGNvbnN0IHJlc3VsdHM6IEZ1bmN0aW9uUmVzdWx0U3RlcFtdID0gW107XG4gICAgZm9yIChjb25zdCBjYWxsIG9mIGNhbGxzKSB7XG4gICAgICBhd2FpdCBlbWl0KHsgdHlwZTogXCJ0b29sLmNhbGxcIiwgY2FsbCB9KTtcbiAgICAgIGNvbnN0IHRvb2wgPSBPYmplY3QucHJvdG90eXBlLmhhc093blByb3BlcnR5LmNhbGwodG9vbHMsIGNhbGwubmFtZSkgPyB0b29sc1tjYWxsLm5hbWVdIDogdW5kZWZpbmVkO1xuICAgICAgbGV0IGFuc3dlcjogRnVuY3Rpb25SZXN1bHRTdGVwO1xuICAgICAgaWYgKCF0b29sKSB7XG4gICAgICAgIGFuc3dlciA9IGZ1bmN0aW9uUmVzdWx0KGNhbGwsIGBVbmtub3duIHRvb2wgXCIke2NhbGwubmFtZX1cIjogdGhpcyBjbGllbnQgZGVjbGFyZXMgJHtPYmplY3Qua2V5cyh0b29scykuam9pbihcIiwgXCIpIHx8IFwibm8gdG9vbHNcIn0uYCwgeyBpc0Vycm9yOiB0cnVlIH0pO1xuICAgICAgfSBlbHNlIHtcbiAgICAgICAgdHJ5IHtcbiAgICAgICAgICBhbnN3ZXIgPSBmdW5jdGlvblJlc3VsdChjYWxsLCBhd2FpdCB0b29sLmhhbmRsZXIoY2FsbC5hcmd1bWVudHMgPz8ge30sIHsgY2FsbCwgc2lnbmFsOiB0dXJuRmllbGRzLnNpZ25hbCB9KSk7XG4gICAgICAgIH0gY2F0Y2ggKGVycikge1xuICAgICAgICAgIGlmICh0dXJuRmllbGRzLnNpZ25hbD8uYWJvcnRlZCkgdGhyb3cgdHVybkZpZWxkcy5zaWduYWwucmVhc29uO1xuICAgICAgICAgIGFuc3dlciA9IGZ1bmN0aW9uUmVzdWx0KGNhbGwsIGVyciBpbnN0YW5jZW9mIEVycm9yID8gZXJyLm1lc3NhZ2UgOiBTdHJpbmcoZXJyKSwgeyBpc0Vycm9yOiB0cnVlIH0pO1xuICAgICAgICB9XG4gICAgICB9XG4gICAgICB0b29sQ2FsbHMgKz0gMTtcbiAgICAgIHJlc3VsdHMucHVzaChhbnN3ZXIpO1xuICAgICAgYXdhaXQgZW1pdCh7IHR5cGU6IFwidG9vbC5yZXN1bHRcIiwgY2FsbCwgcmVzdWx0OiBhbnN3ZXIgfSk7XG4gICAgfVxuICAgIHJldHVybiByZXN1bHRzO1xuICB9XG5cbiAgYXN5bmMgZnVuY3Rpb24gc2VuZChuZXh0OiBUdXJuUGFyYW1zW1wiaW5wdXRcIl0pOiBQcm9taXNlPFR1cm5SZXN1bHQ+IHtcbiAgICBjb25zdCB0dXJuOiBUdXJuUGFyYW1zID0geyAuLi50dXJuRmllbGRzLCB0b29sczogZGVjbGFyYXRpb25zLCBoaXN0b3J5LCBpbnB1dDogbmV4dCB9O1xuICAgIGlmICghc3RyZWFtKSB7XG4gICAgICBjb25zdCBjb21wbGV0ZWQgPSBhd2FpdCBjbGllbnQudHVybih0dXJuKTtcbiAgICAgIGF3YWl0IGVtaXQoeyB0eXBlOiBcInR1cm4uY29tcGxldGVkXCIsIHJlc3VsdDogY29tcGxldGVkIH0pO1xuICAgICAgcmV0dXJuIGNvbXBsZXRlZDtcbiAgICB9XG4gICAgbGV0IGNvbXBsZXRlZDogVHVyblJlc3VsdCB8IHVuZGVmaW5lZDtcbiAgICBmb3IgYXdhaXQgKGNvbnN0IGV2ZW50IG9mIGNsaWVudC5zdHJlYW1UdXJuKHR1cm4pKSB7XG4gICAgICBpZiAoZXZlbnQudHlwZSA9PT0gXCJ0dXJuLmNvbXBsZXRlZFwiKSBjb21wbGV0ZWQgPSBldmVudC5yZXN1bHQ7XG4gICAgICBhd2FpdCBlbWl0KGV2ZW50KTtcbiAgICB9XG4gICAgLy8gc3RyZWFtVHVybiBlaXRoZXIgZW5kcyB3aXRoIHR1cm4uY29tcGxldGVkIG9yIHRocm93cy5cbiAgICByZXR1cm4gY29tcGxldGVkITtcbiAgfVxuXG4gIC8vIEEgdHJhbnNjcmlwdCB0aGF0IHN0b3BwZWQgd2l0aCBjYWxscyB1bmFuc3dlcmVkIChidWRnZXQgc3BlbnQsIGFwcCBjbG9zZWQpIGlzIGFuc3dlcmVkIGZpcnN0LlxuICBsZXQgbmV4dDogVHVyblBhcmFtc1tcImlucHV0XCJdID0gaW5wdXQ7XG4gIGNvbnN0IG93ZWQgPSB1bmFuc3dlcmVkQ2FsbHMoaGlzdG9yeSk7XG4gIGlmIChvd2VkLmxlbmd0aCA+IDApIHtcbiAgICBjb25zdCBhbnN3ZXJzID0gYXdhaXQgYW5zd2VyKG93ZWQpO1xuICAgIGlmICghYW5zd2VycykgcmV0dXJuIHN0b3AoXCJtYXhfdG9vbF9jYWxsc1wiLCBvd2VkKTtcbiAgICBuZXh0ID0gWy4uLmFuc3dlcnMsIC4uLmlucHV0U3RlcHMoaW5wdXQpXTtcbiAgfVxuXG4gIGZvciAoOzspIHtcbiAgICByZXN1bHQgPSBhd2FpdCBzZW5kKG5leHQpO1xuICAgIGhpc3RvcnkgPSByZXN1bHQuaGlzdG9yeTtcbiAgICBpZiAocmVzdWx0LnBlbmRpbmdfY2FsbHMubGVuZ3RoID09PSAwKSByZXR1cm4gc3RvcChcImFuc3dlcmVkXCIsIFtdKTtcbiAgICBjb25zdCBhbnN3ZXJzID0gYXdhaXQgYW5zd2VyKHJlc3VsdC5wZW5kaW5nX2NhbGxzKTtcbiAgICBpZiAoIWFuc3dlcnMpIHJldHVybiBzdG9wKFwibWF4X3Rvb2xfY2FsbHNcIiwgcmVzdWx0LnBlbmRpbmdfY2FsbHMpO1xuICAgIG5leHQgPSBhbnN3ZXJzO1xuICB9XG59XG5cbi8qKiBgaW5wdXRgIGFzIHN0ZXBzLCByZWFkIHRoZSB3YXkgdGhlIHJlbGF5IHJlYWRzIGl0ICh0ZXh0IG9yIGNvbnRlbnQgYmxvY2tzIGJlY29tZSBvbmUgdXNlcl9pbnB1dCBzdGVwKS4gKi9cbmZ1bmN0aW9uIGlucHV0U3RlcHMoaW5wdXQ6IFR1cm5QYXJhbXNbXCJpbnB1dFwiXSk6IFN0ZXBbXSB7XG4gIGlmIChpbnB1dCA9PT0gdW5kZWZpbmVkKSByZXR1cm4gW107XG4gIGlmICh0eXBlb2YgaW5wdXQgPT09IFwic3RyaW5nXCIpIHJldHVybiBbeyB0eXBlOiBcInVzZXJfaW5wdXRcIiwgY29udGVudDogW3sgdHlwZTogXCJ0ZXh0XCIsIHRleHQ6IGlucHV0IH1dIH1dO1xuICBjb25zdCBjb250ZW50VHlwZXMgPSBbXCJ0ZXh0XCIsIFwiaW1hZ2VcIiwgXCJhdWRpb1wiLCBcImRvY3VtZW50XCIsIFwidmlkZW9cIl07XG4gIGNvbnN0IGlzQ29udGVudCA9IGlucHV0Lmxlbmd0aCA+IDAgJiYgaW5wdXQuZXZlcnkoKGl0ZW0pID0+IGNvbnRlbnRUeXBlcy5pbmNsdWRlcyhpdGVtLnR5cGUpKTtcbiAgcmV0dXJuIGlzQ29udGVudCA/IFt7IHR5cGU6IFwidXNlcl9pbnB1dFwiLCBjb250ZW50OiBbLi4uaW5wdXRdIH1dIDogKFsuLi5pbnB1dF0gYXMgU3RlcFtdKTtcbn1cbiIsICIvKipcbiAqIGNyZWF0ZVJlbGF5Q2xpZW50OiB0dXJucyAodW5hcnkgYW5kIHN0cmVhbWVkKSBhZ2FpbnN0IGEgZ2VtaW5pLXJlbGF5IG92ZXIgYGZldGNoYCwgd2l0aCB0eXBlZFxuICogZXJyb3JzLCBib3VuZGVkIHJldHJpZXMgYW5kIHRpbWVvdXRzLiBSdW50aW1lLWFnbm9zdGljOiBicm93c2VycywgUmVhY3QgTmF0aXZlLCBXb3JrZXJzLCBOb2RlIDIwKy5cbiAqL1xuaW1wb3J0IHtcbiAgUmVsYXlBcGlFcnJvcixcbiAgUmVsYXlDb25uZWN0aW9uRXJyb3IsXG4gIFJlbGF5UHJvdG9jb2xFcnJvcixcbiAgUmVsYXlUaW1lb3V0RXJyb3IsXG4gIGVycm9yRnJvbVJlc3BvbnNlLFxuICBwcm9ibGVtRXJyb3IsXG59IGZyb20gXCIuL2Vycm9yc1wiO1xuaW1wb3J0IHsgREVGQVVMVF9SRVRSWV9QT0xJQ1ksIHJldHJ5RGVsYXksIHR5cGUgUmV0cnlQb2xpY3kgfSBmcm9tIFwiLi9yZXRyeVwiO1xuaW1wb3J0IHsgU3NlUGFyc2VyLCB0eXBlIFNzZU1lc3NhZ2UgfSBmcm9tIFwiLi9zc2VcIjtcbmltcG9ydCB7IHBlbmRpbmdDYWxscywgcnVuVG9vbHMsIHR5cGUgUnVuVG9vbHNQYXJhbXMsIHR5cGUgUnVuVG9vbHNSZXN1bHQgfSBmcm9tIFwiLi90b29sc1wiO1xuaW1wb3J0IHR5cGUgeyBDb250ZW50QmxvY2ssIEZldGNoTGlrZSwgRnVuY3Rpb25DYWxsU3RlcCwgSnNvbk9iamVjdCwgU3RlcCwgVHVybkV2ZW50LCBUdXJuUGFyYW1zLCBUdXJuUmVzdWx0IH0gZnJvbSBcIi4vdHlwZXNcIjtcblxuLyoqXG4gKiBPcHRpb25zIG9mIGNyZWF0ZVJlbGF5Q2xpZW50LlxuICpcbiAqIEBleGFtcGxlXG4gKiBjb25zdCBvcHRpb25zOiBSZWxheUNsaWVudE9wdGlvbnMgPSB7IGJhc2VVcmw6IFwiaHR0cDovLzEyNy4wLjAuMTo4Nzg3XCIsIG1heFJldHJpZXM6IDMsIHRpbWVvdXRNczogNjBfMDAwIH07XG4gKi9cbmV4cG9ydCBpbnRlcmZhY2UgUmVsYXlDbGllbnRPcHRpb25zIHtcbiAgLyoqIFdoZXJlIHRoZSByZWxheSBpcywgZS5nLiBgaHR0cDovLzEyNy4wLjAuMTo4Nzg3YCBvciBgaHR0cHM6Ly9yZWxheS5leGFtcGxlLmNvbS9wcmVmaXhgLiAqL1xuICBiYXNlVXJsOiBzdHJpbmc7XG4gIC8qKiBTZW50IGFzIGBBdXRob3JpemF0aW9uOiBCZWFyZXIgPHRva2VuPmAgd2hlbiBnaXZlbi4gKi9cbiAgdG9rZW4/OiBzdHJpbmc7XG4gIC8qKiBEZWZhdWx0cyB0byB0aGUgZ2xvYmFsIGZldGNoIChsb29rZWQgdXAgcGVyIHJlcXVlc3QpLiAqL1xuICBmZXRjaD86IEZldGNoTGlrZTtcbiAgLyoqIEV4dHJhIGhlYWRlcnMgb24gZXZlcnkgcmVxdWVzdC4gKi9cbiAgaGVhZGVycz86IFJlY29yZDxzdHJpbmcsIHN0cmluZz47XG4gIC8qKiBSZXRyaWVzIG9uIDQyOSBhbmQgNTAzIGJlZm9yZSBhbnl0aGluZyB3YXMgcmVjZWl2ZWQgKGRlZmF1bHQgMikuICovXG4gIG1heFJldHJpZXM/OiBudW1iZXI7XG4gIC8qKlxuICAgKiBQZXIgYXR0ZW1wdDogYSB1bmFyeSB0dXJuIG11c3QgYmUgYW5zd2VyZWQgd2l0aGluIGl0OyBhIHN0cmVhbSBtdXN0IHNlbmQgc29tZXRoaW5nIChhIGtlZXAtYWxpdmVcbiAgICogY291bnRzKSBhdCBsZWFzdCB0aGlzIG9mdGVuLiBEZWZhdWx0IDEwIG1pbnV0ZXMuXG4gICAqL1xuICB0aW1lb3V0TXM/OiBudW1iZXI7XG4gIC8qKiBCYWNrb2ZmIHR1bmluZzogYGluaXRpYWxEZWxheU1zYCAoNTAwKSwgYG1heERlbGF5TXNgICg4MDAwKSwgYG1heFJldHJ5QWZ0ZXJNc2AgKDYwMDAwKS4gKi9cbiAgcmV0cnk/OiBQYXJ0aWFsPE9taXQ8UmV0cnlQb2xpY3ksIFwibWF4UmV0cmllc1wiPj47XG4gIC8qKiBDYWxsZWQgYmVmb3JlIGVhY2ggcmV0cnkgd2FpdCAoZS5nLiB0byB0ZWxsIHRoZSB1c2VyIFwicmF0ZSBsaW1pdGVkLCByZXRyeWluZyBpbiAyIHNcIikuICovXG4gIG9uUmV0cnk/OiAoaW5mbzogUmV0cnlJbmZvKSA9PiB2b2lkO1xufVxuXG4vKipcbiAqIFdoYXQgb25SZXRyeSBpcyB0b2xkOiB3aGljaCByZXRyeSBpcyBjb21pbmcsIGFmdGVyIGhvdyBsb25nLCBhbmQgdGhlIGVycm9yIHRoYXQgY2F1c2VkIGl0LlxuICpcbiAqIEBleGFtcGxlXG4gKiBjcmVhdGVSZWxheUNsaWVudCh7IGJhc2VVcmwsIG9uUmV0cnk6ICh7IHJldHJ5LCBkZWxheU1zLCBlcnJvciB9KSA9PiBjb25zb2xlLndhcm4oYHJldHJ5ICR7cmV0cnl9IGluICR7ZGVsYXlNc30gbXM6ICR7ZXJyb3IuY29kZX1gKSB9KTtcbiAqL1xuZXhwb3J0IGludGVyZmFjZSBSZXRyeUluZm8ge1xuICAvKiogMSBmb3IgdGhlIGZpcnN0IHJldHJ5LiAqL1xuICByZXRyeTogbnVtYmVyO1xuICBkZWxheU1zOiBudW1iZXI7XG4gIGVycm9yOiBSZWxheUFwaUVycm9yO1xufVxuXG4vKipcbiAqIEEgY2xpZW50IGZvciBvbmUgcmVsYXkuIEV2ZXJ5IG1ldGhvZCB0YWtlcyB0aGUgZnVsbCBoaXN0b3J5ICh0aGUgcmVsYXkga2VlcHMgbm90aGluZykgYW5kIHJldHVybnNcbiAqIHRoZSB1cGRhdGVkIG9uZS5cbiAqXG4gKiBAZXhhbXBsZVxuICogY29uc3QgY2xpZW50ID0gY3JlYXRlUmVsYXlDbGllbnQoeyBiYXNlVXJsOiBcImh0dHA6Ly8xMjcuMC4wLjE6ODc4N1wiIH0pO1xuICogY29uc3QgeyBoaXN0b3J5LCBvdXRwdXRfdGV4dCB9ID0gYXdhaXQgY2xpZW50LnR1cm4oeyBtb2RlbDogXCJnZW1pbmktMy41LWZsYXNoXCIsIGlucHV0OiBcIkhlbGxvIVwiIH0pO1xuICovXG5leHBvcnQgaW50ZXJmYWNlIFJlbGF5Q2xpZW50IHtcbiAgcmVhZG9ubHkgYmFzZVVybDogc3RyaW5nO1xuICAvKipcbiAgICogT25lIHR1cm46IHNlbmRzIGhpc3RvcnkgKyBpbnB1dCwgcmV0dXJucyB0aGUgdXBkYXRlZCBoaXN0b3J5LCB0aGUgbmV3IHN0ZXBzLCBzdGF0dXMsIHVzYWdlLFxuICAgKiBvdXRwdXRfdGV4dCBhbmQgcGVuZGluZ19jYWxscy4gUmV0cmllcyA0MjkvNTAzIChSZXRyeS1BZnRlciBob25vdXJlZCk7IHRocm93cyBSZWxheUFwaUVycm9yLFxuICAgKiBSZWxheUNvbm5lY3Rpb25FcnJvciwgUmVsYXlUaW1lb3V0RXJyb3Igb3IgUmVsYXlQcm90b2NvbEVycm9yLlxuICAgKlxuICAgKiBAZXhhbXBsZVxuICAgKiBjb25zdCB0MSA9IGF3YWl0IGNsaWVudC50dXJuKHsgbW9kZWwsIHRvb2xzLCBpbnB1dDogXCJXaGVyZSBpcyBteSBvcmRlciBBLTQ0MTc/XCIgfSk7XG4gICAqIGNvbnN0IHQyID0gYXdhaXQgY2xpZW50LnR1cm4oeyBtb2RlbCwgdG9vbHMsIGhpc3Rvcnk6IHQxLmhpc3RvcnksIGlucHV0OiBcIlRoYW5rcyFcIiB9KTtcbiAgICovXG4gIHR1cm4ocGFyYW1zOiBUdXJuUGFyYW1zKTogUHJvbWlzZTxUdXJuUmVzdWx0PjtcbiAgLyoqXG4gICAqIE9uZSBzdHJlYW1lZCB0dXJuIGFzIGFuIGFzeW5jIGl0ZXJhYmxlIG9mIHR5cGVkIGV2ZW50cywgZW5kaW5nIHdpdGggYHR1cm4uY29tcGxldGVkYC4gTGVhdmluZ1xuICAgKiB0aGUgbG9vcCBlYXJseSAoYnJlYWssIHJldHVybiwgdGhyb3cpIGFib3J0cyB0aGUgcmVxdWVzdDsgYHBhcmFtcy5zaWduYWxgIGFib3J0cyBpdCB0b28gKHRoZVxuICAgKiBsb29wIHRoZW4gdGhyb3dzIHRoZSBzaWduYWwncyByZWFzb24pLiBBIGB0dXJuLmVycm9yYCBldmVudCBpcyB0aHJvd24gYXMgYSBSZWxheUFwaUVycm9yIHdpdGhcbiAgICogYHN0cmVhbWVkOiB0cnVlYC4gT25seSBhIHJlZnVzYWwgYmVmb3JlIHRoZSBzdHJlYW0gc3RhcnRzICg0MjkvNTAzKSBpcyByZXRyaWVkLlxuICAgKlxuICAgKiBAZXhhbXBsZVxuICAgKiBmb3IgYXdhaXQgKGNvbnN0IGV2ZW50IG9mIGNsaWVudC5zdHJlYW1UdXJuKHsgbW9kZWwsIGhpc3RvcnksIGlucHV0OiBcIlRlbGwgbWUgYSBzdG9yeVwiIH0pKSB7XG4gICAqICAgaWYgKGV2ZW50LnR5cGUgPT09IFwidGV4dC5kZWx0YVwiKSByZW5kZXIoZXZlbnQudGV4dCk7XG4gICAqICAgaWYgKGV2ZW50LnR5cGUgPT09IFwidHVybi5jb21wbGV0ZWRcIikgaGlzdG9yeSA9IGV2ZW50LnJlc3VsdC5oaXN0b3J5O1xuICAgKiB9XG4gICAqL1xuICBzdHJlYW1UdXJuKHBhcmFtczogVHVyblBhcmFtcyk6IEFzeW5jR2VuZXJhdG9yPFR1cm5FdmVudCwgdm9pZCwgdW5kZWZpbmVkPjtcbiAgLyoqXG4gICAqIFRoZSBmdW5jdGlvbi1jYWxsaW5nIGxvb3AsIHJ1biBsb2NhbGx5OiBzZW5kcyB0aGUgdHVybiwgcnVucyB0aGUgaGFuZGxlcnMgb2YgdGhlIGNhbGxzIHRoZVxuICAgKiBtb2RlbCBtYWtlcywgYW5zd2VycyBlYWNoIHdpdGggYSBmdW5jdGlvbl9yZXN1bHQgKHNhbWUgY2FsbF9pZCBhbmQgbmFtZTsgYSBoYW5kbGVyIHRoYXQgdGhyb3dzXG4gICAqIGdpdmVzIGBpc19lcnJvcjogdHJ1ZWApLCBhbmQgcmVwZWF0cyB1bnRpbCB0aGUgbW9kZWwgYW5zd2VycyBvciBgbWF4VG9vbENhbGxzYCBpcyBzcGVudC5cbiAgICpcbiAgICogQGV4YW1wbGVcbiAgICogY29uc3QgeyBoaXN0b3J5LCBvdXRwdXRfdGV4dCB9ID0gYXdhaXQgY2xpZW50LnJ1blRvb2xzKHtcbiAgICogICBtb2RlbCwgaW5wdXQ6IFwiV2hlcmUgaXMgbXkgb3JkZXIgQS00NDE3P1wiLFxuICAgKiAgIHRvb2xzOiB7IGdldF9vcmRlcl9zdGF0dXM6IHsgZGVjbGFyYXRpb246IHsgZGVzY3JpcHRpb246IFwiT3JkZXIgc3RhdHVzXCIsIHBhcmFtZXRlcnMgfSwgaGFuZGxlcjogKHsgb3JkZXJfaWQgfSkgPT4gbG9va1VwKG9yZGVyX2lkKSB9IH0sXG4gICAqIH0pO1xuICAgKi9cbiAgcnVuVG9vbHMocGFyYW1zOiBSdW5Ub29sc1BhcmFtcyk6IFByb21pc2U8UnVuVG9vbHNSZXN1bHQ+O1xufVxuXG4vKipcbiAqIENyZWF0ZXMgYSBjbGllbnQgZm9yIHRoZSByZWxheSBhdCBgYmFzZVVybGAuXG4gKlxuICogQGV4YW1wbGVcbiAqIGNvbnN0IGNsaWVudCA9IGNyZWF0ZVJlbGF5Q2xpZW50KHsgYmFzZVVybDogXCJodHRwczovL3JlbGF5LmV4YW1wbGUuY29tXCIsIHRva2VuOiBwcm9jZXNzLmVudi5SRUxBWV9UT0tFTiB9KTtcbiAqIGNvbnN0IHJlc3VsdCA9IGF3YWl0IGNsaWVudC50dXJuKHsgbW9kZWw6IFwiZ2VtaW5pLTMuNS1mbGFzaFwiLCBpbnB1dDogXCJIaVwiIH0pO1xuICovXG5leHBvcnQgZnVuY3Rpb24gY3JlYXRlUmVsYXlDbGllbnQob3B0aW9uczogUmVsYXlDbGllbnRPcHRpb25zKTogUmVsYXlDbGllbnQge1xuICBjb25zdCBiYXNlVXJsID0gb3B0aW9ucy5iYXNlVXJsLnJlcGxhY2UoL1xcLyskLywgXCJcIik7XG4gIGNvbnN0IHVybCA9IGAke2Jhc2VVcmx9L3YxL3R1cm5zYDtcbiAgY29uc3QgdGltZW91dE1zID0gb3B0aW9ucy50aW1lb3V0TXMgPz8gNjAwXzAwMDtcbiAgY29uc3QgcG9saWN5OiBSZXRyeVBvbGljeSA9IHsgLi4uREVGQVVMVF9SRVRSWV9QT0xJQ1ksIC4uLm9wdGlvbnMucmV0cnksIG1heFJldHJpZXM6IG9wdGlvbnMubWF4UmV0cmllcyA/PyBERUZBVUxUX1JFVFJZX1BPTElDWS5tYXhSZXRyaWVzIH07XG4gIGNvbnN0IGRvRmV0Y2g6IEZldGNoTGlrZSA9IG9wdGlvbnMuZmV0Y2ggPz8gKChpbnB1dCwgaW5pdCkgPT4gZ2xvYmFsVGhpcy5mZXRjaChpbnB1dCwgaW5pdCkpO1xuXG4gIC8qKiBTZW5kcyB0aGUgdHVybiB1bnRpbCBpdCBpcyBhbnN3ZXJlZCAyeHggb3IgbXVzdCBmYWlsOyB0aGUgcmV0dXJuZWQgYXR0ZW1wdCBzdGlsbCBvd25zIHRoZSBib2R5LiAqL1xuICBhc3luYyBmdW5jdGlvbiBvcGVuKHBhcmFtczogVHVyblBhcmFtcywgc3RyZWFtOiBib29sZWFuKTogUHJvbWlzZTx7IHJlczogUmVzcG9uc2U7IGF0dGVtcHQ6IEF0dGVtcHQgfT4ge1xuICAgIGNvbnN0IHsgc2lnbmFsLCAuLi5maWVsZHMgfSA9IHBhcmFtcztcbiAgICBjb25zdCBib2R5ID0gSlNPTi5zdHJpbmdpZnkoc3RyZWFtID8geyAuLi5maWVsZHMsIHN0cmVhbTogdHJ1ZSB9IDogZmllbGRzKTtcbiAgICBjb25zdCBoZWFkZXJzOiBSZWNvcmQ8c3RyaW5nLCBzdHJpbmc+ID0ge1xuICAgICAgLi4ub3B0aW9ucy5oZWFkZXJzLFxuICAgICAgXCJjb250ZW50LXR5cGVcIjogXCJhcHBsaWNhdGlvbi9qc29uXCIsXG4gICAgICBhY2NlcHQ6IHN0cmVhbSA/IFwidGV4dC9ldmVudC1zdHJlYW1cIiA6IFwiYXBwbGljYXRpb24vanNvblwiLFxuICAgIH07XG4gICAgaWYgKG9wdGlvbnMudG9rZW4pIGhlYWRlcnMuYXV0aG9yaXphdGlvbiA9IGBCZWFyZXIgJHtvcHRpb25zLnRva2VufWA7XG5cbiAgICBmb3IgKGxldCByZXRyeSA9IDA7IDsgcmV0cnkrKykge1xuICAgICAgaWYgKHNpZ25hbD8uYWJvcnRlZCkgdGhyb3cgc2lnbmFsLnJlYXNvbjtcbiAgICAgIGNvbnN0IGF0dGVtcHQgPSBuZXcgQXR0ZW1wdChzaWduYWwsIHRpbWVvdXRNcyk7XG4gICAgICBsZXQgcmVzOiBSZXNwb25zZTtcbiAgICAgIHRyeSB7XG4gICAgICAgIHJlcyA9IGF3YWl0IGF0dGVtcHQuZ3VhcmQoUHJvbWlzZS5yZXNvbHZlKGRvRmV0Y2godXJsLCB7IG1ldGhvZDogXCJQT1NUXCIsIGhlYWRlcnMsIGJvZHksIHNpZ25hbDogYXR0ZW1wdC5zaWduYWwgfSkpKTtcbiAgICAgIH0gY2F0Y2ggKGVycikge1xuICAgICAgICBhdHRlbXB0LmNsb3NlKCk7XG4gICAgICAgIHRocm93IGF0dGVtcHQuZmFpbHVyZShlcnIsIHVybCk7XG4gICAgICB9XG4gICAgICBpZiAocmVzLm9rKSByZXR1cm4geyByZXMsIGF0dGVtcHQgfTtcbiAgICAgIGxldCBlcnJvcjogUmVsYXlBcGlFcnJvcjtcbiAgICAgIHRyeSB7XG4gICAgICAgIGVycm9yID0gYXdhaXQgYXR0ZW1wdC5ndWFyZChlcnJvckZyb21SZXNwb25zZShyZXMpKTtcbiAgICAgIH0gY2F0Y2ggKGVycikge1xuICAgICAgICB0aHJvdyBhdHRlbXB0LmZhaWx1cmUoZXJyLCB1cmwpO1xuICAgICAgfSBmaW5hbGx5IHtcbiAgICAgICAgYXR0ZW1wdC5jbG9zZSgpO1xuICAgICAgfVxuICAgICAgY29uc3QgZGVsYXlNcyA9IHJldHJ5RGVsYXkoZXJyb3IsIHJldHJ5LCBwb2xpY3kpO1xuICAgICAgaWYgKGRlbGF5TXMgPT09IHVuZGVmaW5lZCkgdGhyb3cgZXJyb3I7XG4gICAgICBvcHRpb25zLm9uUmV0cnk/Lih7IHJldHJ5OiByZXRyeSArIDEsIGRlbGF5TXMsIGVycm9yIH0pO1xuICAgICAgYXdhaXQgc2xlZXAoZGVsYXlNcywgc2lnbmFsKTtcbiAgICB9XG4gIH1cblxuICBhc3luYyBmdW5jdGlvbiB0dXJuKHBhcmFtczogVHVyblBhcmFtcyk6IFByb21pc2U8VHVyblJlc3VsdD4ge1xuICAgIGNvbnN0IHsgcmVzLCBhdHRlbXB0IH0gPSBhd2FpdCBvcGVuKHBhcmFtcywgZmFsc2UpO1xuICAgIGxldCB0ZXh0OiBzdHJpbmc7XG4gICAgdHJ5IHtcbiAgICAgIHRleHQgPSBhd2FpdCBhdHRlbXB0Lmd1YXJkKHJlcy50ZXh0KCkpO1xuICAgIH0gY2F0Y2ggKGVycikge1xuICAgICAgcmVzLmJvZHk/LmNhbmNlbCgpLmNhdGNoKCgpID0+IHt9KTtcbiAgICAgIHRocm93IGF0dGVtcHQuZmFpbHVyZShlcnIsIHVybCk7XG4gICAgfSBmaW5hbGx5IHtcbiAgICAgIGF0dGVtcHQuY2xvc2UoKTtcbiAgICB9XG4gICAgbGV0IGJvZHk6IHVua25vd247XG4gICAgdHJ5IHtcbiAgICAgIGJvZHkgPSBKU09OLnBhcnNlKHRleHQpO1xuICAgIH0gY2F0Y2gge1xuICAgICAgdGhyb3cgbmV3IFJlbGF5UHJvdG9jb2xFcnJvcihgJHt1cmx9IGFuc3dlcmVkICR7cmVzLnN0YXR1c30gd2l0aCBhIGJvZHkgdGhhdCBpcyBub3QgSlNPTiAoY29udGVudC10eXBlICR7cmVzLmhlYWRlcnMuZ2V0KFwiY29udGVudC10eXBlXCIpID8/IFwibm9uZVwifSkuYCk7XG4gICAgfVxuICAgIHJldHVybiB0dXJuUmVzdWx0KGJvZHksIHVybCk7XG4gIH1cblxuICBhc3luYyBmdW5jdGlvbiogc3RyZWFtVHVybihwYXJhbXM6IFR1cm5QYXJhbXMpOiBBc3luY0dlbmVyYXRvcjxUdXJuRXZlbnQsIHZvaWQsIHVuZGVmaW5lZD4ge1xuICAgIGNvbnN0IHsgcmVzLCBhdHRlbXB0IH0gPSBhd2FpdCBvcGVuKHBhcmFtcywgdHJ1ZSk7XG4gICAgbGV0IGNvbXBsZXRlZCA9IGZhbHNlO1xuICAgIHRyeSB7XG4gICAgICBjb25zdCB0eXBlID0gcmVzLmhlYWRlcnMuZ2V0KFwiY29udGVudC10eXBlXCIpID8/IFwiXCI7XG4gICAgICBpZiAoIXR5cGUuc3RhcnRzV2l0aChcInRleHQvZXZlbnQtc3RyZWFtXCIpKSB7XG4gICAgICAgIHRocm93IG5ldyBSZWxheVByb3RvY29sRXJyb3IoYCR7dXJsfSBhbnN3ZXJlZCBhIHN0cmVhbWVkIHR1cm4gd2l0aCAke3R5cGUgfHwgXCJubyBjb250ZW50IHR5cGVcIn0gaW5zdGVhZCBvZiB0ZXh0L2V2ZW50LXN0cmVhbS5gKTtcbiAgICAgIH1cbiAgICAgIGZvciBhd2FpdCAoY29uc3QgbWVzc2FnZSBvZiBzc2VNZXNzYWdlcyhyZXMsIGF0dGVtcHQsIHVybCkpIHtcbiAgICAgICAgY29uc3QgZXZlbnQgPSB0dXJuRXZlbnQobWVzc2FnZSwgdXJsKTtcbiAgICAgICAgaWYgKGV2ZW50LnR5cGUgPT09IFwidHVybi5jb21wbGV0ZWRcIikgY29tcGxldGVkID0gdHJ1ZTtcbiAgICAgICAgYXR0ZW1wdC5pZGxlKCk7IC8vIHRoZSBjb25zdW1lcidzIHRpbWUgYmV0d2VlbiBldmVudHMgaXMgbm90IHRoZSByZWxheSdzIHNpbGVuY2VcbiAgICAgICAgeWllbGQgZXZlbnQ7XG4gICAgICAgIGlmIChjb21wbGV0ZWQpIHJldHVybjtcbiAgICAgICAgaWYgKGF0dGVtcHQuc2lnbmFsLmFib3J0ZWQpIHRocm93IGF0dGVtcHQuZmFpbHVyZShhdHRlbXB0LnNpZ25hbC5yZWFzb24sIHVybCk7XG4gICAgICAgIGF0dGVtcHQudG91Y2goKTtcbiAgICAgIH1cbiAgICAgIHRocm93IG5ldyBSZWxheUNvbm5lY3Rpb25FcnJvcihgVGhlIHN0cmVhbSBmcm9tICR7dXJsfSBlbmRlZCBiZWZvcmUgdHVybi5jb21wbGV0ZWQ7IHRoZSB0dXJuIGlzIGluY29tcGxldGUuYCwgdXJsKTtcbiAgICB9IGZpbmFsbHkge1xuICAgICAgYXR0ZW1wdC5jbG9zZSgpO1xuICAgICAgLy8gTGVmdCBlYXJseSAoYnJlYWssIGVycm9yLCBhYm9ydCkgb3IgZG9uZTogZWl0aGVyIHdheSBub3RoaW5nIG1vcmUgaXMgcmVhZCwgc28gc3RvcCB0aGUgcmVxdWVzdC5cbiAgICAgIGlmICghY29tcGxldGVkKSBhdHRlbXB0LmFib3J0KCk7XG4gICAgfVxuICB9XG5cbiAgY29uc3QgY2xpZW50OiBSZWxheUNsaWVudCA9IHtcbiAgICBiYXNlVXJsLFxuICAgIHR1cm4sXG4gICAgc3RyZWFtVHVybixcbiAgICBydW5Ub29sczogKHBhcmFtcykgPT4gcnVuVG9vbHMoY2xpZW50LCBwYXJhbXMpLFxuICB9O1xuICByZXR1cm4gY2xpZW50O1xufVxuXG4vLyAtLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS1cblxuLyoqIE9uZSByZXF1ZXN0IGF0dGVtcHQ6IGl0cyBhYm9ydCBjb250cm9sbGVyLCBqb2luZWQgdG8gdGhlIGNhbGxlcidzIHNpZ25hbCwgYW5kIGl0cyB0aW1lb3V0LiAqL1xuY2xhc3MgQXR0ZW1wdCB7XG4gIHByaXZhdGUgcmVhZG9ubHkgY29udHJvbGxlciA9IG5ldyBBYm9ydENvbnRyb2xsZXIoKTtcbiAgcHJpdmF0ZSB0aW1lcjogUmV0dXJuVHlwZTx0eXBlb2Ygc2V0VGltZW91dD4gfCB1bmRlZmluZWQ7XG4gIHByaXZhdGUgdGltZWRPdXQgPSBmYWxzZTtcbiAgcHJpdmF0ZSByZWFkb25seSBvbkNhbGxlckFib3J0ID0gKCkgPT4gdGhpcy5jb250cm9sbGVyLmFib3J0KHRoaXMuY2FsbGVyPy5yZWFzb24pO1xuXG4gIGNvbnN0cnVjdG9yKFxuICAgIHByaXZhdGUgcmVhZG9ubHkgY2FsbGVyOiBBYm9ydFNpZ25hbCB8IHVuZGVmaW5lZCxcbiAgICBwcml2YXRlIHJlYWRvbmx5IHRpbWVvdXRNczogbnVtYmVyLFxuICApIHtcbiAgICAvLyBKb2luZWQgYnkgaGFuZCAobm90IEFib3J0U2lnbmFsLmFueSkgc28gUmVhY3QgTmF0aXZlIGFuZCBvbGRlciBicm93c2VycyB3b3JrIHRvby5cbiAgICBjYWxsZXI/LmFkZEV2ZW50TGlzdGVuZXIoXCJhYm9ydFwiLCB0aGlzLm9uQ2FsbGVyQWJvcnQsIHsgb25jZTogdHJ1ZSB9KTtcbiAgICB0aGlzLnRvdWNoKCk7XG4gIH1cblxuICBnZXQgc2lnbmFsKCk6IEFib3J0U2lnbmFsIHtcbiAgICByZXR1cm4gdGhpcy5jb250cm9sbGVyLnNpZ25hbDtcbiAgfVxuXG4gIC8qKiAoUmUpc3RhcnRzIHRoZSB0aW1lb3V0LiAqL1xuICB0b3VjaCgpOiB2b2lkIHtcbiAgICB0aGlzLmlkbGUoKTtcbiAgICB0aGlzLnRpbWVyID0gc2V0VGltZW91dCgoKSA9PiB7XG4gICAgICB0aGlzLnRpbWVkT3V0ID0gdHJ1ZTtcbiAgICAgIHRoaXMuY29udHJvbGxlci5hYm9ydCgpO1xuICAgIH0sIHRoaXMudGltZW91dE1zKTtcbiAgfVxuXG4gIC8qKiBQYXVzZXMgdGhlIHRpbWVvdXQuICovXG4gIGlkbGUoKTogdm9pZCB7XG4gICAgaWYgKHRoaXMudGltZXIgIT09IHVuZGVmaW5lZCkgY2xlYXJUaW1lb3V0KHRoaXMudGltZXIpO1xuICAgIHRoaXMudGltZXIgPSB1bmRlZmluZWQ7XG4gIH1cblxuICBhYm9ydCgpOiB2b2lkIHtcbiAgICB0aGlzLmNvbnRyb2xsZXIuYWJvcnQoKTtcbiAgfVxuXG4gIC8qKlxuICAgKiBTZXR0bGVzIHdpdGggYHByb21pc2VgLCBvciByZWplY3RzIGFzIHNvb24gYXMgdGhlIGF0dGVtcHQgaXMgYWJvcnRlZCAoY2FsbGVyLCB0aW1lb3V0LCBicmVhayk6XG4gICAqIG5vdCBldmVyeSBmZXRjaCByZWplY3RzIG9uIGFib3J0IChhbiBpbi1wcm9jZXNzIGFwcCBtYXkgYW5zd2VyIDQ5OSBpbnN0ZWFkLCBhIHBvbHlmaWxsIG1heSBpZ25vcmUgaXQpLlxuICAgKi9cbiAgZ3VhcmQ8VD4ocHJvbWlzZTogUHJvbWlzZTxUPik6IFByb21pc2U8VD4ge1xuICAgIGNvbnN0IHNpZ25hbCA9IHRoaXMuY29udHJvbGxlci5zaWduYWw7XG4gICAgaWYgKHNpZ25hbC5hYm9ydGVkKSB7XG4gICAgICBwcm9taXNlLmNhdGNoKCgpID0+IHt9KTtcbiAgICAgIHJldHVybiBQcm9taXNlLnJlamVjdChzaWduYWwucmVhc29uKTtcbiAgICB9XG4gICAgcmV0dXJuIG5ldyBQcm9taXNlPFQ+KChyZXNvbHZlLCByZWplY3QpID0+IHtcbiAgICAgIGNvbnN0IG9uQWJvcnQgPSAoKSA9PiByZWplY3Qoc2lnbmFsLnJlYXNvbik7XG4gICAgICBzaWduYWwuYWRkRXZlbnRMaXN0ZW5lcihcImFib3J0XCIsIG9uQWJvcnQsIHsgb25jZTogdHJ1ZSB9KTtcbiAgICAgIHByb21pc2UudGhlbihcbiAgICAgICAgKHZhbHVlKSA9PiB7XG4gICAgICAgICAgc2lnbmFsLnJlbW92ZUV2ZW50TGlzdGVuZXIoXCJhYm9ydFwiLCBvbkFib3J0KTtcbiAgICAgICAgICByZXNvbHZlKHZhbHVlKTtcbiAgICAgICAgfSxcbiAgICAgICAgKGVycjogdW5rbm93bikgPT4ge1xuICAgICAgICAgIHNpZ25hbC5yZW1vdmVFdmVudExpc3RlbmVyKFwiYWJvcnRcIiwgb25BYm9ydCk7XG4gICAgICAgICAgcmVqZWN0KGVycik7XG4gICAgICAgIH0sXG4gICAgICApO1xuICAgIH0pO1xuICB9XG5cbiAgY2xvc2UoKTogdm9pZCB7XG4gICAgdGhpcy5pZGxlKCk7XG4gICAgdGhpcy5jYWxsZXI/LnJlbW92ZUV2ZW50TGlzdGVuZXIoXCJhYm9ydFwiLCB0aGlzLm9uQ2FsbGVyQWJvcnQpO1xuICB9XG5cbiAgLyoqIFdoYXQgYSBmYWlsZWQgZmV0Y2ggb3IgcmVhZCBiZWNvbWVzOiB0aGUgY2FsbGVyJ3MgYWJvcnQgcmVhc29uLCBhIHRpbWVvdXQsIG9yIGEgY29ubmVjdGlvbiBlcnJvci4gKi9cbiAgZmFpbHVyZShlcnI6IHVua25vd24sIHVybDogc3RyaW5nKTogdW5rbm93biB7XG4gICAgaWYgKHRoaXMuY2FsbGVyPy5hYm9ydGVkKSByZXR1cm4gdGhpcy5jYWxsZXIucmVhc29uO1xuICAgIGlmICh0aGlzLnRpbWVkT3V0KSByZXR1cm4gbmV3IFJlbGF5VGltZW91dEVycm9yKHVybCwgdGhpcy50aW1lb3V0TXMpO1xuICAgIGlmIChlcnIgaW5zdGFuY2VvZiBSZWxheUNvbm5lY3Rpb25FcnJvciB8fCBlcnIgaW5zdGFuY2VvZiBSZWxheVByb3RvY29sRXJyb3IgfHwgZXJyIGluc3RhbmNlb2YgUmVsYXlBcGlFcnJvcikgcmV0dXJuIGVycjtcbiAgICByZXR1cm4gbmV3IFJlbGF5Q29ubmVjdGlvbkVycm9yKGBDb3VsZCBub3QgcmVhY2ggdGhlIHJlbGF5IGF0ICR7dXJsfTogJHtkZXNjcmliZShlcnIpfS5gLCB1cmwsIHsgY2F1c2U6IGVyciB9KTtcbiAgfVxufVxuXG4vKiogXCJmZXRjaCBmYWlsZWQgKGNvbm5lY3QgRUNPTk5SRUZVU0VEIDEyNy4wLjAuMTo4Nzg3KVwiOiB0aGUgZXJyb3IgYW5kLCBpZiBhbnksIHdoYXQgY2F1c2VkIGl0LiAqL1xuZnVuY3Rpb24gZGVzY3JpYmUoZXJyOiB1bmtub3duKTogc3RyaW5nIHtcbiAgaWYgKCEoZXJyIGluc3RhbmNlb2YgRXJyb3IpKSByZXR1cm4gU3RyaW5nKGVycik7XG4gIGNvbnN0IGNhdXNlID0gZXJyLmNhdXNlIGluc3RhbmNlb2YgRXJyb3IgPyBlcnIuY2F1c2UubWVzc2FnZSA6IHVuZGVmaW5lZDtcbiAgcmV0dXJuIGNhdXNlICYmIGNhdXNlICE9PSBlcnIubWVzc2FnZSA/IGAke2Vyci5tZXNzYWdlfSAoJHtjYXVzZX0pYCA6IGVyci5tZXNzYWdlO1xufVxuXG5mdW5jdGlvbiBzbGVlcChtczogbnVtYmVyLCBzaWduYWw6IEFib3J0U2lnbmFsIHwgdW5kZWZpbmVkKTogUHJvbWlzZTx2b2lkPiB7XG4gIHJldHVybiBuZXcgUHJvbWlzZSgocmVzb2x2ZSwgcmVqZWN0KSA9PiB7XG4gICAgaWYgKHNpZ25hbD8uYWJvcnRlZCkgcmV0dXJuIHJlamVjdChzaWduYWwucmVhc29uKTtcbiAgICBjb25zdCBvbkFib3J0ID0gKCkgPT4ge1xuICAgICAgY2xlYXJUaW1lb3V0KHRpbWVyKTtcbiAgICAgIHJlamVjdChzaWduYWw/LnJlYXNvbik7XG4gICAgfTtcbiAgICBjb25zdCB0aW1lciA9IHNldFRpbWVvdXQoKCkgPT4ge1xuICAgICAgc2lnbmFsPy5yZW1vdmVFdmVudExpc3RlbmVyKFwiYWJvcnRcIiwgb25BYm9ydCk7XG4gICAgICByZXNvbHZlKCk7XG4gICAgfSwgbXMpO1xuICAgIHNpZ25hbD8uYWRkRXZlbnRMaXN0ZW5lcihcImFib3J0XCIsIG9uQWJvcnQsIHsgb25jZTogdHJ1ZSB9KTtcbiAgfSk7XG59XG5cbi8qKiBUaGUgU1NFIG1lc3NhZ2VzIG9mIGEgcmVzcG9uc2UgYXMgdGhleSBhcnJpdmUgKG9yIGFsbCBhdCBvbmNlIHdoZXJlIGZldGNoIGNhbm5vdCBzdHJlYW0sIGFzIGluIFJlYWN0IE5hdGl2ZSkuICovXG5hc3luYyBmdW5jdGlvbiogc3NlTWVzc2FnZXMocmVzOiBSZXNwb25zZSwgYXR0ZW1wdDogQXR0ZW1wdCwgdXJsOiBzdHJpbmcpOiBBc3luY0dlbmVyYXRvcjxTc2VNZXNzYWdlPiB7XG4gIGNvbnN0IHBhcnNlciA9IG5ldyBTc2VQYXJzZXIoKTtcbiAgaWYgKCFyZXMuYm9keSkge1xuICAgIGxldCB0ZXh0OiBzdHJpbmc7XG4gICAgdHJ5IHtcbiAgICAgIHRleHQgPSBhd2FpdCBhdHRlbXB0Lmd1YXJkKHJlcy50ZXh0KCkpO1xuICAgIH0gY2F0Y2ggKGVycikge1xuICAgICAgdGhyb3cgYXR0ZW1wdC5mYWlsdXJlKGVyciwgdXJsKTtcbiAgICB9XG4gICAgeWllbGQqIHBhcnNlci5wdXNoKHRleHQpO1xuICAgIHJldHVybjtcbiAgfVxuICBjb25zdCByZWFkZXIgPSByZXMuYm9keS5nZXRSZWFkZXIoKTtcbiAgY29uc3QgZGVjb2RlciA9IG5ldyBUZXh0RGVjb2RlcigpO1xuICB0cnkge1xuICAgIGZvciAoOzspIHtcbiAgICAgIGNvbnN0IGNodW5rID0gYXdhaXQgYXR0ZW1wdC5ndWFyZChyZWFkZXIucmVhZCgpKS5jYXRjaCgoZXJyOiB1bmtub3duKSA9PiB7XG4gICAgICAgIHRocm93IGF0dGVtcHQuZmFpbHVyZShlcnIsIHVybCk7XG4gICAgICB9KTtcbiAgICAgIGlmIChjaHVuay5kb25lKSBicmVhaztcbiAgICAgIGF0dGVtcHQudG91Y2goKTtcbiAgICAgIHlpZWxkKiBwYXJzZXIucHVzaChkZWNvZGVyLmRlY29kZShjaHVuay52YWx1ZSwgeyBzdHJlYW06IHRydWUgfSkpO1xuICAgIH1cbiAgICB5aWVsZCogcGFyc2VyLnB1c2goZGVjb2Rlci5kZWNvZGUoKSk7XG4gICAgcGFyc2VyLmVuZCgpO1xuICB9IGZpbmFsbHkge1xuICAgIHJlYWRlci5jYW5jZWwoKS5jYXRjaCgoKSA9PiB7fSk7XG4gIH1cbn1cblxuLyoqIE9uZSBTU0UgbWVzc2FnZSBhcyBhIHR5cGVkIGV2ZW50OyBgdHVybi5lcnJvcmAgaXMgdGhyb3duLiAqL1xuZnVuY3Rpb24gdHVybkV2ZW50KG1lc3NhZ2U6IFNzZU1lc3NhZ2UsIHVybDogc3RyaW5nKTogVHVybkV2ZW50IHtcbiAgbGV0IGRhdGE6IHVua25vd247XG4gIHRyeSB7XG4gICAgZGF0YSA9IEpTT04ucGFyc2UobWVzc2FnZS5kYXRhKTtcbiAgfSBjYXRjaCB7XG4gICAgaWYgKG1lc3NhZ2UuZXZlbnQuc3RhcnRzV2l0aChcInR1cm4uXCIpKSB0aHJvdyBuZXcgUmVsYXlQcm90b2NvbEVycm9yKGAke3VybH0gc2VudCBhICR7bWVzc2FnZS5ldmVudH0gZXZlbnQgd2hvc2UgZGF0YSBpcyBub3QgSlNPTi5gKTtcbiAgICByZXR1cm4geyB0eXBlOiBcInVwc3RyZWFtXCIsIGV2ZW50OiBtZXNzYWdlLmV2ZW50LCBkYXRhOiBtZXNzYWdlLmRhdGEgfTtcbiAgfVxuICBjb25zdCByZWNvcmQgPSAodHlwZW9mIGRhdGEgPT09IFwib2JqZWN0XCIgJiYgZGF0YSAhPT0gbnVsbCA/IGRhdGEgOiB7fSkgYXMgSnNvbk9iamVjdDtcbiAgc3dpdGNoIChtZXNzYWdlLmV2ZW50KSB7XG4gICAgY2FzZSBcInR1cm4uY29tcGxldGVkXCI6XG4gICAgICByZXR1cm4geyB0eXBlOiBcInR1cm4uY29tcGxldGVkXCIsIHJlc3VsdDogdHVyblJlc3VsdChkYXRhLCB1cmwpIH07XG4gICAgY2FzZSBcInR1cm4uc3RlcFwiOlxuICAgICAgcmV0dXJuIHsgdHlwZTogXCJ0dXJuLnN0ZXBcIiwgaW5kZXg6IE51bWJlcihyZWNvcmQuaW5kZXgpLCBzdGVwOiByZWNvcmQuc3RlcCBhcyBTdGVwIH07XG4gICAgY2FzZSBcInR1cm4uZXJyb3JcIjpcbiAgICAgIHRocm93IHByb2JsZW1FcnJvcihkYXRhLCB7IHN0YXR1czogNTAyLCBzdHJlYW1lZDogdHJ1ZSB9KTtcbiAgICBjYXNlIFwic3RlcC5kZWx0YVwiOiB7XG4gICAgICBjb25zdCBkZWx0YSA9ICh0eXBlb2YgcmVjb3JkLmRlbHRhID09PSBcIm9iamVjdFwiICYmIHJlY29yZC5kZWx0YSAhPT0gbnVsbCA/IHJlY29yZC5kZWx0YSA6IHt9KSBhcyBKc29uT2JqZWN0O1xuICAgICAgY29uc3QgaW5kZXggPSBOdW1iZXIocmVjb3JkLmluZGV4KTtcbiAgICAgIGlmIChkZWx0YS50eXBlID09PSBcInRleHRcIiAmJiB0eXBlb2YgZGVsdGEudGV4dCA9PT0gXCJzdHJpbmdcIikgcmV0dXJuIHsgdHlwZTogXCJ0ZXh0LmRlbHRhXCIsIGluZGV4LCB0ZXh0OiBkZWx0YS50ZXh0IH07XG4gICAgICBpZiAoZGVsdGEudHlwZSA9PT0gXCJ0aG91Z2h0X3N1bW1hcnlcIiAmJiB0eXBlb2YgZGVsdGEuY29udGVudCA9PT0gXCJvYmplY3RcIiAmJiBkZWx0YS5jb250ZW50ICE9PSBudWxsKSB7XG4gICAgICAgIGNvbnN0IGNvbnRlbnQgPSBkZWx0YS5jb250ZW50IGFzIENvbnRlbnRCbG9jaztcbiAgICAgICAgcmV0dXJuIHsgdHlwZTogXCJ0aG91Z2h0X3N1bW1hcnkuZGVsdGFcIiwgaW5kZXgsIGNvbnRlbnQsIHRleHQ6IHR5cGVvZiBjb250ZW50LnRleHQgPT09IFwic3RyaW5nXCIgPyBjb250ZW50LnRleHQgOiBcIlwiIH07XG4gICAgICB9XG4gICAgICByZXR1cm4geyB0eXBlOiBcInVwc3RyZWFtXCIsIGV2ZW50OiBtZXNzYWdlLmV2ZW50LCBkYXRhIH07XG4gICAgfVxuICAgIGRlZmF1bHQ6XG4gICAgICByZXR1cm4geyB0eXBlOiBcInVwc3RyZWFtXCIsIGV2ZW50OiBtZXNzYWdlLmV2ZW50LCBkYXRhIH07XG4gIH1cbn1cblxuLyoqIEEgcmVzcG9uc2UgYm9keSBhcyBhIFR1cm5SZXN1bHQ6IGNoZWNrZWQgZm9yIGl0cyBzaGFwZSwgYHBlbmRpbmdfY2FsbHNgIGZpbGxlZCBpbiB3aGVuIGFic2VudC4gKi9cbmZ1bmN0aW9uIHR1cm5SZXN1bHQoYm9keTogdW5rbm93biwgdXJsOiBzdHJpbmcpOiBUdXJuUmVzdWx0IHtcbiAgY29uc3QgcmVjb3JkID0gYm9keSBhcyBQYXJ0aWFsPFR1cm5SZXN1bHQ+IHwgbnVsbDtcbiAgaWYgKHR5cGVvZiByZWNvcmQgIT09IFwib2JqZWN0XCIgfHwgcmVjb3JkID09PSBudWxsIHx8ICFBcnJheS5pc0FycmF5KHJlY29yZC5oaXN0b3J5KSB8fCAhQXJyYXkuaXNBcnJheShyZWNvcmQuc3RlcHMpIHx8IHR5cGVvZiByZWNvcmQuc3RhdHVzICE9PSBcInN0cmluZ1wiKSB7XG4gICAgdGhyb3cgbmV3IFJlbGF5UHJvdG9jb2xFcnJvcihgJHt1cmx9IGFuc3dlcmVkIHdpdGggSlNPTiB0aGF0IGlzIG5vdCBhIHR1cm4gcmVzdWx0IChleHBlY3RlZCBoaXN0b3J5LCBzdGVwcyBhbmQgc3RhdHVzKS5gKTtcbiAgfVxuICBjb25zdCBwZW5kaW5nID0gQXJyYXkuaXNBcnJheShyZWNvcmQucGVuZGluZ19jYWxscykgPyByZWNvcmQucGVuZGluZ19jYWxscyA6IChwZW5kaW5nQ2FsbHMocmVjb3JkLnN0ZXBzKSBhcyBGdW5jdGlvbkNhbGxTdGVwW10pO1xuICByZXR1cm4geyAuLi4ocmVjb3JkIGFzIFR1cm5SZXN1bHQpLCBwZW5kaW5nX2NhbGxzOiBwZW5kaW5nIH07XG59XG4iXSwKICAibWFwcGluZ3MiOiAiO0FBUUEsU0FBUyx1QkFBdUI7QUFDaEMsU0FBUyxxQkFBcUI7QUFDOUIsU0FBUyxpQkFBaUI7OztBQ0wxQixTQUFTLGtCQUFrQjtBQUMzQixTQUFTLE9BQU8sTUFBTSxVQUFVLFFBQVEsVUFBVTtBQUNsRCxTQUFTLFlBQVk7OztBQ01kLElBQU0sbUJBQU4sY0FBK0IsTUFBTTtBQUFBLEVBQ2pDLE9BQU87QUFDbEI7QUFZTyxJQUFNLGdCQUFOLGNBQTRCLGlCQUFpQjtBQUFBLEVBQ3pDLE9BQU87QUFBQTtBQUFBLEVBRVA7QUFBQTtBQUFBLEVBRUE7QUFBQSxFQUNBO0FBQUEsRUFDQTtBQUFBLEVBQ0E7QUFBQTtBQUFBLEVBRUE7QUFBQTtBQUFBLEVBRUE7QUFBQTtBQUFBLEVBRUE7QUFBQTtBQUFBLEVBRUE7QUFBQTtBQUFBLEVBRUE7QUFBQSxFQUVULFlBQVksTUFXVDtBQUNELFVBQU0sV0FBVyxLQUFLLFVBQVUsQ0FBQztBQUNqQyxVQUFNLFFBQVEsU0FBUyxTQUFTLEtBQUssQ0FBQyxLQUFLLE9BQU8sU0FBUyxTQUFTLENBQUMsRUFBRyxJQUFJLElBQUksS0FBSyxTQUFTLElBQUksQ0FBQyxNQUFNLEdBQUcsRUFBRSxRQUFRLE1BQU0sSUFBSSxFQUFFLE9BQU8sRUFBRSxFQUFFLEtBQUssSUFBSSxDQUFDLE1BQU07QUFDN0osVUFBTSxHQUFHLEtBQUssTUFBTSxJQUFJLEtBQUssSUFBSSxLQUFLLEtBQUssTUFBTSxHQUFHLEtBQUssRUFBRTtBQUMzRCxTQUFLLFNBQVMsS0FBSztBQUNuQixTQUFLLE9BQU8sS0FBSztBQUNqQixTQUFLLFFBQVEsS0FBSztBQUNsQixTQUFLLE9BQU8sS0FBSyxRQUFRLDRCQUE0QixLQUFLLElBQUk7QUFDOUQsU0FBSyxTQUFTLEtBQUs7QUFDbkIsU0FBSyxTQUFTO0FBQ2QsU0FBSyxZQUFZLEtBQUs7QUFDdEIsU0FBSyxlQUFlLEtBQUs7QUFDekIsU0FBSyxXQUFXLEtBQUssWUFBWTtBQUNqQyxTQUFLLE9BQU8sS0FBSztBQUFBLEVBQ25CO0FBQ0Y7QUFTTyxJQUFNLHVCQUFOLGNBQW1DLGlCQUFpQjtBQUFBLEVBQ2hELE9BQU87QUFBQTtBQUFBLEVBRVA7QUFBQSxFQUNULFlBQVksU0FBaUIsS0FBYSxTQUErQjtBQUN2RSxVQUFNLFNBQVMsT0FBTztBQUN0QixTQUFLLE1BQU07QUFBQSxFQUNiO0FBQ0Y7QUFTTyxJQUFNLG9CQUFOLGNBQWdDLHFCQUFxQjtBQUFBLEVBQ2pELE9BQU87QUFBQSxFQUNQO0FBQUEsRUFDVCxZQUFZLEtBQWEsV0FBbUI7QUFDMUMsVUFBTSxrQkFBa0IsR0FBRyxXQUFXLFNBQVMsUUFBUSxHQUFHO0FBQzFELFNBQUssWUFBWTtBQUFBLEVBQ25CO0FBQ0Y7QUFTTyxJQUFNLHFCQUFOLGNBQWlDLGlCQUFpQjtBQUFBLEVBQzlDLE9BQU87QUFDbEI7QUFHQSxlQUFzQixrQkFBa0IsS0FBdUM7QUFDN0UsUUFBTSxPQUFPLE1BQU0sSUFBSSxLQUFLLEVBQUUsTUFBTSxNQUFNLEVBQUU7QUFDNUMsTUFBSSxPQUFnQjtBQUNwQixNQUFJO0FBQ0YsV0FBTyxLQUFLLE1BQU0sSUFBSTtBQUFBLEVBQ3hCLFFBQVE7QUFBQSxFQUVSO0FBQ0EsU0FBTyxhQUFhLE1BQU07QUFBQSxJQUN4QixRQUFRLElBQUk7QUFBQSxJQUNaLFlBQVksSUFBSTtBQUFBLElBQ2hCLFdBQVcsWUFBWSxJQUFJLE9BQU87QUFBQSxJQUNsQyxjQUFjLGFBQWEsSUFBSSxPQUFPO0FBQUEsRUFDeEMsQ0FBQztBQUNIO0FBR08sU0FBUyxhQUNkLE1BQ0EsVUFDZTtBQUNmLFFBQU0sVUFBVyxPQUFPLFNBQVMsWUFBWSxTQUFTLFFBQVEsQ0FBQyxNQUFNLFFBQVEsSUFBSSxJQUFJLE9BQU8sQ0FBQztBQUM3RixRQUFNLE1BQU0sQ0FBQyxVQUFvQixPQUFPLFVBQVUsWUFBWSxVQUFVLEtBQUssUUFBUTtBQUNyRixRQUFNLFNBQVMsT0FBTyxVQUFVLFFBQVEsTUFBTSxJQUFLLFFBQVEsU0FBb0IsU0FBUztBQUN4RixRQUFNLE9BQU8sSUFBSSxRQUFRLElBQUksS0FBSyxRQUFRLE1BQU07QUFDaEQsUUFBTSxVQUFVLE9BQU8sU0FBUyxXQUFXLEtBQUssS0FBSyxFQUFFLE1BQU0sR0FBRyxHQUFHLElBQUk7QUFDdkUsU0FBTyxJQUFJLGNBQWM7QUFBQSxJQUN2QjtBQUFBLElBQ0E7QUFBQSxJQUNBLE9BQU8sSUFBSSxRQUFRLEtBQUssS0FBSyxTQUFTLGNBQWM7QUFBQSxJQUNwRCxNQUFNLElBQUksUUFBUSxJQUFJO0FBQUEsSUFDdEIsUUFBUSxJQUFJLFFBQVEsTUFBTSxNQUFNLFdBQVcsc0JBQXNCLE1BQU0sR0FBRyxTQUFTLGFBQWEsSUFBSSxTQUFTLFVBQVUsS0FBSyxFQUFFO0FBQUEsSUFDOUgsUUFBUSxNQUFNLFFBQVEsUUFBUSxNQUFNLElBQUksUUFBUSxPQUFPLE9BQU8sYUFBYSxJQUFJLENBQUM7QUFBQSxJQUNoRixXQUFXLElBQUksUUFBUSxVQUFVLEtBQUssU0FBUztBQUFBLElBQy9DLGNBQWMsU0FBUztBQUFBLElBQ3ZCLFVBQVUsU0FBUztBQUFBLElBQ25CO0FBQUEsRUFDRixDQUFDO0FBQ0g7QUFFQSxTQUFTLGNBQWMsTUFBb0M7QUFDekQsU0FBTyxPQUFPLFNBQVMsWUFBWSxTQUFTLFFBQVEsT0FBUSxLQUFxQixTQUFTLFlBQVksT0FBUSxLQUFxQixZQUFZO0FBQ2pKO0FBR08sU0FBUyxZQUFZLFNBQXNDO0FBQ2hFLFNBQU8sUUFBUSxJQUFJLFlBQVksS0FBSyxRQUFRLElBQUksY0FBYyxLQUFLO0FBQ3JFO0FBR08sU0FBUyxhQUFhLFNBQWtCLE1BQU0sS0FBSyxJQUFJLEdBQXVCO0FBQ25GLFFBQU0sS0FBSyxRQUFRLElBQUksZ0JBQWdCO0FBQ3ZDLE1BQUksT0FBTyxRQUFRLEdBQUcsS0FBSyxNQUFNLE1BQU0sT0FBTyxTQUFTLE9BQU8sRUFBRSxDQUFDLEtBQUssT0FBTyxFQUFFLEtBQUssRUFBRyxRQUFPLE9BQU8sRUFBRTtBQUN2RyxRQUFNLFFBQVEsUUFBUSxJQUFJLGFBQWE7QUFDdkMsTUFBSSxVQUFVLFFBQVEsTUFBTSxLQUFLLE1BQU0sR0FBSSxRQUFPO0FBQ2xELFFBQU0sVUFBVSxPQUFPLEtBQUs7QUFDNUIsTUFBSSxPQUFPLFNBQVMsT0FBTyxFQUFHLFFBQU8sV0FBVyxJQUFJLFVBQVUsTUFBTztBQUNyRSxRQUFNLE9BQU8sS0FBSyxNQUFNLEtBQUs7QUFDN0IsU0FBTyxPQUFPLE1BQU0sSUFBSSxJQUFJLFNBQVksS0FBSyxJQUFJLEdBQUcsT0FBTyxHQUFHO0FBQ2hFOzs7QUN0Sk8sSUFBTSx1QkFBb0M7QUFBQSxFQUMvQyxZQUFZO0FBQUEsRUFDWixnQkFBZ0I7QUFBQSxFQUNoQixZQUFZO0FBQUEsRUFDWixpQkFBaUI7QUFDbkI7QUFHTyxJQUFNLHFCQUEwQyxvQkFBSSxJQUFJLENBQUMsS0FBSyxHQUFHLENBQUM7QUFPbEUsU0FBUyxXQUFXLE9BQXNCLE9BQWUsUUFBcUIsU0FBdUIsS0FBSyxRQUE0QjtBQUMzSSxNQUFJLE1BQU0sWUFBWSxTQUFTLE9BQU8sY0FBYyxDQUFDLG1CQUFtQixJQUFJLE1BQU0sTUFBTSxFQUFHLFFBQU87QUFDbEcsTUFBSSxNQUFNLGlCQUFpQixPQUFXLFFBQU8sTUFBTSxnQkFBZ0IsT0FBTyxrQkFBa0IsTUFBTSxlQUFlO0FBQ2pILFNBQU8sYUFBYSxPQUFPLFFBQVEsTUFBTTtBQUMzQztBQUdPLFNBQVMsYUFBYSxPQUFlLFFBQXFCLFNBQXVCLEtBQUssUUFBZ0I7QUFDM0csUUFBTSxPQUFPLEtBQUssSUFBSSxPQUFPLGlCQUFpQixLQUFLLE9BQU8sT0FBTyxVQUFVO0FBQzNFLFNBQU8sS0FBSyxNQUFNLFFBQVEsSUFBSSxPQUFPLE9BQU8sRUFBRTtBQUNoRDs7O0FDekNPLElBQU0sWUFBTixNQUFnQjtBQUFBLEVBQ2IsU0FBUztBQUFBLEVBQ1QsUUFBUTtBQUFBLEVBQ1IsT0FBaUIsQ0FBQztBQUFBO0FBQUEsRUFHMUIsS0FBSyxNQUE0QjtBQUMvQixTQUFLLFVBQVU7QUFDZixVQUFNLFdBQXlCLENBQUM7QUFDaEMsZUFBUztBQUNQLFlBQU0sUUFBUSxhQUFhLEtBQUssS0FBSyxNQUFNO0FBRTNDLFVBQUksQ0FBQyxTQUFVLE1BQU0sQ0FBQyxNQUFNLFFBQVEsTUFBTSxVQUFVLEtBQUssT0FBTyxTQUFTLEVBQUk7QUFDN0UsWUFBTSxPQUFPLEtBQUssT0FBTyxNQUFNLEdBQUcsTUFBTSxLQUFLO0FBQzdDLFdBQUssU0FBUyxLQUFLLE9BQU8sTUFBTSxNQUFNLFFBQVEsTUFBTSxDQUFDLEVBQUUsTUFBTTtBQUM3RCxZQUFNLFVBQVUsS0FBSyxLQUFLLElBQUk7QUFDOUIsVUFBSSxRQUFTLFVBQVMsS0FBSyxPQUFPO0FBQUEsSUFDcEM7QUFDQSxXQUFPO0FBQUEsRUFDVDtBQUFBO0FBQUEsRUFHQSxNQUFZO0FBQ1YsU0FBSyxTQUFTO0FBQ2QsU0FBSyxRQUFRO0FBQ2IsU0FBSyxPQUFPLENBQUM7QUFBQSxFQUNmO0FBQUEsRUFFUSxLQUFLLE1BQXNDO0FBQ2pELFFBQUksU0FBUyxJQUFJO0FBQ2YsVUFBSSxLQUFLLEtBQUssV0FBVyxHQUFHO0FBQzFCLGFBQUssUUFBUTtBQUNiLGVBQU87QUFBQSxNQUNUO0FBQ0EsWUFBTSxVQUFVLEVBQUUsT0FBTyxLQUFLLFNBQVMsV0FBVyxNQUFNLEtBQUssS0FBSyxLQUFLLElBQUksRUFBRTtBQUM3RSxXQUFLLFFBQVE7QUFDYixXQUFLLE9BQU8sQ0FBQztBQUNiLGFBQU87QUFBQSxJQUNUO0FBQ0EsUUFBSSxLQUFLLFdBQVcsR0FBRyxFQUFHLFFBQU87QUFDakMsVUFBTSxRQUFRLEtBQUssUUFBUSxHQUFHO0FBQzlCLFVBQU0sUUFBUSxRQUFRLElBQUksT0FBTyxLQUFLLE1BQU0sR0FBRyxLQUFLO0FBQ3BELFFBQUksUUFBUSxRQUFRLElBQUksS0FBSyxLQUFLLE1BQU0sUUFBUSxDQUFDO0FBQ2pELFFBQUksTUFBTSxXQUFXLEdBQUcsRUFBRyxTQUFRLE1BQU0sTUFBTSxDQUFDO0FBQ2hELFFBQUksVUFBVSxRQUFTLE1BQUssUUFBUTtBQUFBLGFBQzNCLFVBQVUsT0FBUSxNQUFLLEtBQUssS0FBSyxLQUFLO0FBQy9DLFdBQU87QUFBQSxFQUNUO0FBQ0Y7OztBQ2lDTyxTQUFTLGFBQWEsT0FBNEM7QUFDdkUsUUFBTSxXQUFXLElBQUksSUFBSSxNQUFNLE9BQU8sQ0FBQyxNQUFNLEVBQUUsU0FBUyxpQkFBaUIsRUFBRSxJQUFJLENBQUMsTUFBTSxPQUFPLEVBQUUsT0FBTyxDQUFDLENBQUM7QUFDeEcsU0FBTyxNQUFNLE9BQU8sQ0FBQyxNQUE2QixFQUFFLFNBQVMsbUJBQW1CLENBQUMsU0FBUyxJQUFJLE9BQU8sRUFBRSxFQUFFLENBQUMsQ0FBQztBQUM3RztBQVFPLFNBQVMsZ0JBQWdCLFNBQThDO0FBQzVFLE1BQUksUUFBUTtBQUNaLFVBQVEsUUFBUSxDQUFDLE1BQU0sTUFBTTtBQUMzQixRQUFJLEtBQUssU0FBUyxhQUFjLFNBQVEsSUFBSTtBQUFBLEVBQzlDLENBQUM7QUFDRCxTQUFPLGFBQWEsUUFBUSxNQUFNLEtBQUssQ0FBQztBQUMxQztBQVVPLFNBQVMsZUFBZSxNQUF3QixPQUFnQixVQUFpQyxDQUFDLEdBQXVCO0FBQzlILFFBQU0sT0FBMkIsRUFBRSxNQUFNLG1CQUFtQixTQUFTLEtBQUssSUFBSSxNQUFNLEtBQUssTUFBTSxRQUFRLFlBQVksS0FBSyxFQUFFO0FBQzFILE1BQUksUUFBUSxRQUFTLE1BQUssV0FBVztBQUNyQyxTQUFPO0FBQ1Q7QUFFQSxTQUFTLFlBQVksT0FBOEM7QUFDakUsTUFBSSxVQUFVLE9BQVcsUUFBTyxDQUFDO0FBQ2pDLE1BQUksT0FBTyxVQUFVLFNBQVUsUUFBTztBQUN0QyxNQUFJLE1BQU0sUUFBUSxLQUFLLEdBQUc7QUFDeEIsVUFBTSxTQUFTLE1BQU0sU0FBUyxLQUFLLE1BQU0sTUFBTSxDQUFDLE1BQU0sT0FBTyxNQUFNLFlBQVksTUFBTSxRQUFRLE9BQVEsRUFBbUIsU0FBUyxRQUFRO0FBQ3pJLFdBQU8sU0FBVSxRQUEyQixLQUFLLFVBQVUsS0FBSztBQUFBLEVBQ2xFO0FBQ0EsTUFBSSxPQUFPLFVBQVUsWUFBWSxVQUFVLEtBQU0sUUFBTztBQUN4RCxTQUFPLEtBQUssVUFBVSxLQUFLLEtBQUssT0FBTyxLQUFLO0FBQzlDO0FBR0EsZUFBc0IsU0FBUyxRQUFxQixRQUFpRDtBQUNuRyxRQUFNLEVBQUUsT0FBQUEsUUFBTyxlQUFlLElBQUksU0FBUyxPQUFPLFNBQVMsT0FBTyxTQUFTLFFBQVEsQ0FBQyxHQUFHLEdBQUcsV0FBVyxJQUFJO0FBQ3pHLFFBQU0sZUFBdUIsT0FBTyxRQUFRQSxNQUFLLEVBQUUsSUFBSSxDQUFDLENBQUMsTUFBTSxFQUFFLFlBQVksQ0FBQyxNQUFNO0FBQ2xGLFVBQU0sRUFBRSxNQUFNLE9BQU8sTUFBTSxPQUFPLEdBQUcsS0FBSyxJQUFJO0FBQzlDLFdBQU8sRUFBRSxNQUFNLFlBQVksTUFBTSxHQUFHLEtBQUs7QUFBQSxFQUMzQyxDQUFDO0FBQ0QsUUFBTSxPQUFPLE9BQU8sVUFBeUI7QUFDM0MsVUFBTSxVQUFVLEtBQUs7QUFBQSxFQUN2QjtBQUVBLE1BQUksVUFBa0IsQ0FBQyxHQUFHLEtBQUs7QUFDL0IsTUFBSSxZQUFZO0FBQ2hCLE1BQUk7QUFDSixRQUFNLE9BQU8sQ0FBQyxZQUEwQyxhQUFpRDtBQUFBLElBQ3ZHO0FBQUEsSUFDQTtBQUFBLElBQ0EsYUFBYSxRQUFRO0FBQUEsSUFDckI7QUFBQSxJQUNBO0FBQUEsSUFDQSxlQUFlO0FBQUEsRUFDakI7QUFHQSxpQkFBZSxPQUFPLE9BQXNFO0FBQzFGLFFBQUksWUFBWSxNQUFNLFNBQVMsYUFBYyxRQUFPO0FBQ3BELFVBQU0sVUFBZ0MsQ0FBQztBQUN2QyxlQUFXLFFBQVEsT0FBTztBQUN4QixZQUFNLEtBQUssRUFBRSxNQUFNLGFBQWEsS0FBSyxDQUFDO0FBQ3RDLFlBQU0sT0FBTyxPQUFPLFVBQVUsZUFBZSxLQUFLQSxRQUFPLEtBQUssSUFBSSxJQUFJQSxPQUFNLEtBQUssSUFBSSxJQUFJO0FBQ3pGLFVBQUlDO0FBQ0osVUFBSSxDQUFDLE1BQU07QUFDVCxRQUFBQSxVQUFTLGVBQWUsTUFBTSxpQkFBaUIsS0FBSyxJQUFJLDJCQUEyQixPQUFPLEtBQUtELE1BQUssRUFBRSxLQUFLLElBQUksS0FBSyxVQUFVLEtBQUssRUFBRSxTQUFTLEtBQUssQ0FBQztBQUFBLE1BQ3RKLE9BQU87QUFDTCxZQUFJO0FBQ0YsVUFBQUMsVUFBUyxlQUFlLE1BQU0sTUFBTSxLQUFLLFFBQVEsS0FBSyxhQUFhLENBQUMsR0FBRyxFQUFFLE1BQU0sUUFBUSxXQUFXLE9BQU8sQ0FBQyxDQUFDO0FBQUEsUUFDN0csU0FBUyxLQUFLO0FBQ1osY0FBSSxXQUFXLFFBQVEsUUFBUyxPQUFNLFdBQVcsT0FBTztBQUN4RCxVQUFBQSxVQUFTLGVBQWUsTUFBTSxlQUFlLFFBQVEsSUFBSSxVQUFVLE9BQU8sR0FBRyxHQUFHLEVBQUUsU0FBUyxLQUFLLENBQUM7QUFBQSxRQUNuRztBQUFBLE1BQ0Y7QUFDQSxtQkFBYTtBQUNiLGNBQVEsS0FBS0EsT0FBTTtBQUNuQixZQUFNLEtBQUssRUFBRSxNQUFNLGVBQWUsTUFBTSxRQUFRQSxRQUFPLENBQUM7QUFBQSxJQUMxRDtBQUNBLFdBQU87QUFBQSxFQUNUO0FBRUEsaUJBQWUsS0FBS0MsT0FBZ0Q7QUFDbEUsVUFBTSxPQUFtQixFQUFFLEdBQUcsWUFBWSxPQUFPLGNBQWMsU0FBUyxPQUFPQSxNQUFLO0FBQ3BGLFFBQUksQ0FBQyxRQUFRO0FBQ1gsWUFBTUMsYUFBWSxNQUFNLE9BQU8sS0FBSyxJQUFJO0FBQ3hDLFlBQU0sS0FBSyxFQUFFLE1BQU0sa0JBQWtCLFFBQVFBLFdBQVUsQ0FBQztBQUN4RCxhQUFPQTtBQUFBLElBQ1Q7QUFDQSxRQUFJO0FBQ0oscUJBQWlCLFNBQVMsT0FBTyxXQUFXLElBQUksR0FBRztBQUNqRCxVQUFJLE1BQU0sU0FBUyxpQkFBa0IsYUFBWSxNQUFNO0FBQ3ZELFlBQU0sS0FBSyxLQUFLO0FBQUEsSUFDbEI7QUFFQSxXQUFPO0FBQUEsRUFDVDtBQUdBLE1BQUksT0FBNEI7QUFDaEMsUUFBTSxPQUFPLGdCQUFnQixPQUFPO0FBQ3BDLE1BQUksS0FBSyxTQUFTLEdBQUc7QUFDbkIsVUFBTSxVQUFVLE1BQU0sT0FBTyxJQUFJO0FBQ2pDLFFBQUksQ0FBQyxRQUFTLFFBQU8sS0FBSyxrQkFBa0IsSUFBSTtBQUNoRCxXQUFPLENBQUMsR0FBRyxTQUFTLEdBQUcsV0FBVyxLQUFLLENBQUM7QUFBQSxFQUMxQztBQUVBLGFBQVM7QUFDUCxhQUFTLE1BQU0sS0FBSyxJQUFJO0FBQ3hCLGNBQVUsT0FBTztBQUNqQixRQUFJLE9BQU8sY0FBYyxXQUFXLEVBQUcsUUFBTyxLQUFLLFlBQVksQ0FBQyxDQUFDO0FBQ2pFLFVBQU0sVUFBVSxNQUFNLE9BQU8sT0FBTyxhQUFhO0FBQ2pELFFBQUksQ0FBQyxRQUFTLFFBQU8sS0FBSyxrQkFBa0IsT0FBTyxhQUFhO0FBQ2hFLFdBQU87QUFBQSxFQUNUO0FBQ0Y7QUFHQSxTQUFTLFdBQVcsT0FBb0M7QUFDdEQsTUFBSSxVQUFVLE9BQVcsUUFBTyxDQUFDO0FBQ2pDLE1BQUksT0FBTyxVQUFVLFNBQVUsUUFBTyxDQUFDLEVBQUUsTUFBTSxjQUFjLFNBQVMsQ0FBQyxFQUFFLE1BQU0sUUFBUSxNQUFNLE1BQU0sQ0FBQyxFQUFFLENBQUM7QUFDdkcsUUFBTSxlQUFlLENBQUMsUUFBUSxTQUFTLFNBQVMsWUFBWSxPQUFPO0FBQ25FLFFBQU0sWUFBWSxNQUFNLFNBQVMsS0FBSyxNQUFNLE1BQU0sQ0FBQyxTQUFTLGFBQWEsU0FBUyxLQUFLLElBQUksQ0FBQztBQUM1RixTQUFPLFlBQVksQ0FBQyxFQUFFLE1BQU0sY0FBYyxTQUFTLENBQUMsR0FBRyxLQUFLLEVBQUUsQ0FBQyxJQUFLLENBQUMsR0FBRyxLQUFLO0FBQy9FOzs7QUNwSE8sU0FBUyxrQkFBa0IsU0FBMEM7QUFDMUUsUUFBTSxVQUFVLFFBQVEsUUFBUSxRQUFRLFFBQVEsRUFBRTtBQUNsRCxRQUFNLE1BQU0sR0FBRyxPQUFPO0FBQ3RCLFFBQU0sWUFBWSxRQUFRLGFBQWE7QUFDdkMsUUFBTSxTQUFzQixFQUFFLEdBQUcsc0JBQXNCLEdBQUcsUUFBUSxPQUFPLFlBQVksUUFBUSxjQUFjLHFCQUFxQixXQUFXO0FBQzNJLFFBQU0sVUFBcUIsUUFBUSxVQUFVLENBQUMsT0FBTyxTQUFTLFdBQVcsTUFBTSxPQUFPLElBQUk7QUFHMUYsaUJBQWVDLE1BQUssUUFBb0IsUUFBK0Q7QUFDckcsVUFBTSxFQUFFLFFBQVEsR0FBRyxPQUFPLElBQUk7QUFDOUIsVUFBTSxPQUFPLEtBQUssVUFBVSxTQUFTLEVBQUUsR0FBRyxRQUFRLFFBQVEsS0FBSyxJQUFJLE1BQU07QUFDekUsVUFBTSxVQUFrQztBQUFBLE1BQ3RDLEdBQUcsUUFBUTtBQUFBLE1BQ1gsZ0JBQWdCO0FBQUEsTUFDaEIsUUFBUSxTQUFTLHNCQUFzQjtBQUFBLElBQ3pDO0FBQ0EsUUFBSSxRQUFRLE1BQU8sU0FBUSxnQkFBZ0IsVUFBVSxRQUFRLEtBQUs7QUFFbEUsYUFBUyxRQUFRLEtBQUssU0FBUztBQUM3QixVQUFJLFFBQVEsUUFBUyxPQUFNLE9BQU87QUFDbEMsWUFBTSxVQUFVLElBQUksUUFBUSxRQUFRLFNBQVM7QUFDN0MsVUFBSTtBQUNKLFVBQUk7QUFDRixjQUFNLE1BQU0sUUFBUSxNQUFNLFFBQVEsUUFBUSxRQUFRLEtBQUssRUFBRSxRQUFRLFFBQVEsU0FBUyxNQUFNLFFBQVEsUUFBUSxPQUFPLENBQUMsQ0FBQyxDQUFDO0FBQUEsTUFDcEgsU0FBUyxLQUFLO0FBQ1osZ0JBQVEsTUFBTTtBQUNkLGNBQU0sUUFBUSxRQUFRLEtBQUssR0FBRztBQUFBLE1BQ2hDO0FBQ0EsVUFBSSxJQUFJLEdBQUksUUFBTyxFQUFFLEtBQUssUUFBUTtBQUNsQyxVQUFJO0FBQ0osVUFBSTtBQUNGLGdCQUFRLE1BQU0sUUFBUSxNQUFNLGtCQUFrQixHQUFHLENBQUM7QUFBQSxNQUNwRCxTQUFTLEtBQUs7QUFDWixjQUFNLFFBQVEsUUFBUSxLQUFLLEdBQUc7QUFBQSxNQUNoQyxVQUFFO0FBQ0EsZ0JBQVEsTUFBTTtBQUFBLE1BQ2hCO0FBQ0EsWUFBTSxVQUFVLFdBQVcsT0FBTyxPQUFPLE1BQU07QUFDL0MsVUFBSSxZQUFZLE9BQVcsT0FBTTtBQUNqQyxjQUFRLFVBQVUsRUFBRSxPQUFPLFFBQVEsR0FBRyxTQUFTLE1BQU0sQ0FBQztBQUN0RCxZQUFNLE1BQU0sU0FBUyxNQUFNO0FBQUEsSUFDN0I7QUFBQSxFQUNGO0FBRUEsaUJBQWUsS0FBSyxRQUF5QztBQUMzRCxVQUFNLEVBQUUsS0FBSyxRQUFRLElBQUksTUFBTUEsTUFBSyxRQUFRLEtBQUs7QUFDakQsUUFBSTtBQUNKLFFBQUk7QUFDRixhQUFPLE1BQU0sUUFBUSxNQUFNLElBQUksS0FBSyxDQUFDO0FBQUEsSUFDdkMsU0FBUyxLQUFLO0FBQ1osVUFBSSxNQUFNLE9BQU8sRUFBRSxNQUFNLE1BQU07QUFBQSxNQUFDLENBQUM7QUFDakMsWUFBTSxRQUFRLFFBQVEsS0FBSyxHQUFHO0FBQUEsSUFDaEMsVUFBRTtBQUNBLGNBQVEsTUFBTTtBQUFBLElBQ2hCO0FBQ0EsUUFBSTtBQUNKLFFBQUk7QUFDRixhQUFPLEtBQUssTUFBTSxJQUFJO0FBQUEsSUFDeEIsUUFBUTtBQUNOLFlBQU0sSUFBSSxtQkFBbUIsR0FBRyxHQUFHLGFBQWEsSUFBSSxNQUFNLCtDQUErQyxJQUFJLFFBQVEsSUFBSSxjQUFjLEtBQUssTUFBTSxJQUFJO0FBQUEsSUFDeEo7QUFDQSxXQUFPLFdBQVcsTUFBTSxHQUFHO0FBQUEsRUFDN0I7QUFFQSxrQkFBZ0IsV0FBVyxRQUFnRTtBQUN6RixVQUFNLEVBQUUsS0FBSyxRQUFRLElBQUksTUFBTUEsTUFBSyxRQUFRLElBQUk7QUFDaEQsUUFBSSxZQUFZO0FBQ2hCLFFBQUk7QUFDRixZQUFNLE9BQU8sSUFBSSxRQUFRLElBQUksY0FBYyxLQUFLO0FBQ2hELFVBQUksQ0FBQyxLQUFLLFdBQVcsbUJBQW1CLEdBQUc7QUFDekMsY0FBTSxJQUFJLG1CQUFtQixHQUFHLEdBQUcsa0NBQWtDLFFBQVEsaUJBQWlCLGdDQUFnQztBQUFBLE1BQ2hJO0FBQ0EsdUJBQWlCLFdBQVcsWUFBWSxLQUFLLFNBQVMsR0FBRyxHQUFHO0FBQzFELGNBQU0sUUFBUSxVQUFVLFNBQVMsR0FBRztBQUNwQyxZQUFJLE1BQU0sU0FBUyxpQkFBa0IsYUFBWTtBQUNqRCxnQkFBUSxLQUFLO0FBQ2IsY0FBTTtBQUNOLFlBQUksVUFBVztBQUNmLFlBQUksUUFBUSxPQUFPLFFBQVMsT0FBTSxRQUFRLFFBQVEsUUFBUSxPQUFPLFFBQVEsR0FBRztBQUM1RSxnQkFBUSxNQUFNO0FBQUEsTUFDaEI7QUFDQSxZQUFNLElBQUkscUJBQXFCLG1CQUFtQixHQUFHLHlEQUF5RCxHQUFHO0FBQUEsSUFDbkgsVUFBRTtBQUNBLGNBQVEsTUFBTTtBQUVkLFVBQUksQ0FBQyxVQUFXLFNBQVEsTUFBTTtBQUFBLElBQ2hDO0FBQUEsRUFDRjtBQUVBLFFBQU0sU0FBc0I7QUFBQSxJQUMxQjtBQUFBLElBQ0E7QUFBQSxJQUNBO0FBQUEsSUFDQSxVQUFVLENBQUMsV0FBVyxTQUFTLFFBQVEsTUFBTTtBQUFBLEVBQy9DO0FBQ0EsU0FBTztBQUNUO0FBS0EsSUFBTSxVQUFOLE1BQWM7QUFBQSxFQU1aLFlBQ21CLFFBQ0EsV0FDakI7QUFGaUI7QUFDQTtBQUdqQixZQUFRLGlCQUFpQixTQUFTLEtBQUssZUFBZSxFQUFFLE1BQU0sS0FBSyxDQUFDO0FBQ3BFLFNBQUssTUFBTTtBQUFBLEVBQ2I7QUFBQSxFQVppQixhQUFhLElBQUksZ0JBQWdCO0FBQUEsRUFDMUM7QUFBQSxFQUNBLFdBQVc7QUFBQSxFQUNGLGdCQUFnQixNQUFNLEtBQUssV0FBVyxNQUFNLEtBQUssUUFBUSxNQUFNO0FBQUEsRUFXaEYsSUFBSSxTQUFzQjtBQUN4QixXQUFPLEtBQUssV0FBVztBQUFBLEVBQ3pCO0FBQUE7QUFBQSxFQUdBLFFBQWM7QUFDWixTQUFLLEtBQUs7QUFDVixTQUFLLFFBQVEsV0FBVyxNQUFNO0FBQzVCLFdBQUssV0FBVztBQUNoQixXQUFLLFdBQVcsTUFBTTtBQUFBLElBQ3hCLEdBQUcsS0FBSyxTQUFTO0FBQUEsRUFDbkI7QUFBQTtBQUFBLEVBR0EsT0FBYTtBQUNYLFFBQUksS0FBSyxVQUFVLE9BQVcsY0FBYSxLQUFLLEtBQUs7QUFDckQsU0FBSyxRQUFRO0FBQUEsRUFDZjtBQUFBLEVBRUEsUUFBYztBQUNaLFNBQUssV0FBVyxNQUFNO0FBQUEsRUFDeEI7QUFBQTtBQUFBO0FBQUE7QUFBQTtBQUFBLEVBTUEsTUFBUyxTQUFpQztBQUN4QyxVQUFNLFNBQVMsS0FBSyxXQUFXO0FBQy9CLFFBQUksT0FBTyxTQUFTO0FBQ2xCLGNBQVEsTUFBTSxNQUFNO0FBQUEsTUFBQyxDQUFDO0FBQ3RCLGFBQU8sUUFBUSxPQUFPLE9BQU8sTUFBTTtBQUFBLElBQ3JDO0FBQ0EsV0FBTyxJQUFJLFFBQVcsQ0FBQyxTQUFTLFdBQVc7QUFDekMsWUFBTSxVQUFVLE1BQU0sT0FBTyxPQUFPLE1BQU07QUFDMUMsYUFBTyxpQkFBaUIsU0FBUyxTQUFTLEVBQUUsTUFBTSxLQUFLLENBQUM7QUFDeEQsY0FBUTtBQUFBLFFBQ04sQ0FBQyxVQUFVO0FBQ1QsaUJBQU8sb0JBQW9CLFNBQVMsT0FBTztBQUMzQyxrQkFBUSxLQUFLO0FBQUEsUUFDZjtBQUFBLFFBQ0EsQ0FBQyxRQUFpQjtBQUNoQixpQkFBTyxvQkFBb0IsU0FBUyxPQUFPO0FBQzNDLGlCQUFPLEdBQUc7QUFBQSxRQUNaO0FBQUEsTUFDRjtBQUFBLElBQ0YsQ0FBQztBQUFBLEVBQ0g7QUFBQSxFQUVBLFFBQWM7QUFDWixTQUFLLEtBQUs7QUFDVixTQUFLLFFBQVEsb0JBQW9CLFNBQVMsS0FBSyxhQUFhO0FBQUEsRUFDOUQ7QUFBQTtBQUFBLEVBR0EsUUFBUSxLQUFjLEtBQXNCO0FBQzFDLFFBQUksS0FBSyxRQUFRLFFBQVMsUUFBTyxLQUFLLE9BQU87QUFDN0MsUUFBSSxLQUFLLFNBQVUsUUFBTyxJQUFJLGtCQUFrQixLQUFLLEtBQUssU0FBUztBQUNuRSxRQUFJLGVBQWUsd0JBQXdCLGVBQWUsc0JBQXNCLGVBQWUsY0FBZSxRQUFPO0FBQ3JILFdBQU8sSUFBSSxxQkFBcUIsZ0NBQWdDLEdBQUcsS0FBSyxTQUFTLEdBQUcsQ0FBQyxLQUFLLEtBQUssRUFBRSxPQUFPLElBQUksQ0FBQztBQUFBLEVBQy9HO0FBQ0Y7QUFHQSxTQUFTLFNBQVMsS0FBc0I7QUFDdEMsTUFBSSxFQUFFLGVBQWUsT0FBUSxRQUFPLE9BQU8sR0FBRztBQUM5QyxRQUFNLFFBQVEsSUFBSSxpQkFBaUIsUUFBUSxJQUFJLE1BQU0sVUFBVTtBQUMvRCxTQUFPLFNBQVMsVUFBVSxJQUFJLFVBQVUsR0FBRyxJQUFJLE9BQU8sS0FBSyxLQUFLLE1BQU0sSUFBSTtBQUM1RTtBQUVBLFNBQVMsTUFBTSxJQUFZLFFBQWdEO0FBQ3pFLFNBQU8sSUFBSSxRQUFRLENBQUMsU0FBUyxXQUFXO0FBQ3RDLFFBQUksUUFBUSxRQUFTLFFBQU8sT0FBTyxPQUFPLE1BQU07QUFDaEQsVUFBTSxVQUFVLE1BQU07QUFDcEIsbUJBQWEsS0FBSztBQUNsQixhQUFPLFFBQVEsTUFBTTtBQUFBLElBQ3ZCO0FBQ0EsVUFBTSxRQUFRLFdBQVcsTUFBTTtBQUM3QixjQUFRLG9CQUFvQixTQUFTLE9BQU87QUFDNUMsY0FBUTtBQUFBLElBQ1YsR0FBRyxFQUFFO0FBQ0wsWUFBUSxpQkFBaUIsU0FBUyxTQUFTLEVBQUUsTUFBTSxLQUFLLENBQUM7QUFBQSxFQUMzRCxDQUFDO0FBQ0g7QUFHQSxnQkFBZ0IsWUFBWSxLQUFlLFNBQWtCLEtBQXlDO0FBQ3BHLFFBQU0sU0FBUyxJQUFJLFVBQVU7QUFDN0IsTUFBSSxDQUFDLElBQUksTUFBTTtBQUNiLFFBQUk7QUFDSixRQUFJO0FBQ0YsYUFBTyxNQUFNLFFBQVEsTUFBTSxJQUFJLEtBQUssQ0FBQztBQUFBLElBQ3ZDLFNBQVMsS0FBSztBQUNaLFlBQU0sUUFBUSxRQUFRLEtBQUssR0FBRztBQUFBLElBQ2hDO0FBQ0EsV0FBTyxPQUFPLEtBQUssSUFBSTtBQUN2QjtBQUFBLEVBQ0Y7QUFDQSxRQUFNLFNBQVMsSUFBSSxLQUFLLFVBQVU7QUFDbEMsUUFBTSxVQUFVLElBQUksWUFBWTtBQUNoQyxNQUFJO0FBQ0YsZUFBUztBQUNQLFlBQU0sUUFBUSxNQUFNLFFBQVEsTUFBTSxPQUFPLEtBQUssQ0FBQyxFQUFFLE1BQU0sQ0FBQyxRQUFpQjtBQUN2RSxjQUFNLFFBQVEsUUFBUSxLQUFLLEdBQUc7QUFBQSxNQUNoQyxDQUFDO0FBQ0QsVUFBSSxNQUFNLEtBQU07QUFDaEIsY0FBUSxNQUFNO0FBQ2QsYUFBTyxPQUFPLEtBQUssUUFBUSxPQUFPLE1BQU0sT0FBTyxFQUFFLFFBQVEsS0FBSyxDQUFDLENBQUM7QUFBQSxJQUNsRTtBQUNBLFdBQU8sT0FBTyxLQUFLLFFBQVEsT0FBTyxDQUFDO0FBQ25DLFdBQU8sSUFBSTtBQUFBLEVBQ2IsVUFBRTtBQUNBLFdBQU8sT0FBTyxFQUFFLE1BQU0sTUFBTTtBQUFBLElBQUMsQ0FBQztBQUFBLEVBQ2hDO0FBQ0Y7QUFHQSxTQUFTLFVBQVUsU0FBcUIsS0FBd0I7QUFDOUQsTUFBSTtBQUNKLE1BQUk7QUFDRixXQUFPLEtBQUssTUFBTSxRQUFRLElBQUk7QUFBQSxFQUNoQyxRQUFRO0FBQ04sUUFBSSxRQUFRLE1BQU0sV0FBVyxPQUFPLEVBQUcsT0FBTSxJQUFJLG1CQUFtQixHQUFHLEdBQUcsV0FBVyxRQUFRLEtBQUssZ0NBQWdDO0FBQ2xJLFdBQU8sRUFBRSxNQUFNLFlBQVksT0FBTyxRQUFRLE9BQU8sTUFBTSxRQUFRLEtBQUs7QUFBQSxFQUN0RTtBQUNBLFFBQU0sU0FBVSxPQUFPLFNBQVMsWUFBWSxTQUFTLE9BQU8sT0FBTyxDQUFDO0FBQ3BFLFVBQVEsUUFBUSxPQUFPO0FBQUEsSUFDckIsS0FBSztBQUNILGFBQU8sRUFBRSxNQUFNLGtCQUFrQixRQUFRLFdBQVcsTUFBTSxHQUFHLEVBQUU7QUFBQSxJQUNqRSxLQUFLO0FBQ0gsYUFBTyxFQUFFLE1BQU0sYUFBYSxPQUFPLE9BQU8sT0FBTyxLQUFLLEdBQUcsTUFBTSxPQUFPLEtBQWE7QUFBQSxJQUNyRixLQUFLO0FBQ0gsWUFBTSxhQUFhLE1BQU0sRUFBRSxRQUFRLEtBQUssVUFBVSxLQUFLLENBQUM7QUFBQSxJQUMxRCxLQUFLLGNBQWM7QUFDakIsWUFBTSxRQUFTLE9BQU8sT0FBTyxVQUFVLFlBQVksT0FBTyxVQUFVLE9BQU8sT0FBTyxRQUFRLENBQUM7QUFDM0YsWUFBTSxRQUFRLE9BQU8sT0FBTyxLQUFLO0FBQ2pDLFVBQUksTUFBTSxTQUFTLFVBQVUsT0FBTyxNQUFNLFNBQVMsU0FBVSxRQUFPLEVBQUUsTUFBTSxjQUFjLE9BQU8sTUFBTSxNQUFNLEtBQUs7QUFDbEgsVUFBSSxNQUFNLFNBQVMscUJBQXFCLE9BQU8sTUFBTSxZQUFZLFlBQVksTUFBTSxZQUFZLE1BQU07QUFDbkcsY0FBTSxVQUFVLE1BQU07QUFDdEIsZUFBTyxFQUFFLE1BQU0seUJBQXlCLE9BQU8sU0FBUyxNQUFNLE9BQU8sUUFBUSxTQUFTLFdBQVcsUUFBUSxPQUFPLEdBQUc7QUFBQSxNQUNySDtBQUNBLGFBQU8sRUFBRSxNQUFNLFlBQVksT0FBTyxRQUFRLE9BQU8sS0FBSztBQUFBLElBQ3hEO0FBQUEsSUFDQTtBQUNFLGFBQU8sRUFBRSxNQUFNLFlBQVksT0FBTyxRQUFRLE9BQU8sS0FBSztBQUFBLEVBQzFEO0FBQ0Y7QUFHQSxTQUFTLFdBQVcsTUFBZSxLQUF5QjtBQUMxRCxRQUFNLFNBQVM7QUFDZixNQUFJLE9BQU8sV0FBVyxZQUFZLFdBQVcsUUFBUSxDQUFDLE1BQU0sUUFBUSxPQUFPLE9BQU8sS0FBSyxDQUFDLE1BQU0sUUFBUSxPQUFPLEtBQUssS0FBSyxPQUFPLE9BQU8sV0FBVyxVQUFVO0FBQ3hKLFVBQU0sSUFBSSxtQkFBbUIsR0FBRyxHQUFHLHFGQUFxRjtBQUFBLEVBQzFIO0FBQ0EsUUFBTSxVQUFVLE1BQU0sUUFBUSxPQUFPLGFBQWEsSUFBSSxPQUFPLGdCQUFpQixhQUFhLE9BQU8sS0FBSztBQUN2RyxTQUFPLEVBQUUsR0FBSSxRQUF1QixlQUFlLFFBQVE7QUFDN0Q7OztBTDVWTyxJQUFNLDBCQUFOLE1BQXlEO0FBQUEsRUFDckQ7QUFBQSxFQUVULFlBQVksU0FBZ0M7QUFDMUMsU0FBSyxZQUFZLFFBQVE7QUFBQSxFQUMzQjtBQUFBO0FBQUEsRUFHQSxPQUFPLElBQW9CO0FBQ3pCLFFBQUksQ0FBQyxzQ0FBc0MsS0FBSyxFQUFFLEdBQUc7QUFDbkQsWUFBTSxJQUFJLFVBQVUseUJBQXlCLEtBQUssVUFBVSxFQUFFLENBQUMsc0VBQXNFO0FBQUEsSUFDdkk7QUFDQSxXQUFPLEtBQUssS0FBSyxXQUFXLEdBQUcsRUFBRSxPQUFPO0FBQUEsRUFDMUM7QUFBQSxFQUVBLE1BQU0sS0FBSyxJQUF5QztBQUNsRCxVQUFNLE9BQU8sS0FBSyxPQUFPLEVBQUU7QUFDM0IsUUFBSTtBQUNKLFFBQUk7QUFDRixhQUFPLE1BQU0sU0FBUyxNQUFNLE1BQU07QUFBQSxJQUNwQyxTQUFTLEtBQUs7QUFDWixVQUFLLElBQThCLFNBQVMsU0FBVSxRQUFPO0FBQzdELFlBQU07QUFBQSxJQUNSO0FBQ0EsUUFBSTtBQUNKLFFBQUk7QUFDRixhQUFPLEtBQUssTUFBTSxJQUFJO0FBQUEsSUFDeEIsU0FBUyxLQUFLO0FBQ1osWUFBTSxJQUFJLE1BQU0sR0FBRyxJQUFJLHVCQUF3QixJQUFjLE9BQU8sZ0NBQWdDO0FBQUEsSUFDdEc7QUFDQSxRQUFJLENBQUMsTUFBTSxRQUFRLE1BQU0sT0FBTyxFQUFHLE9BQU0sSUFBSSxNQUFNLEdBQUcsSUFBSSw2RUFBNkU7QUFDdkksV0FBTyxLQUFLO0FBQUEsRUFDZDtBQUFBLEVBRUEsTUFBTSxLQUFLLElBQVksU0FBeUM7QUFDOUQsVUFBTSxPQUFPLEtBQUssT0FBTyxFQUFFO0FBQzNCLFVBQU0sT0FBdUIsRUFBRSxTQUFTLEdBQUcsSUFBSSxhQUFZLG9CQUFJLEtBQUssR0FBRSxZQUFZLEdBQUcsU0FBUyxDQUFDLEdBQUcsT0FBTyxFQUFFO0FBQzNHLFVBQU0sTUFBTSxLQUFLLFdBQVcsRUFBRSxXQUFXLEtBQUssQ0FBQztBQUUvQyxVQUFNLE9BQU8sS0FBSyxLQUFLLFdBQVcsSUFBSSxFQUFFLElBQUksV0FBVyxDQUFDLE1BQU07QUFDOUQsUUFBSTtBQUNGLFlBQU0sU0FBUyxNQUFNLEtBQUssTUFBTSxLQUFLLEdBQUs7QUFDMUMsVUFBSTtBQUNGLGNBQU0sT0FBTyxVQUFVLEtBQUssVUFBVSxNQUFNLE1BQU0sQ0FBQyxJQUFJLE1BQU0sTUFBTTtBQUNuRSxjQUFNLE9BQU8sS0FBSztBQUFBLE1BQ3BCLFVBQUU7QUFDQSxjQUFNLE9BQU8sTUFBTTtBQUFBLE1BQ3JCO0FBQ0EsWUFBTSxPQUFPLE1BQU0sSUFBSTtBQUFBLElBQ3pCLFNBQVMsS0FBSztBQUNaLFlBQU0sR0FBRyxNQUFNLEVBQUUsT0FBTyxLQUFLLENBQUM7QUFDOUIsWUFBTTtBQUFBLElBQ1I7QUFBQSxFQUNGO0FBQUEsRUFFQSxNQUFNLE9BQU8sSUFBMkI7QUFDdEMsVUFBTSxHQUFHLEtBQUssT0FBTyxFQUFFLEdBQUcsRUFBRSxPQUFPLEtBQUssQ0FBQztBQUFBLEVBQzNDO0FBQ0Y7OztBRHZFQSxJQUFNLE9BQU87QUFBQTtBQUFBO0FBQUE7QUFBQTtBQUFBO0FBQUE7QUFBQTtBQUFBO0FBQUE7QUFBQTtBQUFBO0FBQUE7QUFBQTtBQUFBO0FBZ0JiLElBQU0scUJBQ0o7QUFHRixJQUFNLFNBQTZEO0FBQUEsRUFDakUsVUFBVSxFQUFFLFFBQVEsV0FBVyxRQUFRLCtCQUErQjtBQUFBLEVBQ3RFLFVBQVUsRUFBRSxRQUFRLGNBQWMsUUFBUSxlQUFlO0FBQzNEO0FBRUEsSUFBTSxRQUF3QztBQUFBLEVBQzVDLGtCQUFrQjtBQUFBLElBQ2hCLGFBQWE7QUFBQSxNQUNYLGFBQWE7QUFBQSxNQUNiLFlBQVksRUFBRSxNQUFNLFVBQVUsWUFBWSxFQUFFLFVBQVUsRUFBRSxNQUFNLFVBQVUsYUFBYSw0QkFBNEIsRUFBRSxHQUFHLFVBQVUsQ0FBQyxVQUFVLEVBQUU7QUFBQSxJQUMvSTtBQUFBLElBQ0EsU0FBUyxDQUFDLEVBQUUsU0FBUyxNQUE4QjtBQUNqRCxZQUFNLEtBQUssT0FBTyxZQUFZLEVBQUUsRUFBRSxLQUFLLEVBQUUsWUFBWTtBQUNyRCxZQUFNLFFBQVEsT0FBTyxFQUFFO0FBQ3ZCLFVBQUksQ0FBQyxNQUFPLE9BQU0sSUFBSSxNQUFNLFNBQVMsTUFBTSxRQUFRLGdCQUFnQjtBQUNuRSxhQUFPLEVBQUUsVUFBVSxJQUFJLEdBQUcsTUFBTTtBQUFBLElBQ2xDO0FBQUEsRUFDRjtBQUNGO0FBSUEsSUFBTSxFQUFFLFFBQVEsS0FBSyxJQUFJLFVBQVU7QUFBQSxFQUNqQyxTQUFTO0FBQUEsSUFDUCxLQUFLLEVBQUUsTUFBTSxTQUFTO0FBQUEsSUFDdEIsT0FBTyxFQUFFLE1BQU0sU0FBUztBQUFBLElBQ3hCLFNBQVMsRUFBRSxNQUFNLFVBQVUsU0FBUyxVQUFVO0FBQUEsSUFDOUMsT0FBTyxFQUFFLE1BQU0sV0FBVyxTQUFTLE1BQU07QUFBQSxJQUN6QyxPQUFPLEVBQUUsTUFBTSxVQUFVLFNBQVMsbUJBQW1CO0FBQUEsSUFDckQsS0FBSyxFQUFFLE1BQU0sU0FBUztBQUFBLElBQ3RCLGtCQUFrQixFQUFFLE1BQU0sVUFBVSxTQUFTLElBQUk7QUFBQSxJQUNqRCxNQUFNLEVBQUUsTUFBTSxXQUFXLE9BQU8sS0FBSyxTQUFTLE1BQU07QUFBQSxFQUN0RDtBQUFBLEVBQ0EsUUFBUTtBQUNWLENBQUM7QUFFRCxJQUFNLFFBQVEsQ0FBQyxRQUFRLElBQUksWUFBWSxRQUFRLE9BQU8sVUFBVTtBQUNoRSxJQUFNLE1BQU0sQ0FBQyxTQUFrQixRQUFRLFVBQVUsSUFBSSxhQUFhO0FBQ2xFLElBQU0sT0FBTyxDQUFDLFNBQWtCLFFBQVEsVUFBVSxJQUFJLGFBQWE7QUFDbkUsSUFBTSxNQUFNLENBQUMsU0FBaUIsUUFBUSxPQUFPLE1BQU0sSUFBSTtBQUV2RCxlQUFlLE9BQXdCO0FBQ3JDLE1BQUksS0FBSyxNQUFNO0FBQ2IsWUFBUSxJQUFJLElBQUk7QUFDaEIsV0FBTztBQUFBLEVBQ1Q7QUFDQSxRQUFNLE9BQU8sS0FBSyxPQUFPLFFBQVEsSUFBSSxhQUFhLHlCQUF5QixRQUFRLFFBQVEsRUFBRTtBQUM3RixRQUFNLFFBQVEsS0FBSyxTQUFTLFFBQVEsSUFBSTtBQUN4QyxRQUFNLGVBQWUsT0FBTyxLQUFLLGdCQUFnQixDQUFDO0FBQ2xELE1BQUksQ0FBQyxPQUFPLFVBQVUsWUFBWSxLQUFLLGVBQWUsRUFBRyxRQUFPLEtBQUssaURBQWlELEtBQUssZ0JBQWdCLENBQUMsSUFBSTtBQUNoSixRQUFNLFFBQVEsSUFBSSx3QkFBd0IsRUFBRSxXQUFXLEtBQUssT0FBTyxjQUFjLElBQUksSUFBSSxlQUFlLFlBQVksR0FBRyxDQUFDLEVBQUUsQ0FBQztBQUMzSCxRQUFNLFVBQVUsS0FBSztBQUNyQixNQUFJO0FBQ0osTUFBSTtBQUNGLFdBQU8sTUFBTSxPQUFPLE9BQU87QUFBQSxFQUM3QixTQUFTLEtBQUs7QUFDWixXQUFPLEtBQUssY0FBZSxJQUFjLE9BQU8sRUFBRTtBQUFBLEVBQ3BEO0FBRUEsTUFBSSxDQUFFLE1BQU0sVUFBVSxLQUFLLEtBQUssRUFBSSxRQUFPO0FBRTNDLE1BQUksS0FBSyxNQUFPLE9BQU0sTUFBTSxPQUFPLE9BQU87QUFDMUMsTUFBSTtBQUNKLE1BQUk7QUFDRixjQUFXLE1BQU0sTUFBTSxLQUFLLE9BQU8sS0FBTSxDQUFDO0FBQUEsRUFDNUMsU0FBUyxLQUFLO0FBQ1osV0FBTyxLQUFNLElBQWMsT0FBTztBQUFBLEVBQ3BDO0FBQ0EsVUFBUSxJQUFJLEtBQUssZUFBZSxJQUFJLElBQUksU0FBTSxHQUFHLGVBQVksS0FBSyxLQUFLLGtCQUFlLE9BQU8sR0FBRyxDQUFDO0FBQ2pHLE1BQUksUUFBUSxTQUFTLEdBQUc7QUFDdEIsWUFBUSxJQUFJLElBQUksV0FBVyxRQUFRLE1BQU0sZUFBZSxJQUFJLDRCQUE0QixDQUFDO0FBQ3pGLGVBQVcsUUFBUSxPQUFPLE9BQU8sRUFBRSxNQUFNLEVBQUUsRUFBRyxTQUFRLElBQUksSUFBSSxLQUFLLElBQUksRUFBRSxDQUFDO0FBQUEsRUFDNUUsT0FBTztBQUNMLFlBQVEsSUFBSSxJQUFJLG1CQUFtQixJQUFJLDZFQUEwRSxDQUFDO0FBQUEsRUFDcEg7QUFFQSxRQUFNLFNBQVMsa0JBQWtCO0FBQUEsSUFDL0IsU0FBUztBQUFBLElBQ1Q7QUFBQSxJQUNBLFNBQVMsQ0FBQyxFQUFFLFNBQVMsTUFBTSxNQUFNLFFBQVEsSUFBSSxJQUFJLGlCQUFpQixNQUFNLE1BQU0sSUFBSSxNQUFNLElBQUksbUJBQW1CLFVBQVUsS0FBTSxRQUFRLENBQUMsQ0FBQyxJQUFJLENBQUM7QUFBQSxFQUNoSixDQUFDO0FBRUQsUUFBTSxjQUFjLFFBQVEsTUFBTSxVQUFVO0FBQzVDLFFBQU0sS0FBSyxnQkFBZ0IsRUFBRSxPQUFPLFFBQVEsT0FBTyxRQUFRLFFBQVEsUUFBUSxVQUFVLFlBQVksQ0FBQztBQUNsRyxLQUFHLFVBQVUsS0FBSyxhQUFRLENBQUM7QUFDM0IsUUFBTSxRQUFRLEdBQUcsT0FBTyxhQUFhLEVBQUU7QUFDdkMsTUFBSTtBQUNKLEtBQUcsR0FBRyxVQUFVLE1BQU07QUFDcEIsUUFBSSxLQUFNLE1BQUssTUFBTSxJQUFJLE1BQU0sU0FBUyxDQUFDO0FBQUEsUUFDcEMsSUFBRyxNQUFNO0FBQUEsRUFDaEIsQ0FBQztBQUVELGFBQVM7QUFDUCxRQUFJLFlBQWEsSUFBRyxPQUFPO0FBQzNCLFVBQU0sT0FBTyxNQUFNLE1BQU0sS0FBSztBQUM5QixRQUFJLEtBQUssTUFBTTtBQUNiLFVBQUksWUFBYSxLQUFJLElBQUk7QUFDekI7QUFBQSxJQUNGO0FBQ0EsVUFBTSxPQUFPLEtBQUssTUFBTSxLQUFLO0FBQzdCLFFBQUksQ0FBQyxZQUFhLEtBQUksR0FBRyxLQUFLLGFBQVEsQ0FBQyxHQUFHLElBQUk7QUFBQSxDQUFJO0FBQ2xELFFBQUksU0FBUyxHQUFJO0FBQ2pCLFFBQUksU0FBUyxXQUFXLFNBQVMsUUFBUztBQUMxQyxRQUFJLFNBQVMsU0FBUztBQUNwQixjQUFRLElBQUksSUFBSSxJQUFJLENBQUM7QUFDckI7QUFBQSxJQUNGO0FBQ0EsUUFBSSxTQUFTLFVBQVU7QUFDckIsWUFBTSxNQUFNLE9BQU8sT0FBTztBQUMxQixnQkFBVSxDQUFDO0FBQ1gsY0FBUSxJQUFJLElBQUksb0NBQW9DLENBQUM7QUFDckQ7QUFBQSxJQUNGO0FBRUEsV0FBTyxJQUFJLGdCQUFnQjtBQUMzQixVQUFNLE9BQU8sSUFBSSxXQUFXO0FBQzVCLFFBQUk7QUFDRixZQUFNLE1BQU0sTUFBTSxPQUFPLFNBQVM7QUFBQSxRQUNoQyxPQUFPLEtBQUs7QUFBQSxRQUNaLG9CQUFvQjtBQUFBLFFBQ3BCLG1CQUFtQixFQUFFLG9CQUFvQixPQUFPO0FBQUEsUUFDaEQ7QUFBQSxRQUNBLE9BQU87QUFBQSxRQUNQO0FBQUEsUUFDQTtBQUFBLFFBQ0EsUUFBUTtBQUFBLFFBQ1IsUUFBUSxLQUFLO0FBQUEsUUFDYixTQUFTLENBQUMsVUFBVSxLQUFLLEtBQUssS0FBSztBQUFBLE1BQ3JDLENBQUM7QUFDRCxXQUFLLElBQUk7QUFDVCxVQUFJLENBQUMsSUFBSSxZQUFhLFNBQVEsSUFBSSxJQUFJLCtDQUEwQyxJQUFJLFFBQVEsVUFBVSxNQUFNLEdBQUcsQ0FBQztBQUNoSCxVQUFJLElBQUksZUFBZSxrQkFBa0I7QUFDdkMsZ0JBQVEsSUFBSSxJQUFJLG9CQUFvQixJQUFJLFNBQVMsb0JBQW9CLElBQUksY0FBYyxNQUFNLDRDQUE0QyxDQUFDO0FBQUEsTUFDNUk7QUFDQSxnQkFBVSxJQUFJO0FBQ2QsWUFBTSxNQUFNLEtBQUssU0FBUyxPQUFPO0FBQUEsSUFDbkMsU0FBUyxLQUFLO0FBQ1osV0FBSyxJQUFJO0FBQ1QsYUFBTyxLQUFLLEdBQUc7QUFBQSxJQUNqQixVQUFFO0FBQ0EsYUFBTztBQUFBLElBQ1Q7QUFBQSxFQUNGO0FBQ0EsS0FBRyxNQUFNO0FBQ1QsVUFBUSxJQUFJLElBQUksUUFBUSxRQUFRLE1BQU0sa0JBQWtCLElBQUksaUNBQWlDLE9BQU8sYUFBYSxDQUFDO0FBQ2xILFNBQU87QUFDVDtBQUdBLElBQU0sYUFBTixNQUFpQjtBQUFBLEVBQ1AsT0FBc0M7QUFBQSxFQUU5QyxLQUFLLE9BQTRCO0FBQy9CLFlBQVEsTUFBTSxNQUFNO0FBQUEsTUFDbEIsS0FBSztBQUNILFlBQUksS0FBSyxTQUFTLFVBQVcsTUFBSyxNQUFNLFdBQVcsSUFBSSxjQUFjLENBQUM7QUFDdEUsWUFBSSxJQUFJLE1BQU0sS0FBSyxRQUFRLGNBQWMsR0FBRyxDQUFDLENBQUM7QUFDOUM7QUFBQSxNQUNGLEtBQUs7QUFDSCxZQUFJLEtBQUssU0FBUyxTQUFVLE1BQUssTUFBTSxVQUFVLEtBQUssZUFBVSxDQUFDO0FBQ2pFLFlBQUksTUFBTSxJQUFJO0FBQ2Q7QUFBQSxNQUNGLEtBQUs7QUFDSCxhQUFLLElBQUk7QUFDVCxnQkFBUSxJQUFJLElBQUksWUFBTyxNQUFNLEtBQUssSUFBSSxJQUFJLEtBQUssVUFBVSxNQUFNLEtBQUssU0FBUyxDQUFDLEdBQUcsQ0FBQztBQUNsRjtBQUFBLE1BQ0YsS0FBSyxlQUFlO0FBQ2xCLGNBQU0sRUFBRSxPQUFPLElBQUk7QUFDbkIsY0FBTSxRQUFRLE9BQU8sT0FBTyxXQUFXLFdBQVcsT0FBTyxTQUFTLEtBQUssVUFBVSxPQUFPLE1BQU07QUFDOUYsZ0JBQVEsSUFBSSxJQUFJLFlBQU8sT0FBTyxXQUFXLFlBQVksRUFBRSxHQUFHLEtBQUssRUFBRSxDQUFDO0FBQ2xFO0FBQUEsTUFDRjtBQUFBLE1BQ0EsS0FBSztBQUVILFlBQUksTUFBTSxLQUFLLFNBQVMsYUFBYSxNQUFNLEtBQUssU0FBUyxlQUFnQixNQUFLLElBQUk7QUFDbEY7QUFBQSxNQUNGO0FBQ0U7QUFBQSxJQUNKO0FBQUEsRUFDRjtBQUFBLEVBRUEsTUFBWTtBQUNWLFFBQUksS0FBSyxTQUFTLE9BQVEsS0FBSSxJQUFJO0FBQ2xDLFNBQUssT0FBTztBQUFBLEVBQ2Q7QUFBQSxFQUVRLE1BQU0sTUFBNEIsUUFBc0I7QUFDOUQsU0FBSyxJQUFJO0FBQ1QsU0FBSyxPQUFPO0FBQ1osUUFBSSxNQUFNO0FBQUEsRUFDWjtBQUNGO0FBR0EsU0FBUyxPQUFPLFNBQW9DO0FBQ2xELFFBQU0sU0FBUyxDQUFDLGFBQ2IsTUFBTSxRQUFRLE9BQU8sSUFBSSxVQUFVLENBQUMsR0FDbEMsSUFBSSxDQUFDLFVBQStDLE9BQU8sU0FBUyxVQUFVLE9BQU8sTUFBTSxTQUFTLFdBQVcsTUFBTSxPQUFPLEVBQUcsRUFDL0gsS0FBSyxFQUFFO0FBQ1osU0FBTyxRQUFRLFFBQVEsQ0FBQyxTQUFtQjtBQUN6QyxZQUFRLEtBQUssTUFBTTtBQUFBLE1BQ2pCLEtBQUs7QUFDSCxlQUFPLENBQUMsY0FBUyxPQUFPLEtBQUssT0FBTyxDQUFDLEVBQUU7QUFBQSxNQUN6QyxLQUFLO0FBQ0gsZUFBTyxDQUFDLGdCQUFXLE9BQU8sS0FBSyxPQUFPLENBQUMsRUFBRTtBQUFBLE1BQzNDLEtBQUs7QUFDSCxlQUFPLENBQUMsVUFBSyxPQUFPLEtBQUssSUFBSSxDQUFDLElBQUksS0FBSyxVQUFVLEtBQUssU0FBUyxDQUFDLEdBQUc7QUFBQSxNQUNyRSxLQUFLO0FBQ0gsZUFBTyxDQUFDLFVBQUssS0FBSyxXQUFXLFlBQVksRUFBRSxHQUFHLE9BQU8sS0FBSyxXQUFXLFdBQVcsS0FBSyxTQUFTLEtBQUssVUFBVSxLQUFLLE1BQU0sQ0FBQyxFQUFFO0FBQUEsTUFDN0g7QUFDRSxlQUFPLENBQUM7QUFBQSxJQUNaO0FBQUEsRUFDRixDQUFDO0FBQ0g7QUFHQSxlQUFlLFVBQVUsS0FBYSxPQUE2QztBQUNqRixNQUFJO0FBQ0YsVUFBTSxNQUFNLEdBQUcsR0FBRyxZQUFZLEVBQUUsU0FBUyxRQUFRLEVBQUUsZUFBZSxVQUFVLEtBQUssR0FBRyxJQUFJLENBQUMsR0FBRyxRQUFRLFlBQVksUUFBUSxHQUFNLEVBQUUsQ0FBQztBQUNqSSxXQUFPO0FBQUEsRUFDVCxTQUFTLEtBQUs7QUFDWixVQUFNLFFBQVMsSUFBd0Q7QUFDdkUsVUFBTSxNQUFNLE9BQU8sUUFBUSxPQUFPLFdBQVksSUFBYztBQUM1RCxTQUFLLDZCQUE2QixHQUFHLEtBQUssR0FBRztBQUFBLEVBQU8sS0FBSyxHQUFHLENBQUMsRUFBRTtBQUMvRCxXQUFPO0FBQUEsRUFDVDtBQUNGO0FBRUEsU0FBUyxLQUFLLEtBQXFCO0FBQ2pDLFNBQU8sdURBQXVELEtBQUssR0FBRyxJQUNsRSxtRkFDQTtBQUNOO0FBRUEsU0FBUyxPQUFPLEtBQWMsS0FBbUI7QUFDL0MsUUFBTSxPQUFPLElBQUksOENBQThDO0FBQy9ELE1BQUksZUFBZSxtQkFBbUI7QUFDcEMsWUFBUSxNQUFNLFVBQVUsSUFBSSxPQUFPLEdBQUcsSUFBSSxFQUFFO0FBQUEsRUFDOUMsV0FBVyxlQUFlLHNCQUFzQjtBQUM5QyxZQUFRLE1BQU0sVUFBVSxJQUFJLE9BQU87QUFBQSxFQUFLLEtBQUssR0FBRyxDQUFDLEdBQUcsSUFBSSxFQUFFO0FBQUEsRUFDNUQsV0FBVyxlQUFlLGVBQWU7QUFDdkMsWUFBUSxNQUFNLDZCQUE2QixJQUFJLE1BQU0sSUFBSSxJQUFJLElBQUksS0FBSyxJQUFJLE1BQU0sR0FBRyxJQUFJLEVBQUU7QUFDekYsZUFBVyxRQUFRLElBQUksT0FBUSxTQUFRLE1BQU0sSUFBSSxLQUFLLEtBQUssUUFBUSxRQUFRLEtBQUssS0FBSyxPQUFPLEVBQUUsQ0FBQztBQUMvRixRQUFJLElBQUksV0FBVyxPQUFPLElBQUksV0FBVyxJQUFLLFNBQVEsTUFBTSxJQUFJLG9DQUFvQyxDQUFDO0FBQ3JHLFFBQUksSUFBSSxVQUFXLFNBQVEsTUFBTSxJQUFJLGdCQUFnQixJQUFJLFNBQVMsRUFBRSxDQUFDO0FBQUEsRUFDdkUsV0FBVyxlQUFlLGtCQUFrQjtBQUMxQyxZQUFRLE1BQU0sVUFBVSxJQUFJLE9BQU8sR0FBRyxJQUFJLEVBQUU7QUFBQSxFQUM5QyxXQUFXLGVBQWUsU0FBUyxJQUFJLFlBQVksV0FBVztBQUM1RCxZQUFRLE1BQU0sSUFBSSxXQUFXLENBQUM7QUFBQSxFQUNoQyxPQUFPO0FBQ0wsWUFBUSxNQUFNLFVBQVUsZUFBZSxRQUFRLElBQUksVUFBVSxPQUFPLEdBQUcsQ0FBQyxHQUFHLElBQUksRUFBRTtBQUFBLEVBQ25GO0FBQ0Y7QUFFQSxTQUFTLEtBQUssU0FBeUI7QUFDckMsVUFBUSxNQUFNLGtCQUFrQixPQUFPLEVBQUU7QUFDekMsU0FBTztBQUNUO0FBRUEsUUFBUSxXQUFXLE1BQU0sS0FBSzsiLAogICJuYW1lcyI6IFsidG9vbHMiLCAiYW5zd2VyIiwgIm5leHQiLCAiY29tcGxldGVkIiwgIm9wZW4iXQp9Cg==

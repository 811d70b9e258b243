/**
 * The seed's support agent as a terminal chat: the model runs on the relay, `get_order_status`
 * runs here, and the transcript lives in a local JSON file that the next run resumes.
 *
 *   npm run demo                               (against `npm start` on http://127.0.0.1:8787)
 *   npm run demo -- --session alice --reset    (start alice's transcript over)
 *   npm run demo -- --url https://relay.example.com --token $RELAY_TOKEN
 */
import { isAbsolute, relative } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  createRelayClient,
  JsonFileTranscriptStore,
  RelayApiError,
  RelayClientError,
  RelayConnectionError,
  RelayTimeoutError,
  type RunToolsEvent,
  type Step,
  type ToolDefinition,
} from "@gemini-relay/client/node";

const HELP = `Support agent: a terminal chat through gemini-relay, with get_order_status run locally.

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

const SYSTEM_INSTRUCTION =
  "You are a friendly support agent for an online shop. Use get_order_status to look up orders; never guess an order's status. Keep answers short.";

/** The demo's one tool: a pretend order database, run by this process when the model asks. */
const ORDERS: Record<string, { status: string; detail: string }> = {
  "A-4417": { status: "shipped", detail: "left the warehouse yesterday" },
  "A-9001": { status: "processing", detail: "being packed" },
};

const tools: Record<string, ToolDefinition> = {
  get_order_status: {
    declaration: {
      description: "Look up the shipping status of an order by its id.",
      parameters: {
        type: "object",
        properties: { order_id: { type: "string", description: "The order id, e.g. A-1234" } },
        required: ["order_id"],
      },
    },
    handler: ({ order_id }: { order_id?: unknown }) => {
      const id = String(order_id ?? "")
        .trim()
        .toUpperCase();
      const order = ORDERS[id];
      if (!order) throw new Error(`Order ${id || "(none)"} was not found`);
      return { order_id: id, ...order };
    },
  },
};

// ---------------------------------------------------------------------------------------------

const { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    token: { type: "string" },
    session: { type: "string", default: "default" },
    reset: { type: "boolean", default: false },
    model: { type: "string", default: "gemini-3.5-flash" },
    dir: { type: "string" },
    "max-tool-calls": { type: "string", default: "5" },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});

const color = !process.env.NO_COLOR && process.stdout.isTTY === true;
const dim = (text: string) => (color ? `\x1b[2m${text}\x1b[22m` : text);
const bold = (text: string) => (color ? `\x1b[1m${text}\x1b[22m` : text);
const out = (text: string) => process.stdout.write(text);

async function main(): Promise<number> {
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  const url = (args.url ?? process.env.RELAY_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
  const token = args.token ?? process.env.RELAY_TOKEN;
  const maxToolCalls = Number(args["max-tool-calls"]);
  if (!Number.isInteger(maxToolCalls) || maxToolCalls < 0)
    return fail(`--max-tool-calls must be a whole number, got "${args["max-tool-calls"]}".`);
  const store = new JsonFileTranscriptStore({ directory: args.dir ?? fileURLToPath(new URL("./.sessions", import.meta.url)) });
  const session = args.session!;
  let file: string;
  try {
    file = shortPath(store.pathOf(session));
  } catch (err) {
    return fail(`--session: ${(err as Error).message}`);
  }

  if (!(await relayIsUp(url, token))) return 1;

  if (args.reset) await store.delete(session);
  let history: Step[];
  try {
    history = (await store.load(session)) ?? [];
  } catch (err) {
    return fail((err as Error).message);
  }
  console.log(bold(`Support agent`) + dim(` · ${url} · model ${args.model} · session "${session}"`));
  if (history.length > 0) {
    console.log(dim(`Resumed ${history.length} steps from ${file}. The conversation so far:`));
    for (const line of replay(history).slice(-8)) console.log(dim(`  ${line}`));
  } else {
    console.log(dim(`New transcript (${file}). Ask about an order, e.g. "Where is my order A-4417?" · /exit to leave`));
  }

  const client = createRelayClient({
    baseUrl: url,
    token,
    onRetry: ({ delayMs, error }) =>
      console.log(dim(`  relay busy (${error.status} ${error.code}); retrying in ${(delayMs / 1000).toFixed(1)} s`)),
  });

  const interactive = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  rl.setPrompt(bold("you › "));
  const lines = rl[Symbol.asyncIterator]();
  let turn: AbortController | undefined;
  rl.on("SIGINT", () => {
    if (turn) turn.abort(new Error("stopped"));
    else rl.close();
  });

  for (;;) {
    if (interactive) rl.prompt();
    const next = await lines.next();
    if (next.done) {
      if (interactive) out("\n");
      break;
    }
    const text = next.value.trim();
    if (!interactive) out(`${bold("you › ")}${text}\n`);
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
        model: args.model!,
        system_instruction: SYSTEM_INSTRUCTION,
        generation_config: { thinking_summaries: "auto" },
        history,
        input: text,
        tools,
        maxToolCalls,
        stream: true,
        signal: turn.signal,
        onEvent: (event) => view.show(event),
      });
      view.end();
      if (!run.output_text) console.log(dim(`agent › (no text in the answer; status ${run.result?.status ?? "none"})`));
      if (run.stopReason === "max_tool_calls") {
        console.log(
          dim(`  (stopped after ${run.toolCalls} tool calls; the ${run.pending_calls.length} left are answered with your next message)`),
        );
      }
      history = run.history;
      await store.save(session, history);
    } catch (err) {
      view.end();
      report(err, url);
    } finally {
      turn = undefined;
    }
  }
  rl.close();
  console.log(dim(`Bye. ${history.length} steps kept in ${file}; \`npm run demo -- --session ${session}\` resumes.`));
  return 0;
}

/** Renders a streamed tool loop: thought summaries and tool calls dim, the answer as it arrives. */
class AnswerView {
  private mode: "none" | "thought" | "answer" = "none";

  show(event: RunToolsEvent): void {
    switch (event.type) {
      case "thought_summary.delta":
        if (this.mode !== "thought") this.start("thought", dim("  thinking: "));
        out(dim(event.text.replace(/\s*\n+\s*/g, " ")));
        break;
      case "text.delta":
        if (this.mode !== "answer") this.start("answer", bold("agent › "));
        out(event.text);
        break;
      case "tool.call":
        this.end();
        console.log(dim(`  → ${event.call.name}(${JSON.stringify(event.call.arguments)})`));
        break;
      case "tool.result": {
        const { result } = event;
        const shown = typeof result.result === "string" ? result.result : JSON.stringify(result.result);
        console.log(dim(`  ← ${result.is_error ? "error: " : ""}${shown}`));
        break;
      }
      case "turn.step":
        // A finished thought or answer closes its line.
        if (event.step.type === "thought" || event.step.type === "model_output") this.end();
        break;
      default:
        break;
    }
  }

  end(): void {
    if (this.mode !== "none") out("\n");
    this.mode = "none";
  }

  private start(mode: "thought" | "answer", prefix: string): void {
    this.end();
    this.mode = mode;
    out(prefix);
  }
}

/** A transcript as short lines, for showing where a resumed conversation stands. */
function replay(history: readonly Step[]): string[] {
  const textOf = (content: unknown) =>
    (Array.isArray(content) ? content : [])
      .map((block: { type?: unknown; text?: unknown }) => (block?.type === "text" && typeof block.text === "string" ? block.text : ""))
      .join("");
  return history.flatMap((step): string[] => {
    switch (step.type) {
      case "user_input":
        return [`you › ${textOf(step.content)}`];
      case "model_output":
        return [`agent › ${textOf(step.content)}`];
      case "function_call":
        return [`→ ${String(step.name)}(${JSON.stringify(step.arguments)})`];
      case "function_result":
        return [`← ${step.is_error ? "error: " : ""}${typeof step.result === "string" ? step.result : JSON.stringify(step.result)}`];
      default:
        return [];
    }
  });
}

/** Checks that something answers at `url` before the chat starts; says how to fix it if not. */
async function relayIsUp(url: string, token: string | undefined): Promise<boolean> {
  try {
    await fetch(`${url}/healthz`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
    return true;
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    fail(`Cannot reach the relay at ${url} (${why}).\n${hint(url)}`);
    return false;
  }
}

function hint(url: string): string {
  return /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(url)
    ? "Is `npm start` running? Start it in another terminal, then run the demo again."
    : "Check --url, and that the relay is deployed and reachable from here.";
}

function report(err: unknown, url: string): void {
  const note = dim(" (nothing was saved; send the message again)");
  if (err instanceof RelayTimeoutError) {
    console.error(`error: ${err.message}${note}`);
  } else if (err instanceof RelayConnectionError) {
    console.error(`error: ${err.message}\n${hint(url)}${note}`);
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

/** The transcript file as the user would type it: relative to where they ran the demo, when it is below it. */
function shortPath(path: string): string {
  const below = relative(process.cwd(), path);
  return below !== "" && !below.startsWith("..") && !isAbsolute(below) ? below : path;
}

function fail(message: string): number {
  console.error(`support-agent: ${message}`);
  return 1;
}

process.exitCode = await main();

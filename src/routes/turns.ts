/**
 * POST /v1/turns: read and validate, check the transcript, call the upstream with store=false,
 * append what it answered, respond: as one JSON body, or (stream: true) as server-sent events
 * ending in turn.completed.
 */
import { Hono, type Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { AppEnv } from "../app";
import { readJson } from "../body";
import { jsonResponse } from "../respond";
import { RelayError, toRelayError } from "../errors";
import { checkIntegrity } from "../integrity";
import { keepAlive } from "../keep-alive";
import { streamTurnEvents } from "../stream";
import { runTurn, turnResponse } from "../turn";
import type { InteractionRequest } from "../upstream/upstream";
import { checkModel, parseTurn } from "../validate";

export const turns = new Hono<AppEnv>();

turns.post("/", async (c) => {
  const config = c.var.config();
  const metrics = c.var.metrics;
  const turn = parseTurn(await readJson(c.req.raw, config, metrics), config);
  metrics.model = turn.model;
  metrics.historySteps = turn.history.length;
  c.set("retention", turn.retention);
  checkModel(turn.model, config.allowedModels);
  const input = [...turn.history, ...turn.newSteps];
  checkIntegrity(input, turn.passthrough.tools as unknown[] | undefined, turn.locate);

  const request: InteractionRequest = { model: turn.model, input, passthrough: turn.passthrough };
  if (turn.stream) return streamTurn(c, request);
  const outcome = await runTurn(c.var.upstream(), request);
  return jsonResponse(turnResponse(input, outcome));
});

turns.all("/", () => {
  throw new RelayError(405, "method_not_allowed", { detail: "Use POST /v1/turns with a JSON body.", headers: { allow: "POST" } });
});

/**
 * The streamed turn. The first hop is opened before answering, so an upstream refusal keeps its
 * HTTP status; after that, failures arrive as a final `turn.error` event. A caller that goes away
 * aborts the upstream call.
 */
async function streamTurn(c: Context<AppEnv>, request: InteractionRequest): Promise<Response> {
  const session = c.var.upstream();
  const { streamKeepAliveMs } = c.var.config();
  const firstHop = await session.stream(request, { retry: true });

  return streamSSE(c, async (sse) => {
    sse.onAbort(() => session.abort());
    const alive = keepAlive(sse, streamKeepAliveMs);
    try {
      for await (const message of streamTurnEvents(session, request, firstHop)) {
        alive.wrote();
        await sse.writeSSE(message);
      }
    } catch (err) {
      if (!sse.aborted) await sse.writeSSE({ event: "turn.error", data: JSON.stringify(toRelayError(err).toProblem()) });
    } finally {
      alive.stop();
    }
  });
}

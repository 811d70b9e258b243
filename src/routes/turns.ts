/**
 * POST /v1/turns: the checks (checks.ts), then call the upstream with store=false,
 * append what it answered, respond: as one JSON body, or (stream: true) as server-sent events
 * ending in turn.completed.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../env";
import { arrayPieces, piecesBody, type Piece } from "../json/bytes";
import { bytesResponse } from "../respond";
import { RelayError, toRelayError } from "../errors";
import { replyWarnings } from "../turn/integrity";
import { streamResponse } from "../http/sse-response";
import { finishTurn, minimalBase, type TurnInput } from "../turn/response";
import { PREFERENCE_APPLIED_HEADER, prefersMinimal } from "../http/prefer";
import { refuseUnreturnableReply } from "../turn/reply-closure";
import { replyRetentionWarnings } from "../turn/retention";
import { runTurn, streamTurnEvents } from "../turn/run";
import type { InteractionRequest } from "../upstream/upstream";
import type { Turn } from "../turn/validate";
import { checkTurn } from "./checks";

export const turns = new Hono<AppEnv>();

turns.post("/", async (c) => {
  const config = c.get("config")();
  const { turn, steps, transcript, warnings } = await checkTurn(c);

  const request: InteractionRequest = { members: upstreamMembers(turn) };
  const input: TurnInput = {
    historyInner: turn.historyInner,
    historyLength: turn.history.length,
    newSteps: turn.newSteps,
    warnings,
    // Closure: a caller-authored step in the reply that next turn would refuse fails this turn (502);
    // the model-authored ones that next turn only warns of are warned of now.
    replyWarnings: (modelSteps) => {
      refuseUnreturnableReply(steps, modelSteps, config);
      return [
        ...replyRetentionWarnings(modelSteps, steps.length, config),
        ...replyWarnings(
          modelSteps.map((step) => step.view),
          turn.tools,
          (i) => `/history/${steps.length + i}`,
        ),
      ];
    },
  };
  const attest = transcript.attest;
  if (attest) input.attest = (modelSteps) => attest([...steps, ...modelSteps]);
  // Prefer: return=minimal (RFC 7240): the body leaves out the history the caller already holds.
  const minimal = prefersMinimal(c.req.raw.headers);
  if (minimal) input.base = await minimalBase(turn.historyInner, turn.history.length);
  const response = turn.stream
    ? await streamTurn(c, request, input)
    : bytesResponse(piecesBody(await finishTurn(input, await runTurn(c.get("upstream")(), request))));
  if (minimal) response.headers.set(PREFERENCE_APPLIED_HEADER, "return=minimal");
  return response;
});

/** `"model":…,"input":[history ++ new steps],…forwarded fields`: the caller's bytes, in the upstream's shape. */
function upstreamMembers(turn: Turn): Piece[] {
  const inner = turn.historyInner ? { bytes: turn.historyInner, empty: turn.history.length === 0 } : undefined;
  const members: Piece[] = [
    '"input":',
    ...arrayPieces(
      turn.newSteps.map((step) => step.bytes),
      inner,
    ),
  ];
  for (const field of turn.forwarded) members.push(",", field);
  return members;
}

turns.all("/", () => {
  throw new RelayError(405, "method_not_allowed", { detail: "Use POST /v1/turns with a JSON body.", headers: { allow: "POST" } });
});

/**
 * The streamed turn: upstream events as they arrive, turn.step per finished step, and turn.completed
 * (or turn.error). See streamResponse for when a refusal keeps its HTTP status.
 */
function streamTurn(c: Context<AppEnv>, request: InteractionRequest, input: TurnInput): Promise<Response> {
  const session = c.get("upstream")();
  const config = c.get("config")();
  return streamResponse(c, {
    session,
    open: session.stream(request, { retry: true }),
    waitMs: config.streamOpenWaitMs,
    keepAliveMs: config.streamKeepAliveMs,
    messages: (firstHop) => streamTurnEvents(session, request, input, firstHop, config.maxJsonDepth),
    failure: (err) => ({ event: "turn.error", data: JSON.stringify(toRelayError(err).toProblem()) }),
  });
}

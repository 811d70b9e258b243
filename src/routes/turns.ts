/**
 * POST /v1/turns: validate, call the upstream with store=false, append what it answered, respond.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { RelayError } from "../errors";
import { modelSteps, outputText } from "../history";
import type { TurnResponse } from "../schemas";
import { parseTurn, readJsonBody } from "../validate";

export const turns = new Hono<AppEnv>();

turns.post("/", async (c) => {
  const turn = parseTurn(await readJsonBody(c));
  if (turn.stream) {
    throw new RelayError(400, "streaming_unsupported", {
      detail: "stream: true is not available yet; send stream: false or leave it out.",
      errors: [{ path: "/stream", message: "must be false or absent" }],
    });
  }

  const input = [...turn.history, ...turn.newSteps];
  const reply = await c.var.upstream().createInteraction(
    { model: turn.model, input, passthrough: turn.passthrough },
    c.req.raw.signal,
  );

  const steps = modelSteps(reply.steps);
  const body: TurnResponse = {
    history: [...input, ...steps],
    steps,
    status: reply.status,
    usage: reply.usage,
    output_text: outputText(steps),
  };
  return c.json(body);
});

turns.all("/", () => {
  throw new RelayError(405, "method_not_allowed", {
    detail: "Use POST /v1/turns with a JSON body.",
    headers: { allow: "POST" },
  });
});

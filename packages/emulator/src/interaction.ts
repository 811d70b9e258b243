/** The non-streamed Interaction body: the exact top-level fields and order the API sends. */
import { objectJson } from "./json.js";
import type { InteractionSummary } from "./stream-events.js";

export function interactionJson(summary: InteractionSummary, steps: readonly unknown[]): string {
  return objectJson([
    ["id", summary.id],
    ["object", "interaction"],
    ["status", summary.status],
    ["model", summary.model],
    ["created", summary.created],
    ["updated", summary.updated],
    ["service_tier", "standard"],
    ["steps", steps],
    ["usage", summary.usage],
    ["continuation_token", summary.continuationToken],
  ]);
}

export function jsonResponse(body: string, status = 200): Response {
  return new Response(body, { status, headers: { "content-type": "application/json; charset=UTF-8" } });
}

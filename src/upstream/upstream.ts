/**
 * The relay's view of the Gemini Interactions API, in its own types. Routes see only this; the SDK
 * stays inside the adapter (gemini.ts). One call here is one upstream hop: the relay itself runs
 * continuation hops (see turn.ts), so unary and streamed turns continue the same way.
 */
import type { JsonObject, StepValue } from "../schemas";

/** One model interaction; `store: false` is not a field because the adapter always sends it. */
export interface InteractionRequest {
  model: string;
  input: StepValue[];
  /** system_instruction, tools, generation_config, response_format, safety_settings as the caller sent them. */
  passthrough: JsonObject;
  /** Resumes a decode that stopped at status requires_continuation (store=false resends the input). */
  continuationToken?: string;
}

export interface InteractionResult {
  id?: string;
  status: string;
  /** The steps of this hop, exactly as received. */
  steps: StepValue[];
  usage?: unknown;
  continuationToken?: string;
}

/** One SSE event as the upstream sent it: the parsed `data` JSON (or its raw text if it was not JSON). */
export type UpstreamEvent = JsonObject | string;

export interface Upstream {
  createInteraction(request: InteractionRequest, signal: AbortSignal): Promise<InteractionResult>;
  /** Resolves once the upstream has answered 200 (errors before that throw, with their status). */
  streamInteraction(request: InteractionRequest, signal: AbortSignal): Promise<AsyncIterable<UpstreamEvent>>;
}

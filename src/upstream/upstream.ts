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

/** A caller's own Interactions API request body, for the drop-in routes (store is forced to false). */
export interface ForwardRequest {
  body: JsonObject;
  /** The version segment the caller's SDK used (v1, v1beta, ...); the upstream call uses the same. */
  apiVersion: string;
}

export interface Upstream {
  createInteraction(request: InteractionRequest, signal: AbortSignal): Promise<InteractionResult>;
  /** Resolves once the upstream has answered 200 (errors before that throw, with their status). */
  streamInteraction(request: InteractionRequest, signal: AbortSignal): Promise<AsyncIterable<UpstreamEvent>>;
  /** The drop-in call: the upstream's interaction object exactly as received. */
  forwardInteraction(request: ForwardRequest, signal: AbortSignal): Promise<JsonObject>;
  /** The drop-in stream: every upstream event as received, `error` events included (nothing is thrown for them). */
  forwardInteractionStream(request: ForwardRequest, signal: AbortSignal): Promise<AsyncIterable<UpstreamEvent>>;
}

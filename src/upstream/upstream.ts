/**
 * The relay's view of the Gemini Interactions API, in its own types. Routes see only this; the SDK
 * stays inside the adapter (gemini.ts).
 */
import type { JsonObject, StepValue } from "../schemas";

/** One model interaction; `store: false` is not a field because the adapter always sends it. */
export interface InteractionRequest {
  model: string;
  input: StepValue[];
  /** system_instruction, tools, generation_config, response_format, safety_settings as the caller sent them. */
  passthrough: JsonObject;
}

export interface InteractionResult {
  id?: string;
  status: string;
  /** The model-generated steps, exactly as received (continuation hops concatenated). */
  steps: StepValue[];
  usage?: unknown;
}

export interface Upstream {
  createInteraction(request: InteractionRequest, signal: AbortSignal): Promise<InteractionResult>;
}

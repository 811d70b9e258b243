/**
 * The relay's view of the Gemini Interactions API, in its own types. The rest of the relay sees only
 * this (through session.ts); what talks to Gemini stays inside gemini.ts. One call here is one
 * upstream hop: the relay itself runs continuation hops (turn/run.ts), so unary and streamed turns
 * continue the same way.
 *
 * Bodies travel as bytes both ways: what the caller sent reaches Gemini as sent, and what Gemini
 * answered reaches the caller as answered.
 */
import type { JsonBody } from "../json/bytes";
import type { StepRef } from "../steps";
import type { Piece } from "../json/bytes";
import type { JsonObject } from "../schemas";

/** One model interaction; `store: false` is not a field because the adapter always writes it. */
export interface InteractionRequest {
  /** The body's members as JSON text (`"model":…,"input":[…],…`), without store, stream or continuation_token. */
  members: readonly Piece[];
  /** Resumes a decode that stopped at status requires_continuation (store=false resends the input). */
  continuationToken?: string;
}

/** A JSON value as received, and parsed for the relay to read. */
export interface RawValue<T = unknown> {
  bytes: Uint8Array;
  value: T;
}

/** One hop's reply, read from the upstream's bytes. */
export interface InteractionResult {
  status: string;
  /** The steps of this hop, each byte for byte as received. */
  steps: StepRef[];
  usage?: RawValue;
  continuationToken?: string;
  /** The interaction's `errors`, when it reported any (e.g. with status failed). */
  errors?: unknown[];
}

/** One SSE event as the upstream sent it: its `data` text exactly as received, and that text parsed. */
export interface UpstreamEvent {
  /** The event's name: `event_type` from its data, else the SSE `event:` field, else "message". */
  type: string;
  data: string;
  /** The parsed data, or undefined when it is not a JSON object. */
  value?: JsonObject;
}

/** A caller's own Interactions API request body, for the drop-in routes. */
export interface ForwardRequest {
  /** The body as the caller sent it, `store: false` already in it. */
  body: JsonBody;
  /** The version segment the upstream call uses: the operator's GEMINI_API_VERSION, else the one the caller's SDK used. */
  apiVersion: string;
}

export interface Upstream {
  createInteraction(request: InteractionRequest, signal: AbortSignal): Promise<InteractionResult>;
  /** Resolves once the upstream has answered 200 (errors before that throw, with their status). */
  streamInteraction(request: InteractionRequest, signal: AbortSignal): Promise<AsyncIterable<UpstreamEvent>>;
  /** The drop-in call: the upstream's interaction, byte for byte. */
  forwardInteraction(request: ForwardRequest, signal: AbortSignal): Promise<Uint8Array>;
  /** The drop-in stream: every upstream event as received, `error` events included (nothing is thrown for them). */
  forwardInteractionStream(request: ForwardRequest, signal: AbortSignal): Promise<AsyncIterable<UpstreamEvent>>;
  /**
   * Bytes the relay joined from several upstream pieces (a streamed step from its deltas), with the
   * key taken out as from every other upstream byte: a key split across two events is whole only there.
   */
  redact(bytes: Uint8Array): Uint8Array;
}

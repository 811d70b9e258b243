/**
 * gemini-relay's client: typed turns, streamed turns, the local function-calling loop, typed
 * errors and transcript stores, on nothing but `fetch`. Runs in browsers, React Native, Workers and
 * Node 20+. Node-only extras (the JSON-file store) are in `@gemini-relay/client/node`.
 *
 * @example
 * import { createRelayClient } from "@gemini-relay/client";
 * const client = createRelayClient({ baseUrl: "http://127.0.0.1:8787" });
 * const { history, output_text } = await client.turn({ model: "gemini-3.5-flash", input: "Hello!" });
 */
export { attestationOf, dropLeadingTurns, withAttestation } from "./attestation.js";
export { createRelayClient } from "./client.js";
export { RelayApiError, RelayClientError, RelayConnectionError, RelayProtocolError, RelayTimeoutError } from "./errors.js";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.js";
export { type Compressor } from "./compress.js";
export { KeyValueTranscriptStore, MemoryTranscriptStore, type KeyValueStorage, type TranscriptStore } from "./store.js";
export { Transcript, type Sha256 } from "./transcript.js";
export { xhrFetch, type XhrLike } from "./xhr.js";
export { functionResult, pendingCalls, unansweredCalls } from "./tools.js";
export type {
  FetchLike,
  RelayClient,
  RelayClientOptions,
  RetryInfo,
  RunToolsEvent,
  RunToolsParams,
  RunToolsResult,
  ToolContext,
  ToolDefinition,
  TurnEvent,
  TurnParams,
  TurnResult,
} from "./types.js";
export type {
  ContentBlock,
  FunctionCallStep,
  FunctionResultStep,
  JsonObject,
  ProblemCode,
  ProblemItem,
  Step,
  Tool,
  TurnResponse,
  TurnWarning,
} from "./wire.js";

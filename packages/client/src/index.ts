/**
 * gemini-relay's client: typed turns, streamed turns, the local function-calling loop, typed
 * errors and transcript stores, on nothing but `fetch`. Runs in browsers, React Native, Workers and
 * Node 20+. Node-only extras (the JSON-file store) are in ./node.ts.
 *
 * @example
 * import { createRelayClient } from "./client";
 * const client = createRelayClient({ baseUrl: "http://127.0.0.1:8787" });
 * const { history, output_text } = await client.turn({ model: "gemini-3.5-flash", input: "Hello!" });
 */
export { createRelayClient, type RelayClient, type RelayClientOptions, type RetryInfo } from "./client";
export { RelayApiError, RelayClientError, RelayConnectionError, RelayProtocolError, RelayTimeoutError } from "./errors";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry";
export { MemoryTranscriptStore, type TranscriptStore } from "./store";
export {
  functionResult,
  pendingCalls,
  unansweredCalls,
  type RunToolsEvent,
  type RunToolsParams,
  type RunToolsResult,
  type ToolContext,
  type ToolDefinition,
} from "./tools";
export type {
  ContentBlock,
  FetchLike,
  FunctionCallStep,
  FunctionResultStep,
  JsonObject,
  ProblemCode,
  ProblemItem,
  Step,
  Tool,
  TurnEvent,
  TurnParams,
  TurnResult,
} from "./types";

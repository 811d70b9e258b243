/**
 * @gemini-relay/emulator: a local, offline stand-in for Google's Gemini Interactions API.
 *
 * @example
 * import { createEmulator } from "@gemini-relay/emulator";
 * const emulator = createEmulator();
 * const ai = new GoogleGenAI({ apiKey: "k", httpOptions: { baseUrl: "http://emulator.test", fetch: (input, init) => emulator.fetch(new Request(input, init)) } });
 */
export { createEmulatorApp } from "./app.js";
export { createEmulator, verifyThoughtSignatures } from "./emulator.js";
export { DEFAULT_SIGNING_SECRET } from "./hmac.js";
export { optionsFromEnv, type EmulatorEnv } from "./options.js";
export { DEFAULT_REQUEST_LOG_LIMITS } from "./request-log.js";
export type {
  Emulator,
  EmulatorOptions,
  RecordedRequest,
  RequestLogLimits,
  ScriptedError,
  ScriptedReply,
  ScriptedSteps,
  StreamFault,
  StreamGate,
  StreamOptions,
} from "./types.js";
export type { SignatureProblem, SignatureReport } from "./signatures.js";

/** Emulator options from environment-style settings: the Worker's vars and the CLI's environment use the same names. */
import type { EmulatorOptions } from "./types.js";

export interface EmulatorEnv {
  /** HMAC key for thought signatures and continuation tokens. */
  EMULATOR_SIGNING_SECRET?: string | undefined;
  /** Milliseconds added before every answer. */
  EMULATOR_LATENCY_MS?: string | undefined;
  /** When set, only this API key is accepted (otherwise any non-empty key). */
  EMULATOR_API_KEY?: string | undefined;
}

/**
 * Reads EMULATOR_SIGNING_SECRET, EMULATOR_LATENCY_MS and EMULATOR_API_KEY; empty or unreadable values mean "not set".
 *
 * @example
 * const emulator = createEmulator(optionsFromEnv(process.env));
 */
export function optionsFromEnv(env: EmulatorEnv): EmulatorOptions {
  const latency = Number(env.EMULATOR_LATENCY_MS ?? "0");
  return {
    ...(env.EMULATOR_SIGNING_SECRET ? { signingSecret: env.EMULATOR_SIGNING_SECRET } : {}),
    ...(env.EMULATOR_API_KEY ? { apiKey: env.EMULATOR_API_KEY } : {}),
    latencyMs: Number.isFinite(latency) && latency > 0 ? latency : 0,
  };
}

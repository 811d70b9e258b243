/** Worker entry of the emulator (`npx wrangler dev -c src/emulator/wrangler.toml`): one emulator per isolate, options from env. */
import { createEmulator, type Emulator, type EmulatorOptions } from "./emulator";

export interface EmulatorEnv {
  EMULATOR_SIGNING_SECRET?: string;
  EMULATOR_LATENCY_MS?: string;
  EMULATOR_API_KEY?: string;
}

export function optionsFromEnv(env: EmulatorEnv): EmulatorOptions {
  const latency = Number(env.EMULATOR_LATENCY_MS ?? "0");
  return {
    ...(env.EMULATOR_SIGNING_SECRET ? { signingSecret: env.EMULATOR_SIGNING_SECRET } : {}),
    ...(env.EMULATOR_API_KEY ? { apiKey: env.EMULATOR_API_KEY } : {}),
    latencyMs: Number.isFinite(latency) && latency > 0 ? latency : 0,
  };
}

// Kept for the isolate's lifetime: the script queue and request log must outlive a single request.
let emulator: Emulator | undefined;

export default {
  async fetch(request: Request, env: EmulatorEnv): Promise<Response> {
    emulator ??= createEmulator(optionsFromEnv(env));
    try {
      return await emulator.fetch(request);
    } catch {
      // The caller went away during a delay; nobody reads this answer.
      return new Response(null, { status: 499 });
    }
  },
};

/**
 * The work TRANSCRIPT_KEYS adds to a turn, timed inside workerd (attestation-cost.ts): the relay's
 * own transcript check on the relay's own request, many times per request, so the request's cost
 * is shared out and the CPU read from outside is the work's.
 *
 * - `POST /?op=load`: the turn's request body (with its attestation), read as the relay reads it;
 * - `POST /?op=reply`: this turn's reply steps (a JSON array), as the upstream answered them;
 * - `GET /?op=attested&n=N`: N times what the relay does with the attestation: check the history
 *   against it (verify), then attest the history with the reply;
 * - `GET /?op=unattested&n=N`: N times what it does without one (verify mode: a warning, no
 *   attestation), the work the relay does anyway.
 */
import { readConfig } from "../src/config";
import { checkTranscript } from "../src/turn/attestation";
import type { StepRef } from "../src/steps";
import { parseTurn, type Turn } from "../src/turn/validate";
import type { StepValue } from "../src/schemas";

let loaded: { turn: Turn; steps: StepRef[]; config: ReturnType<typeof readConfig> } | undefined;
let reply: StepRef[] = [];

export default {
  async fetch(request: Request, env: Record<string, string>): Promise<Response> {
    const url = new URL(request.url);
    const op = url.searchParams.get("op");
    if (op === "load") {
      const config = readConfig(env);
      const turn = parseTurn(new Uint8Array(await request.arrayBuffer()), config);
      loaded = { turn, steps: [...turn.history, ...turn.newSteps], config };
      return new Response("ok");
    }
    if (op === "reply") {
      const encoder = new TextEncoder();
      reply = ((await request.json()) as StepValue[]).map((step) => ({ bytes: encoder.encode(JSON.stringify(step)), view: step }));
      return new Response("ok");
    }
    if (!loaded) return new Response("load a turn first", { status: 409 });
    const { turn, steps, config } = loaded;
    const n = Number(url.searchParams.get("n") ?? 1);
    for (let i = 0; i < n; i++) {
      if (op === "attested") {
        const check = await checkTranscript(steps, turn.attestation, config.transcript, turn.locate);
        if (!check.attest) return new Response("not verified", { status: 500 });
        await check.attest([...steps, ...reply]);
      } else if (op === "unattested") {
        const check = await checkTranscript(steps, undefined, config.transcript, turn.locate);
        if (!check.warning) return new Response("not answered unverified", { status: 500 });
      } else {
        return new Response(`unknown op ${op}`, { status: 400 });
      }
    }
    return new Response("ok");
  },
};

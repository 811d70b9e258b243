/**
 * Micro-costs inside workerd, to explain the relay's figures with the runtime's own numbers: the same
 * request body as a relay turn, one operation per request (`?op=`). loopback.ts reads this process's
 * CPU per request and subtracts the `drain` baseline (receiving the body and answering "ok").
 */
import { readConfig } from "../src/config";
import { JsonScanner } from "../src/json/scan";
import { parseTurn } from "../src/turn/validate";
import { bodyMembers } from "../src/request-json";
import { RELAY_BINDINGS } from "./payloads";

const ok = () => new Response("ok");

/** The relay's limits with the bench's bindings (production defaults). */
const config = readConfig(RELAY_BINDINGS);

/** The relay's body reading pattern (src/http/body.ts): a reader loop, chunks concatenated, one decode. */
async function readChunks(request: Request): Promise<string> {
  const reader = request.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** The relay's response pattern (src/http/observe.ts): every chunk of the body passed through a JS stream. */
function passThrough(response: Response): Response {
  const reader = response.body!.getReader();
  // Counted as the relay counts (the work measured here); the count itself is not needed.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  let bytes = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        bytes += value.byteLength;
        controller.enqueue(value);
      },
    }),
    response,
  );
}

export default {
  async fetch(request: Request): Promise<Response> {
    switch (new URL(request.url).searchParams.get("op")) {
      case "drain":
        await request.arrayBuffer();
        return ok();
      case "text":
        await request.text();
        return ok();
      case "chunks":
        await readChunks(request);
        return ok();
      case "parse":
        JSON.parse(await request.text());
        return ok();
      case "scan":
        // The relay's structural scan alone (src/json/scan.ts): top-level members, history split into steps.
        bodyMembers(
          new JsonScanner(new Uint8Array(await request.arrayBuffer()), config.maxJsonDepth),
          (key) => key === "history" || key === "input",
        );
        return ok();
      case "validate":
        // The relay's whole request check (src/turn/validate.ts): the scan, JSON.parse of each step, the guards.
        parseTurn(new Uint8Array(await request.arrayBuffer()), config);
        return ok();
      case "stringify":
        JSON.stringify(JSON.parse(await request.text()));
        return ok();
      case "respond":
        return new Response(await request.text());
      case "respond-piped":
        return passThrough(new Response(await request.text()));
      default:
        return new Response("unknown op", { status: 400 });
    }
  },
};

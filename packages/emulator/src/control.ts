/**
 * Test-control routes, served on the same fetch so they also work when the emulator runs as its own process.
 * They are for tests and demos only: unauthenticated, they let anyone script answers and read every logged
 * request (headers and bodies included), so never expose an emulator beyond localhost or a test harness.
 *
 *   POST /__emulator/script    {"model": "...", "replies": [ScriptedReply, ...]}  → {"model", "queued"}
 *   GET  /__emulator/requests  → RecordedRequest[]
 *   POST /__emulator/reset     → {"reset": true}
 */
import { invalidRequest } from "./errors.js";
import { jsonResponse } from "./interaction.js";
import { isRecord, own } from "./json.js";
import { requireMethod } from "./routes.js";
import { replyProblem } from "./script.js";
import type { Emulator, ScriptedReply } from "./types.js";

const METHODS = { script: "POST", requests: "GET", reset: "POST" } as const;

export async function controlResponse(action: keyof typeof METHODS, request: Request, emulator: Emulator): Promise<Response> {
  requireMethod(request.method, [METHODS[action]]);
  switch (action) {
    case "requests":
      return jsonResponse(JSON.stringify(emulator.requests));
    case "reset":
      emulator.reset();
      return jsonResponse(JSON.stringify({ reset: true }));
    case "script": {
      let body: unknown;
      try {
        body = JSON.parse(await request.text());
      } catch {
        throw invalidRequest("The script body is not valid JSON.");
      }
      const model = isRecord(body) ? own(body, "model") : undefined;
      const replies = isRecord(body) ? own(body, "replies") : undefined;
      if (typeof model !== "string" || model === "" || !Array.isArray(replies)) {
        throw invalidRequest('A script needs {"model": string, "replies": ScriptedReply[]}.');
      }
      replies.forEach((reply, index) => {
        const problem = replyProblem(reply);
        if (problem) throw invalidRequest(`replies[${index}]: ${problem}.`);
      });
      emulator.script(model, ...(replies as ScriptedReply[]));
      return jsonResponse(JSON.stringify({ model, queued: replies.length }));
    }
  }
}

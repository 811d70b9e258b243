/**
 * The messages zod writes itself (a wrong JSON type, a number out of range) are part of the API: the
 * relay's 400s and configuration errors quote them. The run-time schemas use zod/mini, which loads no
 * locale (every such message would read "Invalid input"); these pin classic zod's English texts, as
 * the relay answered them before the move. This file imports nothing that loads classic zod.
 */
import { describe, expect, it } from "vitest";
import { readConfig } from "../src/config";
import { parseTurn } from "../src/turn/validate";
import { relayErrorOf } from "./relay-error";

const policy = { allowGrounding: false, allowStoredResources: false, maxSteps: 100, maxJsonDepth: 64, extraPassthroughFields: [] };
const turnProblem = (body: unknown) => relayErrorOf(() => parseTurn(new TextEncoder().encode(JSON.stringify(body)), policy)).toProblem();
const configProblem = (vars: Record<string, string>) =>
  relayErrorOf(() => readConfig({ RELAY_TOKENS: "t".repeat(32), ...vars })).toProblem();

describe("zod's own messages, in English", () => {
  it("name the expected and received JSON types and the bound, in the request's fields", () => {
    const problem = turnProblem({ model: 5, input: "hi", stream: "yes", attestation: "x".repeat(2_000_001) });
    expect(problem.errors).toEqual([
      { path: "/model", message: "Invalid input: expected string, received number" },
      { path: "/stream", message: "Invalid input: expected boolean, received string" },
      { path: "/attestation", message: "Too big: expected string to have <=2000000 characters" },
    ]);
    expect(turnProblem({ model: "m", labels: { a: 1 }, response_modalities: "TEXT", generation_config: [], input: "x" }).errors).toEqual([
      { path: "/generation_config", message: "Invalid input: expected record, received array" },
      { path: "/response_modalities", message: "Invalid input: expected array, received string" },
      { path: "/labels/a", message: "Invalid input: expected string, received number" },
    ]);
  });

  it("in content blocks and steps of `input`", () => {
    expect(
      turnProblem({
        model: "m",
        input: [
          { type: "text", text: 1 },
          { type: "image", uri: 2 },
        ],
      }).errors,
    ).toEqual([
      { path: "/input/0/text", message: "Invalid input: expected string, received number" },
      { path: "/input/1/uri", message: "Invalid input: expected string, received number" },
    ]);
    expect(turnProblem({ model: "m", input: [{ type: "function_result", call_id: 3, result: true }] }).errors).toEqual([
      { path: "/input/0/call_id", message: "Invalid input: expected string, received number" },
      { path: "/input/0/result", message: "Invalid input" },
    ]);
  });

  it("in configuration errors: bounds, integers and numbers", () => {
    const problem = configProblem({ UPSTREAM_TIMEOUT_MS: "0", MAX_STEPS: "1.5", MAX_JSON_DEPTH: "deep", BODY_TIMEOUT_MS: "9999999" });
    expect(problem.errors).toEqual([
      { path: "UPSTREAM_TIMEOUT_MS", message: "Too small: expected number to be >=1" },
      { path: "BODY_TIMEOUT_MS", message: "Too big: expected number to be <=600000" },
      { path: "MAX_STEPS", message: "Invalid input: expected int, received number" },
      { path: "MAX_JSON_DEPTH", message: "Invalid input: expected number, received NaN" },
    ]);
  });
});

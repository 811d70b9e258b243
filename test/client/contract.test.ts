/**
 * The client package's wire types (packages/client/src/wire.ts) are written without importing relay code; these
 * assertions tie them to the relay's schemas and the types the relay builds. They are checked by `tsc --noEmit`
 * (the first half of `npm test`): a field added, removed or retyped on one side only fails the type check.
 */
import type { FunctionCallStep, ProblemCode, ProblemItem, Step, TurnEvent, TurnParams, TurnResponse } from "@gemini-relay/client";
import { describe, expectTypeOf, it } from "vitest";
import type * as z from "zod";
import type { MinimalTurnResponse } from "../../packages/client/src/wire";
import type { ProblemCode as RelayProblemCode, ProblemItem as RelayProblemItem } from "../../src/errors";
import type {
  MinimalTurnResponseSchema,
  ProblemCode as ProblemCodeSchema,
  ProblemItem as ProblemItemSchema,
  TurnResponseSchema,
  TurnStepEvent,
} from "../../src/openapi/bodies";
import type { TurnRequest } from "../../src/request-schema";
import type {
  FunctionCallStep as FunctionCallStepSchema,
  MinimalTurnResponse as RelayMinimalTurnResponse,
  Step as StepSchema,
  StepValue,
  TurnResponse as RelayTurnResponse,
} from "../../src/schemas";

type Schema<T extends z.core.$ZodType> = z.infer<T>;

describe("the client's wire types match the relay's", () => {
  it("turn response: the same fields as the body the relay builds, and every body its schema allows fits", () => {
    expectTypeOf<TurnResponse>().toEqualTypeOf<RelayTurnResponse>();
    expectTypeOf<Schema<typeof TurnResponseSchema>>().toExtend<TurnResponse>();
    expectTypeOf<keyof Schema<typeof TurnResponseSchema>>().toEqualTypeOf<keyof TurnResponse>();
  });

  it("minimal turn response (Prefer: return=minimal): the same fields as the body the relay builds, and every body its schema allows fits", () => {
    expectTypeOf<MinimalTurnResponse>().toEqualTypeOf<RelayMinimalTurnResponse>();
    expectTypeOf<Schema<typeof MinimalTurnResponseSchema>>().toExtend<MinimalTurnResponse>();
    expectTypeOf<keyof Schema<typeof MinimalTurnResponseSchema>>().toEqualTypeOf<keyof MinimalTurnResponse>();
  });

  it("steps: the client's loose step is the relay's, and every step the schema accepts fits it", () => {
    expectTypeOf<Step>().toEqualTypeOf<StepValue>();
    expectTypeOf<Schema<typeof StepSchema>>().toExtend<Step>();
    expectTypeOf<Schema<typeof FunctionCallStepSchema>>().toExtend<FunctionCallStep>();
  });

  it("turn request: TurnParams names every field the relay forwards (stream, store and background are the client's to set)", () => {
    expectTypeOf<Exclude<keyof TurnParams, "signal">>().toEqualTypeOf<Exclude<keyof TurnRequest, "stream" | "store" | "background">>();
    expectTypeOf<Required<TurnParams>["model"]>().toEqualTypeOf<TurnRequest["model"]>();
  });

  it("turn.step events carry what the relay's event schema describes", () => {
    type ClientStepEvent = Omit<Extract<TurnEvent, { type: "turn.step" }>, "type">;
    expectTypeOf<Schema<typeof TurnStepEvent>>().toExtend<ClientStepEvent>();
    expectTypeOf<keyof Schema<typeof TurnStepEvent>>().toEqualTypeOf<keyof ClientStepEvent>();
  });

  it("problems: the same codes and findings", () => {
    expectTypeOf<ProblemCode>().toEqualTypeOf<RelayProblemCode>();
    expectTypeOf<ProblemCode>().toEqualTypeOf<Schema<typeof ProblemCodeSchema>>();
    expectTypeOf<ProblemItem>().toEqualTypeOf<RelayProblemItem>();
    expectTypeOf<ProblemItem>().toEqualTypeOf<Schema<typeof ProblemItemSchema>>();
  });
});

// INPUT_STEP_TYPES is a plain list (the retention guard reads it on every request without building
// the schemas): it must name exactly InputStep's step types, in its order.
import { describe, expect, it } from "vitest";
import { INPUT_STEP_TYPES, stepSchemas } from "../src/schemas";

describe("INPUT_STEP_TYPES", () => {
  it("names InputStep's step types, in order", () => {
    const types = stepSchemas().InputStep.def.options.map((option) => option.def.shape.type.def.values[0]);
    expect(INPUT_STEP_TYPES).toEqual(types);
  });
});

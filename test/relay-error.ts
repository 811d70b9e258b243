/** What a call threw, which must be a RelayError (the tests then look at its problem details). */
import { expect } from "vitest";
import { RelayError } from "../src/errors";

export function relayErrorOf(run: () => unknown): RelayError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(RelayError);
    return err as RelayError;
  }
  throw new Error("expected a RelayError, but nothing was thrown");
}

export async function relayErrorOfAsync(run: () => Promise<unknown>): Promise<RelayError> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(RelayError);
    return err as RelayError;
  }
  throw new Error("expected a RelayError, but nothing was thrown");
}

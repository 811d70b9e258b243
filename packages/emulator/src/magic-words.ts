/** Prompt tags for manual demos: `[emulator:429]`, `[emulator:500]`, `[emulator:503]`, `[emulator:slow=<ms>]`, `[emulator:continue=<hops>]`. */
import { ApiError } from "./errors.js";
import { contentText } from "./input.js";
import { own, type JsonRecord } from "./json.js";

export interface MagicWords {
  fault?: ApiError;
  slowMs?: number;
  /** Split the echo answer over this many continuation hops. */
  continueHops?: number;
  /** The prompt without the tags. */
  text: string;
}

const TAG = /\[emulator:([a-z0-9]+)(?:=(\d+))?\]/gi;
const MAX_HOPS = 10;

/** Tags count only in a prompt that is the last input step, so a later tool-result turn is not failed again. */
export function magicWords(steps: readonly JsonRecord[]): MagicWords {
  const last = steps[steps.length - 1];
  if (!last || own(last, "type") !== "user_input") return { text: "" };
  return readMagicWords(contentText(last));
}

export function readMagicWords(prompt: string): MagicWords {
  const found: MagicWords = { text: prompt.replace(TAG, " ").replace(/\s+/g, " ").trim() };
  for (const [, name = "", value] of prompt.matchAll(TAG)) {
    const number = value === undefined ? undefined : Number(value);
    switch (name.toLowerCase()) {
      case "429":
      case "503":
        // A one-second hint keeps the SDK's five automatic attempts short in a demo.
        found.fault = new ApiError(Number(name), { headers: { "retry-after": "1" } });
        break;
      case "500":
        found.fault = new ApiError(500);
        break;
      case "slow":
        if (number !== undefined) found.slowMs = number;
        break;
      case "continue":
        if (number !== undefined && number > 1) found.continueHops = Math.min(number, MAX_HOPS);
        break;
      default:
        break;
    }
  }
  return found;
}

/**
 * What `device.ts` measures (a device that keeps its transcript, issue 21) and the two targets it is
 * held to, decided here from its figures alone so the rule can be tested without a bench run.
 */
import type { Summary } from "./stats";

/** One history size's figures: body bytes per turn (headers not counted) and the client's CPU. */
export interface DeviceFigures {
  label: string;
  /** The request body, as JSON (identity) and gzipped as the client gzips it. */
  up: { identity: number; gzip: number };
  /** The response body: full and minimal, unary and streamed (SSE, read to the end), and the unary bodies gzipped. */
  down: { full: number; minimal: number; fullStream: number; minimalStream: number; fullGzip: number; minimalGzip: number };
  /**
   * The client's CPU per response (ms): JSON.parse of the full body, Transcript.append of the full and of the minimal
   * body, and of the latter the SHA-256 of the sent history it checks against the answer's base.
   */
  cpu: { parseFull: Summary; appendFull: Summary; appendMinimal: Summary; baseSha256: Summary };
}

/** Per history id (8k, 1m, 10m), or the error that stopped the measurement there. */
export type DeviceResult = Record<string, DeviceFigures | { error: string }>;

/** The history sizes measured, in order. */
export const DEVICE_HISTORIES = ["8k", "1m", "10m"] as const;
/** A text reply's minimal response stays under this many bytes down, at every history size (issue 21: "under 4 KB"). */
export const MINIMAL_DOWN_LIMIT = 4_000;
/** At 1 MB, the gzipped upload is at most this share of the identity upload (issue 21). */
export const GZIP_UP_SHARE = 1 / 3;

export interface Target {
  name: string;
  where: string;
  figure: string;
  pass: boolean;
}

const figuresOf = (result: DeviceResult | undefined, id: string): DeviceFigures | undefined => {
  const entry = result?.[id];
  return entry && !("error" in entry) ? entry : undefined;
};

/** The two device targets; a history that was not measured (missing or failed) is a MISS, never a PASS. */
export function deviceTargets(result: DeviceResult | undefined): Target[] {
  const down = DEVICE_HISTORIES.map((id) => {
    const d = figuresOf(result, id)?.down;
    return { id, bytes: d ? Math.max(d.minimal, d.minimalStream) : undefined };
  });
  const up = figuresOf(result, "1m")?.up;
  const share = up ? up.gzip / up.identity : undefined;
  return [
    {
      name: `minimal response, text reply: bytes down < ${MINIMAL_DOWN_LIMIT.toLocaleString("en")} B at every history size`,
      where: "in-process (Node), the relay bundle; response body bytes, the larger of unary and streamed",
      figure: down.map((x) => `${x.id} ${x.bytes === undefined ? "not measured" : `${x.bytes} B`}`).join(", "),
      pass: down.every((x) => x.bytes !== undefined && x.bytes < MINIMAL_DOWN_LIMIT),
    },
    {
      name: `gzip upload ≤ ${(GZIP_UP_SHARE * 100).toFixed(0)} % of identity, 1 MB history`,
      where: "request body bytes, gzipped by the client's compressor (CompressionStream)",
      figure:
        up && share !== undefined
          ? `${up.gzip} B of ${up.identity} B (${(share * 100).toFixed(1)} %)`
          : `not measured${result?.["1m"] && "error" in result["1m"] ? `: ${result["1m"].error}` : ""}`,
      pass: share !== undefined && share <= GZIP_UP_SHARE,
    },
  ];
}

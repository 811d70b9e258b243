/**
 * The request log's bounds. The log is for tests and demos reading back what was sent; under load (many
 * large bodies) an unbounded one grows until the process dies, so it keeps only the recent past: at most
 * `maxEntries` records, and the bodies of the newest records that fit in `maxBodyBytes` together.
 */
import type { RecordedRequest, RequestLogLimits } from "./types.js";

/** 1,000 records; 32 MiB of bodies (sized as received, before parsing). */
export const DEFAULT_REQUEST_LOG_LIMITS: Readonly<Required<RequestLogLimits>> = { maxEntries: 1000, maxBodyBytes: 32 * 1024 * 1024 };

/**
 * Drops the oldest records beyond `maxEntries`, then the bodies of older records once the bodies kept,
 * counted newest first, would exceed `maxBodyBytes` (those records stay, with `body: undefined`).
 */
export function trimRequestLog(requests: RecordedRequest[], limits: Required<RequestLogLimits>): void {
  if (requests.length > limits.maxEntries) requests.splice(0, requests.length - limits.maxEntries);
  let kept = 0;
  for (let i = requests.length - 1; i >= 0; i--) {
    const record = requests[i]!;
    if (record.body === undefined) continue;
    if (kept + record.bodyBytes <= limits.maxBodyBytes) kept += record.bodyBytes;
    else record.body = undefined;
  }
}

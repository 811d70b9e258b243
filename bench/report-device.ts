/** The report's device section: bytes per turn and the client's CPU for a device that keeps its transcript (device.ts). */
import { DEVICE_HISTORIES } from "./device-targets";
import { device } from "./report-data";
import { bytes, cell, percent, ratio, say, table } from "./report-format";

export function sayDevice(): void {
  say();
  say("## A device that keeps its transcript: bytes per turn and client CPU (text reply, in-process on Node)");
  say();
  const result = device;
  if (!result) {
    say("Not run.");
    return;
  }
  const rows = DEVICE_HISTORIES.map((id) => [id, result[id]] as const);
  say(
    "Body bytes of one turn (headers not counted). **Up**: the request, as JSON and gzipped by `@gemini-relay/client` " +
      "(`Content-Encoding: gzip`, CompressionStream); the same whether the answer is full or minimal. **Down**: the answer, " +
      "full (`history` included) vs minimal (`Prefer: return=minimal`), unary and streamed (SSE to the end); in parentheses " +
      "the unary body gzipped, as an edge may send it.",
  );
  say();
  say(
    table(
      [
        "history",
        "up, identity",
        "up, gzip",
        "gzip / identity",
        "down, full",
        "down, minimal",
        "down, full stream",
        "down, minimal stream",
      ],
      rows.map(([id, d]) =>
        !d || "error" in d
          ? [id, `failed: ${d?.error ?? "not measured"}`, "", "", "", "", "", ""]
          : [
              d.label,
              bytes(d.up.identity),
              bytes(d.up.gzip),
              percent(d.up.gzip / d.up.identity),
              `${bytes(d.down.full)} (${bytes(d.down.fullGzip)})`,
              `${bytes(d.down.minimal)} (${bytes(d.down.minimalGzip)})`,
              bytes(d.down.fullStream),
              bytes(d.down.minimalStream),
            ],
      ),
    ),
  );
  say();
  say(
    "Client CPU to take in the answer (ms, p50 / p99, process CPU clock): what a client without the Transcript does " +
      "(`JSON.parse` of the full body), and `Transcript.append` of the full body (its history checked against the sent " +
      "transcript, byte for byte) and of the minimal body (the sent transcript's SHA-256 checked against `base`: " +
      "that digest alone, WebCrypto, is the next column).",
  );
  say();
  say(
    table(
      [
        "history",
        "n",
        "JSON.parse full",
        "Transcript.append full",
        "Transcript.append minimal",
        "of which SHA-256 of the base",
        "append minimal / parse full",
      ],
      rows.map(([id, d]) =>
        !d || "error" in d
          ? [id, "—", "—", "—", "—", "—", "—"]
          : [
              d.label,
              String(d.cpu.parseFull.n),
              cell(d.cpu.parseFull),
              cell(d.cpu.appendFull),
              cell(d.cpu.appendMinimal),
              cell(d.cpu.baseSha256),
              ratio(d.cpu.appendMinimal.p50, d.cpu.parseFull.p50),
            ],
      ),
    ),
  );
}

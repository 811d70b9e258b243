/**
 * fflate's streaming inflaters, in a module of their own so body.ts can load them on the first
 * compressed body (a dynamic import): fflate fills its Huffman tables at its top level, ~3 ms of
 * every cold start otherwise, for bodies few callers compress. Named imports, so the bundle keeps
 * only these two of fflate's exports.
 */
import { Gunzip, Unzlib } from "fflate";

export function inflater(format: "gzip" | "deflate"): Gunzip | Unzlib {
  return format === "gzip" ? new Gunzip() : new Unzlib();
}

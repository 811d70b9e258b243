/**
 * The Node entry's stand-in for the Worker's ASSETS binding: the files of public/ (the document and
 * the /docs page `npm run contract` writes), read from disk on each request, as Workers read theirs.
 * Only the routes ask it for a file (by a fixed path); a caller's URL never reaches it.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { StaticFiles } from "../env";

/** public/ in the checkout (the Node entry runs from the sources, under tsx). */
const PUBLIC_DIR = fileURLToPath(new URL("../../public/", import.meta.url).href);

export function staticFilesFromDisk(directory = PUBLIC_DIR): StaticFiles {
  return {
    async fetch(request) {
      // The URL parser has resolved any dot segments already: the path stays inside `directory`.
      const file = join(directory, new URL(request.url).pathname);
      try {
        return new Response(await readFile(file));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return new Response(null, { status: 404 });
        throw err;
      }
    },
  };
}

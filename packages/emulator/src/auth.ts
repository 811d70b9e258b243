/** API-key check: the key travels in `x-goog-api-key` (SDK), `Authorization: Bearer` (OAuth-style) or `?key=`. */
import { ApiError } from "./errors.js";

export function requireApiKey(request: Request, url: URL, expected: string | undefined): void {
  const key = presentedKey(request, url);
  if (!key) {
    throw new ApiError(401, {
      message: "Method doesn't allow unregistered callers. Please use an API key (x-goog-api-key header).",
    });
  }
  if (expected !== undefined && key !== expected) {
    throw new ApiError(401, { message: "API key not valid. Please pass a valid API key." });
  }
}

function presentedKey(request: Request, url: URL): string | undefined {
  const header = request.headers.get("x-goog-api-key")?.trim();
  if (header) return header;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  if (bearer?.[1]) return bearer[1];
  return url.searchParams.get("key")?.trim() || undefined;
}

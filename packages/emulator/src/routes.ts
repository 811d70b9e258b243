/** The route table: which Interactions operation (or control route) a method + path names. */
import { ApiError } from "./errors.js";

export type Route =
  { kind: "create" } | { kind: "get" | "delete" | "cancel"; id: string } | { kind: "control"; action: "script" | "requests" | "reset" };

/** Any prefix, then the version segment: `/proxy/v1beta/interactions/v1_abc/cancel` is a cancel. */
const INTERACTIONS = /^(?:\/.*)?\/(v1|v1beta|v1alpha)\/interactions(?:\/([^/]+)(\/cancel)?)?\/?$/;
const CONTROL = /^(?:\/.*)?\/__emulator\/(script|requests|reset)\/?$/;

/**
 * Resolves the route or throws 404 (unknown path) / 405 (known path, wrong method). Control routes check their
 * method themselves, so that nothing aimed at them lands in the request log.
 */
export function matchRoute(method: string, pathname: string): Route {
  const control = CONTROL.exec(pathname);
  if (control) return { kind: "control", action: control[1] as "script" | "requests" | "reset" };
  const match = INTERACTIONS.exec(pathname);
  if (!match) throw new ApiError(404, { message: `The requested URL ${pathname} was not found on this server.` });
  const id = match[2] === undefined ? undefined : decodeSegment(match[2]);
  if (id === undefined) {
    requireMethod(method, ["POST"]);
    return { kind: "create" };
  }
  if (match[3] !== undefined) {
    requireMethod(method, ["POST"]);
    return { kind: "cancel", id };
  }
  requireMethod(method, ["GET", "DELETE"]);
  return { kind: method === "GET" ? "get" : "delete", id };
}

export function requireMethod(method: string, allowed: readonly string[]): void {
  if (!allowed.includes(method)) {
    throw new ApiError(405, {
      message: `Method ${method} is not allowed here; use ${allowed.join(" or ")}.`,
      headers: { allow: allowed.join(", ") },
    });
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The store=false audit's registry: every call a test relay makes upstream, checked as it is made.
 *
 * It lives on globalThis under a registered symbol, not in a module's scope: the workers project runs
 * its files in one shared module graph per runner (vitest.config.ts, `isolate: false`), and a file that
 * calls vi.resetModules() gets fresh copies of the modules it re-imports. Every copy of this module
 * finds the one registry. Bodies are read, checked and dropped: the registry keeps a count and, per
 * call that lacked store: false, one line saying where it went.
 */

interface UpstreamCalls {
  /** Calls to an `/interactions` path checked since the count was last taken. */
  checked: number;
  /** One line per such call whose body did not carry store: false, not yet reported. */
  unstored: string[];
}

const KEY = Symbol.for("gemini-relay.test.upstream-calls");

function registry(): UpstreamCalls {
  const global = globalThis as typeof globalThis & { [KEY]?: UpstreamCalls };
  return (global[KEY] ??= { checked: 0, unstored: [] });
}

/**
 * `fetch` with the audit in front: a POST to an `/interactions` path whose body lacks store: false is
 * recorded and refused (thrown, as a network failure would be), so the test that made it fails even
 * when it expected an upstream failure (test/setup/store-audit.ts reports the record after each test).
 */
export function auditedFetch(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
    const url = input instanceof URL ? input.href : typeof input === "string" ? input : input.url;
    if (method === "POST" && new URL(url).pathname.endsWith("/interactions")) {
      const calls = registry();
      calls.checked++;
      const store = await storeOf(init?.body ?? (await request?.clone().text()));
      if (store !== false) {
        const line = `POST ${url} sent store: ${store}`;
        calls.unstored.push(line);
        throw new Error(`store=false audit: ${line}`);
      }
    }
    return fetch(input, init);
  };
}

/** The body's top-level `store` as JSON.parse reads it, or a word saying why there is none to read. */
async function storeOf(body: BodyInit | null | undefined): Promise<unknown> {
  let text: string;
  if (typeof body === "string") text = body;
  else if (body instanceof Blob)
    text = await body.text(); // a Blob reads again: the call still sends it whole
  else if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) text = new TextDecoder().decode(body);
  else return body == null ? "(no body)" : "(a body the audit cannot read without consuming it)";
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as { store?: unknown }).store : "(not an object)";
  } catch {
    return "(not JSON)";
  }
}

/** The calls checked and the ones that lacked store: false since the last take; taking resets both. */
export function takeUpstreamCalls(): UpstreamCalls {
  const calls = registry();
  const taken = { checked: calls.checked, unstored: calls.unstored.splice(0) };
  calls.checked = 0;
  return taken;
}

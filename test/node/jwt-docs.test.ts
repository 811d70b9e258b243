// docs/minting-jwts.md, kept true: its backend snippet runs as written (tsx, a real process, `jose` from
// this workspace), and the token it prints gets a turn from a Node relay configured with the settings
// the same page lists; the claims it adds for JWT_AUDIENCE and JWT_ISSUER are the ones the relay checks.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNodeRelay, type NodeRelay } from "../../src/node/server";
import { serveEmulator, type ServedEmulator } from "./node-relay";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const doc = await readFile(join(root, "docs/minting-jwts.md"), "utf8");
/** The page's fenced blocks of one language, in order. */
const blocks = (lang: string) => [...doc.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((match) => match[1]!);

/** The relay's settings as the page lists them (`NAME=value  # comment`); JWT_SECRET is the test's own. */
const documented = Object.fromEntries(
  blocks("sh")[0]!
    .split("\n")
    .map((line) => /^([A-Z_]+)=(\S+)/.exec(line))
    .filter((match) => match !== null)
    .map(([, name, value]) => [name!, value!]),
);
const SECRET = "docs-jwt-secret-0123456789abcdef0123456789";

let upstream: ServedEmulator;
let relay: NodeRelay;
let work: string;

beforeAll(async () => {
  upstream = await serveEmulator();
  relay = await startNodeRelay(
    { ...documented, JWT_SECRET: SECRET, GEMINI_API_KEY: "docs-key", GEMINI_BASE_URL: upstream.url, UPSTREAM_MAX_RETRIES: "0" },
    { host: "127.0.0.1", port: 0, maxConnections: 16 },
  );
  // Under node_modules/ so the snippet's `import "jose"` resolves from this workspace, as in a backend's.
  work = await mkdtemp(join(root, "node_modules/.jwt-docs-"));
});

afterAll(async () => {
  await relay?.close();
  await upstream?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Runs the page's TypeScript block, then prints relayToken(userId). */
async function mintWithTheDocs(userId: string): Promise<string> {
  const [snippet] = blocks("ts");
  // .mts: an ES module wherever it lands, as a backend with "type": "module" would run it.
  const file = join(work, "mint.mts");
  await writeFile(file, `${snippet}\nconsole.log(await relayToken(${JSON.stringify(userId)}));\n`);
  const { stdout } = await run(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), file], {
    env: { ...process.env, JWT_SECRET: SECRET },
  });
  return stdout.trim();
}

const turn = (jwt: string) =>
  fetch(`${relay.url}/v1/turns`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${jwt}` },
    body: JSON.stringify({ model: "gemini-3.5-flash", input: "minted by the docs" }),
  });

describe("docs/minting-jwts.md", () => {
  it("lists the relay's jwt settings, audience and issuer included", () => {
    expect(Object.keys(documented)).toEqual(["AUTH_MODE", "JWT_SECRET", "JWT_AUDIENCE", "JWT_ISSUER"]);
    expect(documented.AUTH_MODE).toBe("jwt");
  });

  it("mints, with its own snippet, a token the relay configured as the page says accepts", async () => {
    const jwt = await mintWithTheDocs("alice");
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({ sub: "alice", aud: documented.JWT_AUDIENCE, iss: documented.JWT_ISSUER });
    expect(claims.exp! - claims.iat!).toBe(600);
    const res = await turn(jwt);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { output_text: string }).output_text).toContain("minted by the docs");
  });

  it("is refused, naming the check, once the relay expects another audience", async () => {
    const other = await startNodeRelay(
      { ...documented, JWT_AUDIENCE: "another-relay", JWT_SECRET: SECRET, GEMINI_API_KEY: "docs-key", GEMINI_BASE_URL: upstream.url },
      { host: "127.0.0.1", port: 0, maxConnections: 16 },
    );
    try {
      const res = await fetch(`${other.url}/v1/turns`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await mintWithTheDocs("alice")}` },
        body: JSON.stringify({ model: "gemini-3.5-flash", input: "hi" }),
      });
      expect(res.status).toBe(401);
      const detail = ((await res.json()) as { detail: string }).detail;
      expect(detail).toMatch(/audience/);
      expect(detail).not.toContain("another-relay");
    } finally {
      await other.close();
    }
  });
});

import { describe, expect, it } from "vitest";
import { findStoredReferences, guardRetention, retentionHeader } from "../../src/turn/retention";
import { relayErrorOf } from "../relay-error";

const closed = { allowGrounding: false, allowStoredResources: false };
const open = { allowGrounding: true, allowStoredResources: true };

const refusal = (body: Record<string, unknown>, policy = closed, references: string[] = []) =>
  relayErrorOf(() => guardRetention(body, policy, references)).toProblem();

describe("guardRetention", () => {
  it("refuses every field that brings server-side state back, naming each", () => {
    const p = refusal({
      store: true,
      background: true,
      previous_interaction_id: "v1_a",
      agent: "deep-research",
      agent_config: {},
      environment: "e",
      cached_content: "c",
      webhook_config: {},
    });
    expect(p.status).toBe(400);
    expect(p.code).toBe("retention_refused");
    expect(p.errors?.map((e) => e.path)).toEqual([
      "/store",
      "/background",
      "/previous_interaction_id",
      "/agent",
      "/agent_config",
      "/environment",
      "/cached_content",
      "/webhook_config",
    ]);
    for (const e of p.errors!) expect(e.message).toMatch(/would make Google retain data/);
  });

  it("accepts store: false and background: false", () => {
    expect(guardRetention({ store: false, background: false }, closed)).toEqual({ grounding: [], storedResources: [] });
  });

  it("refuses grounding unless the operator enabled it, and reports it when used", () => {
    const p = refusal({ tools: [{ type: "function", name: "f" }, { type: "google_search" }] });
    expect(p.errors).toEqual([{ path: "/tools/1", message: expect.stringMatching(/30 days.*ALLOW_GROUNDING/) }]);
    expect(guardRetention({ tools: [{ type: "google_search" }, { type: "google_maps" }] }, open).grounding).toEqual([
      "google_search",
      "google_maps",
    ]);
  });

  it("refuses file search stores and Files API URIs anywhere in the transcript, unless allowed", () => {
    const body = {
      tools: [{ type: "file_search", file_search_store_names: ["fileSearchStores/x"] }],
      history: [
        {
          type: "user_input",
          content: [
            { type: "document", uri: "https://generativelanguage.googleapis.com/v1beta/files/abc123", mime_type: "application/pdf" },
          ],
        },
        { type: "function_result", call_id: "c", result: [{ type: "image", uri: "files/img9" }] },
        // A step and block type newer than the relay, the reference deep inside: still found (fail-closed).
        { type: "hologram_result", frames: [{ scene: { kind: "x", file_uri: "cachedContents/c1" } }] },
      ],
      input: [{ type: "image", uri: "https://example.com/cat.png" }],
    };
    const references = [...findStoredReferences(body.history, ["history"]), ...findStoredReferences(body.input, ["input"])];
    expect(references).toEqual(["/history/0/content/0/uri", "/history/1/result/0/uri", "/history/2/frames/0/scene/file_uri"]);
    expect(refusal(body, closed, references).errors?.map((e) => e.path)).toEqual(["/tools/0", ...references]);
    expect(guardRetention(body, open, references).storedResources).toEqual(["file_search", "files"]);
  });

  it("finds Files API URIs in a drop-in body's single Content input", () => {
    const input = { type: "video", uri: "files/v1" };
    expect(refusal({ input }, closed, findStoredReferences(input, ["input"])).errors?.[0]?.path).toBe("/input/uri");
  });
});

describe("retentionHeader", () => {
  it("states what was left behind", () => {
    expect(retentionHeader(undefined)).toBe("relay=none; upstream-store=false; grounding=none");
    expect(retentionHeader({ grounding: ["google_search"], storedResources: ["files"] })).toBe(
      "relay=none; upstream-store=false; grounding=google_search; grounding-retention=30d; stored-resources=files",
    );
  });
});

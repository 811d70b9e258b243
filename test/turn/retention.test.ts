import { describe, expect, it } from "vitest";
import {
  findStoredReferences,
  guardRetention,
  namesStoredResource,
  replyRetentionWarnings,
  retentionHeader,
} from "../../src/turn/retention";
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

describe("the guard's scope: what Gemini fetches", () => {
  it("does not look in tool call arguments, JSON results, citations or members that merely contain uri/url", () => {
    const steps = [
      { type: "function_call", id: "c1", name: "read", arguments: { uri: "files/report.pdf", nested: { type: "image", uri: "files/a" } } },
      { type: "mcp_server_tool_call", id: "c2", name: "read", server_name: "s", arguments: { file_uri: "files/b" } },
      { type: "function_result", call_id: "c1", result: { uri: "files/report.pdf", items: [{ type: "document", uri: "files/c" }] } },
      {
        type: "model_output",
        content: [
          {
            type: "text",
            text: "See the notes.",
            annotations: [
              { type: "url_citation", url: "files/notes.txt", start_index: 0, end_index: 3 },
              { type: "file_citation", document_uri: "files/notes.txt" },
              { type: "future_citation", uri: "files/notes.txt" },
            ],
          },
        ],
      },
      {
        type: "user_input",
        content: [{ type: "image", security: "files/d", curl: "files/e", data: "AAAA", uri: "https://example.com/cat.png" }],
      },
      { type: "future_step", security: "files/f", curl: "files/g", text: "files/h" },
    ];
    expect(findStoredReferences(steps, ["history"])).toEqual([]);
  });

  it("finds media and document URIs in any step, content blocks of a result list and every object of an unknown type", () => {
    const steps = [
      { type: "model_output", content: [{ type: "video", uri: "files/v1", mime_type: "video/mp4" }] },
      { type: "thought", summary: [{ type: "image", uri: "files/t1" }] },
      { type: "function_result", call_id: "c", result: [{ type: "audio", file_uri: "files/a1" }] },
      { type: "future_step", file_uri: "files/f1", parts: [{ source: { fileUri: "cachedContents/c1" } }] },
      { type: "user_input", content: [{ type: "hologram", uri: "fileSearchStores/s1" }] },
    ];
    expect(findStoredReferences(steps, ["history"])).toEqual([
      "/history/0/content/0/uri",
      "/history/1/summary/0/uri",
      "/history/2/result/0/file_uri",
      "/history/3/file_uri",
      "/history/3/parts/0/source/fileUri",
      "/history/4/content/0/uri",
    ]);
  });
});

describe("stored-resource spellings", () => {
  it.each([
    "files/abc",
    "https://generativelanguage.googleapis.com/v1beta/files/abc",
    "HTTPS://GENERATIVELANGUAGE.GOOGLEAPIS.COM/v1beta/files/abc",
    "https://generativelanguage.googleapis.com:443/v1beta/files/abc",
    "https://generativelanguage.googleapis.com/upload/v1beta/files/abc",
    "https://generativelanguage.googleapis.com./v1beta/files/abc",
    "https://generativelanguage.googleapis.com/v1beta/files/abc:download?alt=media",
    "//generativelanguage.googleapis.com/v1beta/files/abc",
    "generativelanguage.googleapis.com/v1beta/files/abc",
    "https://generativelanguage.googleapis.com/v1beta/%66iles/abc",
    "https://generativelanguage.googleapis.com/download/v1beta/files/abc:download?alt=media",
    "generativelanguage.googleapis.com:443/v1beta/files/abc",
    "generativelanguage.googleapis.com/v1beta/../v1beta/files/abc",
    "https://generativelanguage.googleapis.com/v1beta/models/m/../../files/abc",
    "https://generativelanguage.mtls.googleapis.com/v1beta/files/abc",
    "generativelanguage.mtls.googleapis.com/upload/v1beta/files/abc",
    "files/abc/",
    " files/abc",
    "/files/abc",
    "Files/abc",
    "cachedContents/c1",
    "fileSearchStores/s1/documents/d1",
  ])("%s names a stored resource", (spelling) => {
    expect(namesStoredResource(spelling)).toBe(true);
    const step = { type: "user_input", content: [{ type: "document", uri: spelling }] };
    expect(refusal({}, closed, findStoredReferences(step, ["input", 0])).errors?.map((e) => e.path)).toEqual(["/input/0/content/0/uri"]);
  });

  it.each([
    "https://example.com/v1beta/files/abc",
    "https://example.com/files/abc",
    "files/",
    "myfiles/abc",
    "gs://bucket/files/abc",
    "https://generativelanguage.googleapis.com:443@example.com/v1beta/files/abc",
    "example.com:443/v1beta/files/abc",
    "data:,files/abc",
  ])("%s does not", (spelling) => expect(namesStoredResource(spelling)).toBe(false));

  it("examines the strings of a URI list", () => {
    const step = { type: "future_step", uris: ["https://example.com/a", "files/abc", ["files/def"]], file_uris: ["cachedContents/c"] };
    expect(findStoredReferences(step, ["history", 0])).toEqual(["/history/0/uris/1", "/history/0/uris/2/0", "/history/0/file_uris/0"]);
  });
});

describe("camelCase aliases of refused fields", () => {
  it("are refused like their snake_case names", () => {
    const p = refusal({ previousInteractionId: "v1_a", agentConfig: {}, cachedContent: "c", webhookConfig: {} });
    expect(p.code).toBe("retention_refused");
    expect(p.errors?.map((e) => e.path)).toEqual(["/previousInteractionId", "/agentConfig", "/cachedContent", "/webhookConfig"]);
    expect(p.errors?.[0]?.message).toMatch(/by another name/);
  });
});

describe("closure: references in the model's steps", () => {
  it("are reported, not refused, next turn", () => {
    expect(guardRetention({}, closed, [], ["/history/1/content/0/uri"])).toEqual({ grounding: [], storedResources: ["files"] });
  });

  it("are warned about on the reply that carries them, at their place in the response's history", () => {
    const steps = [
      { type: "function_call", id: "c", name: "read", arguments: { uri: "files/report.pdf" } },
      { type: "model_output", content: [{ type: "video", uri: "files/clip" }] },
    ].map((view) => ({ bytes: new Uint8Array(), view }));
    expect(replyRetentionWarnings(steps, 3, closed)).toEqual([
      {
        code: "stored_resource_in_reply",
        path: "/history/4/content/0/uri",
        message: expect.stringMatching(/reported in Relay-Retention, not refused/),
      },
    ]);
    expect(replyRetentionWarnings(steps, 3, open)).toEqual([]);
  });

  it("are warned about only in model-authored steps: a step of a caller's type in a reply fails the turn instead (reply-closure.ts)", () => {
    const steps = [{ type: "user_input", content: [{ type: "image", uri: "files/abc" }] }].map((view) => ({
      bytes: new Uint8Array(),
      view,
    }));
    expect(replyRetentionWarnings(steps, 3, closed)).toEqual([]);
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

/** The document as one readable, self-contained HTML page: no scripts, no external assets, every text escaped. */
import { METHODS, type Example, type Header, type JsonSchema, type MediaType, type OpenApiDocument, type Operation, type Parameter, type Ref } from "./types";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** One line of the little Markdown the descriptions use: `code` and **bold**. */
function inline(line: string): string {
  return escapeHtml(line)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
}

/** Descriptions: paragraphs and "- " lists of inline Markdown. */
function prose(text: string | undefined): string {
  if (!text) return "";
  return text
    .split(/\n{2,}/)
    .map((block) => {
      const lines = block.split("\n");
      if (lines.every((line) => line.startsWith("- "))) return `<ul>${lines.map((line) => `<li>${inline(line.slice(2))}</li>`).join("")}</ul>`;
      return `<p>${lines.map(inline).join("<br>")}</p>`;
    })
    .join("\n");
}

const refName = (ref: string) => ref.slice(ref.lastIndexOf("/") + 1);
const schemaLink = (name: string) => `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
const opAnchor = (op: Operation) => `op-${escapeHtml(op.operationId)}`;

/** A schema in one line: `array of Step`, `string | ContentList`, `"ok"`. */
function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return "any";
  if (typeof schema.$ref === "string") return schemaLink(refName(schema.$ref));
  if (schema.const !== undefined) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => `<code>${escapeHtml(JSON.stringify(value))}</code>`).join(" | ");
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) return union.map((member) => typeOf(member as JsonSchema)).join(" | ");
  if (schema.type === "array") return `array of ${typeOf(schema.items as JsonSchema | undefined)}`;
  if (typeof schema.type === "string") return escapeHtml(schema.type);
  return "any";
}

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return "";
  const cells = (row: string[], tag: string) => `<tr>${row.map((cell) => `<${tag}>${cell}</${tag}>`).join("")}</tr>`;
  return `<table><thead>${cells(head, "th")}</thead><tbody>${rows.map((row) => cells(row, "td")).join("")}</tbody></table>`;
}

function exampleBlock(name: string, example: Example): string {
  const value = typeof example.value === "string" ? example.value : JSON.stringify(example.value, null, 2);
  return `<details><summary>Example <code>${escapeHtml(name)}</code>${example.summary ? `: ${escapeHtml(example.summary)}` : ""}</summary><pre>${escapeHtml(value)}</pre></details>`;
}

function mediaTypes(content: Record<string, MediaType> | undefined): string {
  return Object.entries(content ?? {})
    .map(([type, media]) => {
      const examples = Object.entries(media.examples ?? {}).map(([name, example]) => exampleBlock(name, example));
      const description = typeof media.schema.description === "string" && !media.schema.$ref ? prose(media.schema.description) : "";
      return `<div class="media"><p><code>${escapeHtml(type)}</code>: ${typeOf(media.schema)}</p>${description}${examples.join("")}</div>`;
    })
    .join("");
}

function resolve<T>(doc: OpenApiDocument, item: T | Ref): T {
  if (typeof item === "object" && item !== null && "$ref" in item) {
    const [, , kind, name] = item.$ref.split("/");
    return (doc.components as unknown as Record<string, Record<string, T>>)[kind!]![name!]!;
  }
  return item;
}

function parameterRows(doc: OpenApiDocument, parameters: (Parameter | Ref)[]): string[][] {
  return parameters.map((p) => {
    const param = resolve(doc, p);
    return [`<code>${escapeHtml(param.name)}</code>`, escapeHtml(param.in), param.required ? "yes" : "no", typeOf(param.schema), prose(param.description)];
  });
}

function securityText(doc: OpenApiDocument, op: Operation): string {
  const requirements = op.security ?? doc.security;
  if (requirements.length === 0) return "<p class=\"auth\">No authentication.</p>";
  const names = requirements.flatMap((requirement) => Object.keys(requirement)).map((name) => `<a href="#auth-${escapeHtml(name)}">${escapeHtml(name)}</a>`);
  return `<p class="auth">Authentication: one of ${names.join(", ")}.</p>`;
}

function headerRows(doc: OpenApiDocument, headers: [string, Header | Ref][]): string[][] {
  return headers.map(([name, header]) => {
    const h = resolve(doc, header);
    return [`<code>${escapeHtml(name)}</code>`, h.required ? "always" : "when relevant", prose(h.description)];
  });
}

function operation(doc: OpenApiDocument, path: string, method: string, op: Operation, pathParameters: (Parameter | Ref)[]): string {
  const parameters = parameterRows(doc, [...pathParameters, ...(op.parameters ?? [])]);
  // Headers every response of the operation carries are listed once.
  const all = Object.values(op.responses);
  const common = Object.entries(all[0]?.headers ?? {}).filter(([name]) => all.every((response) => response.headers?.[name] !== undefined));
  const isCommon = new Set(common.map(([name]) => name));
  const responses = Object.entries(op.responses).map(([status, response]) => {
    const own = Object.entries(response.headers ?? {}).filter(([name]) => !isCommon.has(name));
    return `<div class="response"><h5><span class="status s${escapeHtml(status[0] ?? "")}">${escapeHtml(status)}</span> ${inline(response.description)}</h5>${table(["Header", "Sent", "Description"], headerRows(doc, own))}${mediaTypes(response.content)}</div>`;
  });
  return `<section class="operation" id="${opAnchor(op)}">
<h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>
<p class="summary">${escapeHtml(op.summary)}</p>
${prose(op.description)}
${securityText(doc, op)}
${parameters.length > 0 ? `<h4>Parameters</h4>${table(["Name", "In", "Required", "Type", "Description"], parameters)}` : ""}
${op.requestBody ? `<h4>Request body</h4>${prose(op.requestBody.description)}${mediaTypes(op.requestBody.content)}` : ""}
<h4>Responses</h4>
${common.length > 0 ? `<p>Every response carries:</p>${table(["Header", "Sent", "Description"], headerRows(doc, common))}` : ""}
${responses.join("\n")}
</section>`;
}

function schemaSection(name: string, schema: JsonSchema): string {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const rows = Object.entries(properties).map(([field, property]) => [
    `<code>${escapeHtml(field)}</code>`,
    typeOf(property),
    required.has(field) ? "yes" : "no",
    prose(typeof property.description === "string" ? property.description : undefined),
  ]);
  const union = schema.oneOf ?? schema.anyOf;
  const variants = Array.isArray(union) ? `<p>One of: ${union.map((member) => typeOf(member as JsonSchema)).join(", ")}.</p>` : "";
  // Loose objects (zod's looseObject) say so explicitly; the caller's extra fields travel untouched.
  const open = typeof schema.additionalProperties === "object" && Object.keys(schema.additionalProperties).length === 0 ? "<p>Other fields are allowed and travel untouched.</p>" : "";
  const shape = rows.length === 0 && !variants ? `<p>${typeOf(schema)}</p>` : "";
  return `<section class="schema" id="schema-${escapeHtml(name)}">
<h3>${escapeHtml(name)}</h3>
${prose(typeof schema.description === "string" ? schema.description : undefined)}
${variants}${shape}${table(["Field", "Type", "Required", "Description"], rows)}${open}
<details><summary>JSON Schema</summary><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></details>
</section>`;
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:980px;margin:0 auto;padding:1.5rem}
h1{margin-bottom:0}h2{border-bottom:2px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}
code,pre{font:13px/1.45 ui-monospace,monospace}
pre{background:#f6f8fa;padding:.75rem;overflow:auto;border-radius:6px;max-height:32rem}
table{border-collapse:collapse;margin:.5rem 0;width:100%}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td p{margin:0}
.method{display:inline-block;min-width:4.2em;text-align:center;color:#fff;border-radius:4px;padding:0 .4em;font-size:.85em}
.get{background:#0969da}.post{background:#1a7f37}.delete{background:#cf222e}
.status{display:inline-block;min-width:3em;font-family:ui-monospace,monospace}
.s2{color:#1a7f37}.s4{color:#9a6700}.s5{color:#cf222e}
.operation,.schema{border-top:1px solid #d0d7de;padding-top:.5rem;margin-top:1.5rem}
.summary{font-weight:600}.auth{color:#57606a}.response{margin-left:1rem}
nav li{margin:.15rem 0}summary{cursor:pointer}`;

export function renderDocs(doc: OpenApiDocument): string {
  const operations: { path: string; method: string; op: Operation; pathParameters: (Parameter | Ref)[] }[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) operations.push({ path, method, op, pathParameters: item.parameters ?? [] });
    }
  }
  const toc = operations
    .map(({ path, method, op }) => `<li><a href="#${opAnchor(op)}"><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></a> ${escapeHtml(op.summary)}</li>`)
    .join("\n");
  const schemes = Object.entries(doc.components.securitySchemes).map(([name, scheme]) => [
    `<span id="auth-${escapeHtml(name)}"><code>${escapeHtml(name)}</code></span>`,
    escapeHtml(scheme.type === "apiKey" ? `header ${scheme.name ?? ""}` : `${scheme.scheme ?? ""}${scheme.bearerFormat ? ` (${scheme.bearerFormat})` : ""}`),
    prose(scheme.description),
  ]);
  const servers = doc.servers.map((server) => `<li><code>${escapeHtml(server.url)}</code>: ${prose(server.description).replace(/^<p>|<\/p>$/g, "")}</li>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}: API reference</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p class="summary">${escapeHtml(doc.info.summary)}</p>
${prose(doc.info.description)}
<p>OpenAPI ${escapeHtml(doc.openapi)} document: <a href="openapi.json">openapi.json</a>. Servers:</p><ul>${servers}</ul>
<nav><h2>Contents</h2><ul>${toc}</ul></nav>
<h2>Authentication</h2>
${table(["Scheme", "Sent as", "Description"], schemes)}
<h2>Operations</h2>
${operations.map(({ path, method, op, pathParameters }) => operation(doc, path, method, op, pathParameters)).join("\n")}
<h2>Schemas</h2>
${Object.entries(doc.components.schemas)
  .map(([name, schema]) => schemaSection(name, schema))
  .join("\n")}
</main>
</body>
</html>
`;
}

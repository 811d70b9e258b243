/** The document's types: only as much of OpenAPI 3.2 as this document uses. */
import type * as z from "zod";

export type JsonSchema = z.core.JSONSchema.BaseSchema;
export interface Ref {
  $ref: string;
}
export interface Example {
  summary?: string;
  description?: string;
  /** A JSON body. */
  value?: unknown;
  /** OpenAPI 3.2: what is not one JSON value (an event stream), exactly as sent. */
  serializedValue?: string;
}
export interface MediaType {
  schema: JsonSchema;
  /** OpenAPI 3.2, for sequential media types such as text/event-stream: the schema of each item. */
  itemSchema?: JsonSchema;
  examples?: Record<string, Example>;
}
export interface Header {
  description: string;
  required?: boolean;
  schema: JsonSchema;
  example?: unknown;
}
export interface Parameter {
  name: string;
  in: "path" | "header" | "query";
  required?: boolean;
  description: string;
  schema: JsonSchema;
  example?: unknown;
}
export interface ResponseObject {
  description: string;
  headers?: Record<string, Header | Ref>;
  content?: Record<string, MediaType>;
}
export type SecurityRequirement = Record<string, string[]>;
export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: SecurityRequirement[];
  parameters?: (Parameter | Ref)[];
  requestBody?: { required: boolean; description?: string; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
}
export const METHODS = ["get", "post", "delete"] as const;
export type PathItem = { parameters?: (Parameter | Ref)[] } & Partial<Record<(typeof METHODS)[number], Operation>>;
export interface SecurityScheme {
  type: "http" | "apiKey";
  description: string;
  scheme?: string;
  bearerFormat?: string;
  in?: "header";
  name?: string;
}
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; summary: string; description: string };
  tags: { name: string; description: string }[];
  security: SecurityRequirement[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, SecurityScheme>;
    headers: Record<string, Header>;
    parameters: Record<string, Parameter>;
  };
}

/**
 * Every Schema Object in a component that another component refers to states its `type`, as Scalar's
 * reference page needs: its document store (@scalar/workspace-store) checks those components against
 * a schema in which a Schema Object without `type` matches nothing, and logs "document validation
 * errors: Expected union value" on every load. z.toJSONSchema writes two such forms; each is said the
 * same way with a type:
 * - the "anything" schema `{}` (z.unknown): `additionalProperties: true`, and no `items` at all;
 * - a bare `anyOf`/`oneOf` (a union): `type` is its members' types, which the union implies anyway.
 * Only those components: openapi-typescript reads a list of types beside a union as a second, wider
 * union (`string | unknown[]` for TurnRequest's `input`), so the others stay as zod wrote them.
 */
import type { JsonSchema } from "./types";

type TypeName = NonNullable<Exclude<JsonSchema["type"], unknown[]>>;

const isAnything = (schema: unknown): boolean =>
  typeof schema === "object" && schema !== null && !Array.isArray(schema) && Object.keys(schema).length === 0;

/** The component schemas, those another refers to with their types made explicit (in place: they are z.toJSONSchema's fresh output). */
export function withExplicitTypes(schemas: Record<string, JsonSchema>): Record<string, JsonSchema> {
  /** The JSON types a schema allows, or undefined when it allows any (or cannot tell). */
  const typesOf = (schema: JsonSchema, seen: ReadonlySet<string>): TypeName[] | undefined => {
    if (typeof schema.$ref === "string") {
      const name = schema.$ref.slice(schema.$ref.lastIndexOf("/") + 1);
      const target = schemas[name];
      return target && !seen.has(name) ? typesOf(target, new Set([...seen, name])) : undefined;
    }
    if (schema.type !== undefined) return [schema.type].flat() as TypeName[];
    const members = schema.anyOf ?? schema.oneOf;
    if (!members) return undefined;
    const types = members.map((member) => typesOf(member, seen));
    return types.every((t) => t !== undefined) ? [...new Set(types.flat())] : undefined;
  };

  const visit = (schema: JsonSchema): void => {
    if (isAnything(schema.additionalProperties)) schema.additionalProperties = true;
    if (isAnything(schema.items)) delete schema.items;
    if (schema.type === undefined && schema.$ref === undefined) {
      const types = typesOf(schema, new Set());
      if (types?.length) schema.type = types.length === 1 ? types[0] : types;
    }
    const children = [
      ...Object.values(schema.properties ?? {}),
      ...[schema.items, schema.additionalProperties].filter((s) => typeof s === "object" && !Array.isArray(s)),
      ...(schema.anyOf ?? []),
      ...(schema.oneOf ?? []),
      ...(schema.allOf ?? []),
      ...(schema.prefixItems ?? []),
    ] as JsonSchema[];
    children.forEach(visit);
  };

  const referred = new Set([...JSON.stringify(schemas).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]));
  for (const [name, schema] of Object.entries(schemas)) if (referred.has(name)) visit(schema);
  return schemas;
}

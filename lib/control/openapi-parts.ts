import { z } from "zod";

// Building blocks of the OpenAPI document (lib/control/openapi.ts and openapi-reads.ts): JSON
// Schema from the routes' own zod schemas, references, and the answers every route shares.

export const json = (schema: z.ZodType, io: "input" | "output" = "input") => z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" });

export const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
      required: ["code", "message"],
    },
  },
  required: ["error"],
};

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const body = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });
export const ok = (description: string, schema: object) => ({ description, content: { "application/json": { schema } } });
export const errors = {
  "400": ok("invalid input: details lists each field and its problem", ref("Error")),
  "401": ok("not signed in and no API token", ref("Error")),
  "403": ok("the caller's role is too low, or a browser request came from another origin", ref("Error")),
};
export const notFound = (what: string) => ({ "404": ok(`no such ${what}`, ref("Error")) });
export const pathParam = (name: string, description: string) => ({ name, in: "path", required: true, schema: { type: "string" }, description });

export function queryParameters(schema: z.ZodObject) {
  const s = json(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({ name, in: "query", required: s.required?.includes(name) ?? false, schema: p }));
}

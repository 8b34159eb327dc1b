import { z } from "zod";
import { roles } from "@/lib/auth/roles";
import { USER_ACTIONS, userActionBody } from "@/lib/schemas/users";

// The accounts part of the OpenAPI document (lib/control/openapi.ts): admins list the accounts and
// change one (lib/control/users.ts). Adding an account and making a token stay on the command line
// (`switchyard user add|token`): a password or a token is never sent through this API.

type Helpers = {
  json: (schema: z.ZodType, io?: "input" | "output") => object;
  ref: (name: string) => object;
  ok: (description: string, schema: object) => object;
  body: (name: string) => object;
  pathParam: (name: string, description: string) => object;
  errors: Record<string, object>;
};

const when = { type: ["string", "null"], format: "date-time" };
const person = {
  type: "object",
  properties: {
    id: { type: "string" },
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string", enum: [...roles] },
    createdAt: { type: "string", format: "date-time" },
    disabledAt: when,
    lastSignInAt: { ...when, description: "when their newest session still kept began (sessions last 14 days)" },
    sessions: { type: "integer", description: "sessions not yet expired" },
    tokens: {
      type: "array",
      items: {
        type: "object",
        properties: { id: { type: "string" }, name: { type: "string" }, createdAt: { type: "string", format: "date-time" }, lastUsedAt: when, expiresAt: when, state: { type: "string", enum: ["active", "expired", "revoked"] } },
      },
    },
  },
};

export function userSchemas(h: Pick<Helpers, "json">) {
  return { Person: person, UserAction: h.json(userActionBody) };
}

export function userPaths(h: Omit<Helpers, "json">) {
  return {
    "/api/v1/users": {
      get: { summary: "Every account with its role, sign-ins and API tokens (admin)", responses: { "200": h.ok("the accounts, enabled ones first", { type: "object", properties: { users: { type: "array", items: h.ref("Person") }, now: { type: "string", format: "date-time", description: "the server's time of this answer" } } }), ...h.errors } },
    },
    "/api/v1/users/{id}/{action}": {
      post: {
        summary:
          "Change an account (admin): role (body: role), disable (signed out everywhere, its API tokens refused), enable, or revoke-token (body: token, a name or an id). Refused (409, code last_admin) when it would leave no enabled admin",
        parameters: [h.pathParam("id", "the user's id or e-mail address"), { ...h.pathParam("action", "the account action"), schema: { type: "string", enum: [...USER_ACTIONS] } }],
        requestBody: h.body("UserAction"),
        responses: {
          "200": h.ok("what changed (changed is false when it already was so) and a message saying it", { type: "object", properties: { email: { type: "string" }, changed: { type: "boolean" }, message: { type: "string" } } }),
          "404": h.ok("no such user, or no live token of theirs with that name or id", h.ref("Error")),
          "409": h.ok("it would leave no enabled admin", h.ref("Error")),
          ...h.errors,
        },
      },
    },
  };
}

import { z } from "zod";
import { roles } from "@/lib/auth/roles";
import { PASSWORD_LINK_HOURS } from "@/lib/auth/password-links";
import { inviteUserSchema, joinSchema, newTokenSchema, revokeOwnTokenSchema, USER_ACTIONS, userActionBody } from "@/lib/schemas/users";

// The accounts part of the OpenAPI document (lib/control/openapi.ts): admins list the accounts,
// invite someone and change an account (lib/control/users.ts); the invited set their password
// with the one-time link (/api/v1/join). Everyone reads their own account and makes and revokes
// their own API tokens (/api/v1/account); an admin revokes anyone's. No admin ever sends or sees
// anyone's password.

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

const linkAnswer = {
  type: "object",
  properties: { email: { type: "string" }, link: { type: "string", description: "/join?token=…: put this site's address in front and send it" }, expiresAt: { type: "string", format: "date-time" }, message: { type: "string" } },
};

export function userSchemas(h: Pick<Helpers, "json">) {
  return {
    Person: person,
    UserAction: h.json(userActionBody),
    InviteUser: h.json(inviteUserSchema),
    Join: h.json(joinSchema),
    NewToken: h.json(newTokenSchema, "input"),
    RevokeOwnToken: h.json(revokeOwnTokenSchema),
  };
}

export function userPaths(h: Omit<Helpers, "json">) {
  return {
    "/api/v1/users": {
      get: { summary: "Every account with its role, sign-ins and API tokens (admin)", responses: { "200": h.ok("the accounts, enabled ones first", { type: "object", properties: { users: { type: "array", items: h.ref("Person") }, now: { type: "string", format: "date-time", description: "the server's time of this answer" } } }), ...h.errors } },
      post: {
        summary: `Invite someone (admin): their account with a role and no password, and a one-time link (link: a path on this site, shown only in this answer) with which they set their password within ${PASSWORD_LINK_HOURS} hours. With emailVia (an e-mail alert channel's name) the link is also e-mailed to them through that channel's mail server; emailed says whether it went (a failed send does not undo the invitation)`,
        requestBody: h.body("InviteUser"),
        responses: { "200": h.ok("the account, the link and when it expires", linkAnswer), "400": h.ok("bad input, or emailVia names no e-mail channel that can send", h.ref("Error")), "409": h.ok("that e-mail address already has an account", h.ref("Error")), ...h.errors },
      },
    },
    "/api/v1/account": {
      get: { summary: "Your own account: role, sign-ins and API tokens (anyone signed in)", responses: { "200": h.ok("your account", { type: "object", properties: { user: h.ref("Person"), now: { type: "string", format: "date-time" } } }), ...h.errors } },
    },
    "/api/v1/account/tokens": {
      post: {
        summary:
          "Make an API token of your own (a signed-in browser session only: 403 session_required with an API token). It acts as you, with your role, until expiresInDays (default 90; null: never); the answer holds the token, only this once",
        requestBody: h.body("NewToken"),
        responses: {
          "200": h.ok("the token and when it expires", { type: "object", properties: { id: { type: "string" }, name: { type: "string" }, token: { type: "string", description: "sy_…: send it as Authorization: Bearer <token>" }, expiresAt: when, message: { type: "string" } } }),
          ...h.errors,
        },
      },
    },
    "/api/v1/account/tokens/revoke": {
      post: {
        summary: "Revoke one of your own API tokens (by id, or every live one of a name): refused from its next call. A token may revoke itself",
        requestBody: h.body("RevokeOwnToken"),
        responses: { "200": h.ok("what was revoked", { type: "object", properties: { revoked: { type: "integer" }, tokenIds: { type: "array", items: { type: "string" } }, message: { type: "string" } } }), "404": h.ok("you have no live token with that name or id", h.ref("Error")), ...h.errors },
      },
    },
    "/api/v1/join": {
      post: {
        summary: "Set a password with a one-time link an admin made (needs no sign-in: the link's token is the credential); it ends the account's sessions",
        security: [],
        requestBody: h.body("Join"),
        responses: { "200": h.ok("whose password was set", { type: "object", properties: { email: { type: "string" } } }), "400": h.ok("a short password, or the link is invalid, expired or used (code link_refused)", h.ref("Error")) },
      },
    },
    "/api/v1/users/{id}/{action}": {
      post: {
        summary:
          "Change an account (admin): role (body: role), disable (signed out everywhere, its API tokens refused), enable, revoke-token (body: token, a name or an id), or password-link (a one-time link, in link, with which they set a new password; with emailVia, an e-mail alert channel's name, it is e-mailed to them too, and emailed says whether it went). Refused (409, code last_admin) when it would leave no enabled admin",
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

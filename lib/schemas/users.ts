import { z } from "zod";
import { DEFAULT_TOKEN_DAYS, TOKEN_NAME } from "@/lib/auth/api-tokens";
import { roles } from "@/lib/auth/roles";

// POST /api/v1/users/{user}/{action}: what an admin may do to an account (lib/control/users.ts).
// {user} is the account's id or its e-mail address.
export const USER_ACTIONS = ["role", "disable", "enable", "revoke-token", "password-link"] as const;

const userRef = z
  .string()
  .trim()
  .regex(/^[^\s\p{Cc}]{1,320}$/u, "expected a user's id or e-mail address (see GET /api/v1/users or switchyard user list)");

/** The body: role for role, token for revoke-token, emailVia (optional) for password-link, an optional reason for every action. */
export const userActionBody = z.strictObject({
  role: z.enum(roles, { message: `expected a role: ${roles.join(", ")}` }).optional(),
  token: z.string().trim().min(1, "expected a token's name or id").max(200, "at most 200 characters").optional(),
  /** password-link: the name of an e-mail alert channel whose mail server e-mails them the link too */
  emailVia: z.string("expected an e-mail channel's name").trim().min(1, "must not be empty").max(63, "at most 63 characters").optional(),
  reason: z.string().trim().max(1000, "at most 1000 characters").optional(),
});

export const userActionSchema = userActionBody
  .extend({ id: userRef, action: z.enum(USER_ACTIONS, { message: `the action must be one of: ${USER_ACTIONS.join(", ")}` }) })
  .superRefine((v, ctx) => {
    if (v.action === "role" && !v.role) ctx.addIssue({ code: "custom", path: ["role"], message: `role needs the new role: ${roles.join(", ")}` });
    if (v.action === "revoke-token" && !v.token) ctx.addIssue({ code: "custom", path: ["token"], message: "revoke-token needs the token's name or id" });
    if (v.action !== "role" && v.role) ctx.addIssue({ code: "custom", path: ["role"], message: `only the role action takes a role (this is ${v.action})` });
    if (v.action !== "revoke-token" && v.token) ctx.addIssue({ code: "custom", path: ["token"], message: `only revoke-token takes a token (this is ${v.action})` });
    if (v.action !== "password-link" && v.emailVia) ctx.addIssue({ code: "custom", path: ["emailVia"], message: `only password-link takes emailVia (this is ${v.action})` });
  });
export type UserAction = z.infer<typeof userActionSchema>;

/** POST /api/v1/users: invite someone (their account, and a one-time link to set their password). */
export const inviteUserSchema = z.strictObject({
  email: z
    .string("expected an e-mail address")
    .trim()
    .max(320, "at most 320 characters")
    .regex(/^[^\s@]+@[^\s@]+$/, "expected an e-mail address such as ops@example.com"),
  name: z.string("expected a name").trim().min(1, "must not be empty").max(200, "at most 200 characters"),
  role: z.enum(roles, { message: `expected a role: ${roles.join(", ")}` }),
  /** the name of an e-mail alert channel whose SMTP server and sender e-mail them the link too */
  emailVia: z.string("expected an e-mail channel's name").trim().min(1, "must not be empty").max(63, "at most 63 characters").optional(),
  reason: z.string().trim().max(1000, "at most 1000 characters").optional(),
});

/** POST /api/v1/join: the one-time link's token and the password its owner chose. */
export const joinSchema = z.strictObject({
  token: z.string("expected the token from the link").min(1, "expected the token from the link").max(200, "not a link's token"),
  password: z.string("expected a password"),
});

/** POST /api/v1/account/tokens: an API token of one's own, for scripts; it expires after expiresInDays (null: never). */
export const newTokenSchema = z.strictObject({
  name: z.string("expected the token's name").trim().min(1, "must not be empty").max(200, "at most 200 characters").regex(TOKEN_NAME, "no line breaks or other control characters"),
  expiresInDays: z
    .union([z.number().int("expected a whole number of days").min(1, "at least 1 day").max(3650, "at most 3650 days (ten years); null for never"), z.null()], {
      message: "expected a number of days (1–3650) or null for never",
    })
    .default(DEFAULT_TOKEN_DAYS),
  reason: z.string().trim().max(1000, "at most 1000 characters").optional(),
});

/** POST /api/v1/account/tokens/revoke: one of one's own tokens, by id (or every live one of a name). */
export const revokeOwnTokenSchema = z.strictObject({
  token: z.string("expected a token's name or id").trim().min(1, "expected a token's name or id").max(200, "at most 200 characters"),
  reason: z.string().trim().max(1000, "at most 1000 characters").optional(),
});

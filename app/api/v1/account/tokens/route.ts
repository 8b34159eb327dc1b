// POST /api/v1/account/tokens – {name, expiresInDays (default 90; null: never)}: an API token of one's own, with one's
// role; the answer holds the token, once. Signed in only: an API token cannot make another (audited as token.create).
import { withApi } from "@/lib/api/handler";
import { createUserToken } from "@/lib/control/users";
import { getPool } from "@/lib/db/client";
import { newTokenSchema } from "@/lib/schemas/users";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "viewer", input: newTokenSchema, sessionOnly: true }, ({ input, actor }) =>
  createUserToken(getPool(), actor, {
    user: actor.id,
    name: input.name,
    expiresAt: input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * 86_400_000),
    reason: input.reason,
  }),
);

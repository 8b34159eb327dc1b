// POST /api/v1/account/tokens/revoke – {token: id or name}: revokes one of one's own API tokens, refused from its next call
// (audited as token.revoke). A token may revoke itself: whoever holds one that leaked can stop it at once.
import { withApi } from "@/lib/api/handler";
import { revokeUserToken } from "@/lib/control/users";
import { getPool } from "@/lib/db/client";
import { revokeOwnTokenSchema } from "@/lib/schemas/users";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "viewer", input: revokeOwnTokenSchema }, ({ input, actor }) =>
  revokeUserToken(getPool(), actor, { user: actor.id, token: input.token, reason: input.reason }),
);

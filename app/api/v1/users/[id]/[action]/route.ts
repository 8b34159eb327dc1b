// POST /api/v1/users/{user}/role – {"role": "viewer|operator|admin"}
// POST /api/v1/users/{user}/disable|enable – sign them out everywhere and refuse their tokens, or let them back
// POST /api/v1/users/{user}/revoke-token – {"token": name or id}
// POST /api/v1/users/{user}/password-link – a one-time link (shown once) with which they set a new password; {"emailVia":
//   an e-mail channel's name} e-mails it to them too
// Admins only; each is audited (lib/control/users.ts). {user} is an id or an e-mail address.
import { withApi } from "@/lib/api/handler";
import { siteOf } from "@/lib/config/public-url";
import { emailLinkIfAsked } from "@/lib/control/email-link";
import { passwordLinkAction, revokeUserToken, setUserDisabled, setUserRole } from "@/lib/control/users";
import { getPool } from "@/lib/db/client";
import { userActionSchema } from "@/lib/schemas/users";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "admin", input: userActionSchema }, async ({ input, actor, request }) => {
  const pool = getPool();
  const target = { user: input.id, reason: input.reason };
  switch (input.action) {
    case "role":
      return setUserRole(pool, actor, { ...target, role: input.role! });
    case "revoke-token":
      return revokeUserToken(pool, actor, { ...target, token: input.token! });
    case "password-link": {
      const made = await passwordLinkAction(pool, actor, { ...target, emailVia: input.emailVia });
      return emailLinkIfAsked(pool, actor, made, { emailVia: input.emailVia, invitedAs: null, site: siteOf(request.headers, request.nextUrl.origin), reason: input.reason });
    }
    default:
      return setUserDisabled(pool, actor, target, input.action === "disable");
  }
});

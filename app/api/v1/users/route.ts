// GET /api/v1/users – every account with its role, sign-ins and API tokens (admins only)
// POST /api/v1/users – invite someone: {email, name, role, emailVia?}; the answer's link (shown once) lets them set a
// password; with emailVia (an e-mail alert channel's name) it is e-mailed to them too, and `emailed` says whether it went
import { withApi } from "@/lib/api/handler";
import { siteOf } from "@/lib/config/public-url";
import { emailLinkIfAsked } from "@/lib/control/email-link";
import { inviteUser } from "@/lib/control/users";
import { getPool } from "@/lib/db/client";
import { selectPeople } from "@/lib/db/queries/select-people";
import { inviteUserSchema } from "@/lib/schemas/users";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "admin" }, async () => {
  const now = new Date();
  return { users: await selectPeople(getPool(), now), now: now.toISOString() };
});

export const POST = withApi({ role: "admin", input: inviteUserSchema }, async ({ input, actor, request }) => {
  const invited = await inviteUser(getPool(), actor, input);
  return emailLinkIfAsked(getPool(), actor, invited, { emailVia: input.emailVia, invitedAs: invited.role, site: siteOf(request.headers, request.nextUrl.origin), reason: input.reason });
});

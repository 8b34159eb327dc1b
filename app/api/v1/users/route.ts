// GET /api/v1/users – every account with its role, sign-ins and API tokens (admins only)
// POST /api/v1/users – invite someone: {email, name, role, emailVia?}; the answer's link (shown once) lets them set a
// password; with emailVia (an e-mail alert channel's name) it is e-mailed to them too, and `emailed` says whether it went
import { withApi } from "@/lib/api/handler";
import { emailPasswordLink, siteOf, withEmailed } from "@/lib/control/email-link";
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
  const pool = getPool();
  const invited = await inviteUser(pool, actor, input);
  if (!input.emailVia) return invited;
  const url = new URL(invited.link, siteOf(request.headers, request.nextUrl.origin)).href;
  const emailed = await emailPasswordLink(pool, actor, { userId: invited.id, email: invited.email, invitedAs: invited.role, channel: input.emailVia, url, expiresAt: invited.expiresAt, reason: input.reason });
  return withEmailed(invited, emailed);
});

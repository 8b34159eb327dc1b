// GET /api/v1/users – every account with its role, sign-ins and API tokens (admins only)
// POST /api/v1/users – invite someone: {email, name, role, emailVia?}; the answer's link (shown once) lets them set a
// password; with emailVia (an e-mail alert channel's name) it is e-mailed to them too, and `emailed` says whether it went
import type { NextRequest } from "next/server";
import { withApi } from "@/lib/api/handler";
import { emailInvitation } from "@/lib/control/email-link";
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
  const url = new URL(invited.link, siteOf(request)).href;
  const emailed = await emailInvitation(pool, actor, { userId: invited.id, email: invited.email, role: invited.role, channel: input.emailVia, url, expiresAt: invited.expiresAt, reason: input.reason });
  const said = emailed.delivered ? `It was e-mailed to them too (channel ${emailed.channel})` : `E-mailing it failed (${emailed.error}): send it to them yourself`;
  return { ...invited, emailed, message: `${invited.message}. ${said}` };
});

/** The dashboard's address as the invited person will reach it: the public one when set, else the one the admin is using. */
function siteOf(request: NextRequest): string {
  const origin = request.headers.get("origin");
  const host = request.headers.get("host");
  const own = host ? `${request.headers.get("x-forwarded-proto") ?? request.nextUrl.protocol.replace(/:$/, "")}://${host}` : request.nextUrl.origin;
  return process.env.SWITCHYARD_PUBLIC_URL?.trim() || (origin && /^https?:\/\/[^/]+$/.test(origin) ? origin : own);
}

import type pg from "pg";
import { findChannel, loadAllChannels, type LoadedChannel } from "@/lib/alerts/channels/load-channels";
import { sendEmailVia } from "@/lib/alerts/transports";
import { PASSWORD_LINK_HOURS } from "@/lib/auth/password-links";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { invalid } from "@/lib/control/errors";
import type { Queryable } from "@/lib/db/runs/run-columns";

// A one-time password link (an invitation, a forgotten password) e-mailed to the person it is for, through an e-mail alert channel's SMTP
// server and sender (Switchyard has no mail settings of its own; the channel has them, tested on the
// Channels page). The link is made first and stays made: a failed send is an answer (the
// admin still has the link to send another way), not an error. Audited as user.link-email, an
// external call: an intent row before the send and its outcome after, neither with the link.

export type EmailedLink = { channel: string; to: string; delivered: boolean; error: string | null };

const usable = (c: LoadedChannel) => c.type === "email" && !c.secretsError;

/** The e-mail channels a link can be sent through, by name. */
export async function emailChannelNames(db: Queryable): Promise<string[]> {
  return (await loadAllChannels(db)).filter(usable).map((c) => c.name);
}

/** Refuses, before anything is made, a channel that cannot send the link. */
export async function requireEmailChannel(db: Queryable, name: string): Promise<void> {
  const channel = await findChannel(db, name);
  if (!channel) throw invalid(`there is no alert channel "${name}" to e-mail the link with (see the Channels page)`);
  if (channel.type !== "email") throw invalid(`the channel "${name}" is a ${channel.type} channel: only an e-mail channel can send the link`);
  if (channel.secretsError) throw invalid(`the channel "${name}" cannot send: ${channel.secretsError}`);
}

/**
 * E-mails a one-time link to the person it is for: an invitation (`invitedAs` their role) or a link
 * that sets a new password.
 */
export async function emailPasswordLink(
  pool: pg.Pool,
  actor: Actor,
  input: { userId: string; email: string; invitedAs: string | null; channel: string; url: string; expiresAt: string; reason?: string },
): Promise<EmailedLink> {
  return audited(
    pool,
    actor,
    { intent: "user.link-email", targetId: input.userId, reason: input.reason },
    async (db) => {
      // read again: this runs after the link's own transaction committed, and the channel may have gone since
      const channel = await findChannel(db, input.channel);
      const until = `${input.expiresAt.slice(0, 16).replace("T", " ")} UTC`;
      const why = input.invitedAs
        ? `${actorName(actor)} invited you to Switchyard, where your team's pipelines are watched and re-run, as ${input.invitedAs}.\n\nOpen this link to choose your password`
        : `${actorName(actor)} made you a link that sets a new Switchyard password (your current one works until you use it).\n\nOpen it to choose the new password`;
      const text =
        `${why} (it works once, until ${until}, about ${PASSWORD_LINK_HOURS} hours from now):\n\n${input.url}\n\n` +
        "Your sign-in name is this e-mail address. If you did not expect this, ignore it: nothing happens without the link.\n";
      let error: string | null = null;
      try {
        if (!channel) throw new Error(`the channel "${input.channel}" is gone`);
        await sendEmailVia(channel, { to: input.email, subject: input.invitedAs ? "[switchyard] You are invited" : "[switchyard] A link to set your password", text });
      } catch (e) {
        error = (e as Error).message;
      }
      return { channel: input.channel, to: input.email, delivered: error === null, error };
    },
    (r) => r,
  );
}

/**
 * After an invitation or a password link was made (`made`): when `emailVia` names a channel, e-mails
 * the link to its person and says in the answer what became of it (`emailed`, and a sentence more).
 */
export async function emailLinkIfAsked<R extends { id: string; email: string; link: string; expiresAt: string; message: string }>(
  pool: pg.Pool,
  actor: Actor,
  made: R,
  ask: { emailVia?: string; invitedAs: string | null; site: string; reason?: string },
): Promise<R | (R & { emailed: EmailedLink })> {
  if (!ask.emailVia) return made;
  const url = new URL(made.link, ask.site).href;
  const emailed = await emailPasswordLink(pool, actor, { userId: made.id, email: made.email, invitedAs: ask.invitedAs, channel: ask.emailVia, url, expiresAt: made.expiresAt, reason: ask.reason });
  const said = emailed.delivered ? `It was e-mailed to them too (channel ${emailed.channel})` : `E-mailing it failed (${emailed.error}): send it to them yourself`;
  return { ...made, emailed, message: `${made.message}. ${said}` };
}

const actorName = (actor: Actor) => (actor.kind === "system" ? "An admin" : actor.name);

import type pg from "pg";
import { environmentChannels, loadChannels, type LoadedChannel } from "@/lib/alerts/channels/load-channels";
import { sendEmailVia } from "@/lib/alerts/transports";
import { PASSWORD_LINK_HOURS } from "@/lib/auth/password-links";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { invalid } from "@/lib/control/errors";
import type { Queryable } from "@/lib/db/runs/run-columns";

// An invitation's link e-mailed to the person it is for, through an e-mail alert channel's SMTP
// server and sender (Switchyard has no mail settings of its own; the channel has them, tested on the
// Channels page). The invitation is made first and stays made: a failed send is an answer (the
// admin still has the link to send another way), not an error. Audited as user.link-email, an
// external call: an intent row before the send and its outcome after, neither with the link.

export type EmailedLink = { channel: string; to: string; delivered: boolean; error: string | null };

const usable = (c: LoadedChannel) => c.type === "email" && !c.secretsError;

/** The e-mail channels a link can be sent through, by name. */
export async function emailChannelNames(db: Queryable): Promise<string[]> {
  return (await loadChannels(db, environmentChannels().channels)).filter(usable).map((c) => c.name);
}

/** Refuses, before anything is made, a channel that cannot send the link. */
export async function requireEmailChannel(db: Queryable, name: string): Promise<void> {
  const channel = (await loadChannels(db, environmentChannels().channels)).find((c) => c.name === name);
  if (!channel) throw invalid(`there is no alert channel "${name}" to e-mail the link with (see the Channels page)`);
  if (channel.type !== "email") throw invalid(`the channel "${name}" is a ${channel.type} channel: only an e-mail channel can send the link`);
  if (channel.secretsError) throw invalid(`the channel "${name}" cannot send: ${channel.secretsError}`);
}

export async function emailInvitation(
  pool: pg.Pool,
  actor: Actor,
  input: { userId: string; email: string; role: string; channel: string; url: string; expiresAt: string; reason?: string },
): Promise<EmailedLink> {
  return audited(
    pool,
    actor,
    { intent: "user.link-email", targetId: input.userId, reason: input.reason },
    async (db) => {
      const channel = (await loadChannels(db, environmentChannels().channels)).find((c) => c.name === input.channel);
      const until = `${input.expiresAt.slice(0, 16).replace("T", " ")} UTC`;
      const text =
        `${actorName(actor)} invited you to Switchyard, where your team's pipelines are watched and re-run, as ${input.role}.\n\n` +
        `Open this link to choose your password (it works once, until ${until}, about ${PASSWORD_LINK_HOURS} hours from now):\n\n${input.url}\n\n` +
        "Your sign-in name is this e-mail address. If you did not expect this, ignore it: nothing happens without the link.\n";
      let error: string | null = null;
      try {
        if (!channel) throw new Error(`the channel "${input.channel}" is gone`);
        await sendEmailVia(channel, { to: input.email, subject: "[switchyard] You are invited", text });
      } catch (e) {
        error = (e as Error).message;
      }
      return { channel: input.channel, to: input.email, delivered: error === null, error };
    },
    (r) => r,
  );
}

const actorName = (actor: Actor) => (actor.kind === "system" ? "An admin" : actor.name);

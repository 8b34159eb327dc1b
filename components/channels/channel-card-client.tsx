"use client";

import { useState } from "react";
import { ConfirmAction } from "@/components/actions/confirm-action-client";
import { BUTTON } from "@/components/actions/action-dialog-client";
import { ChannelForm } from "@/components/channels/channel-form-client";
import { TestSend } from "@/components/channels/test-send-client";
import { formatUtc } from "@/components/format/format";
import { DeliveryRow } from "@/components/incidents/deliveries-table";
import { STACKED_TABLE } from "@/components/ui/table";
import type { ChannelsData } from "@/lib/presenters/get-channels-data";

// One channel: its kind, where it comes from, its state, what it wants, its masked target (admins
// only), the admin's actions, and its delivery log (incident messages, digests, test sends).

type Channel = ChannelsData["channels"][number];

const SOURCE = { env: "from the environment (SWITCHYARD_ALERT_CHANNELS), read-only", file: "from the services file: its next sync overwrites edits", api: "added here" };

function wants(c: Channel): string {
  const parts = [c.rules ? `rules ${c.rules.join(", ")}` : "every rule", c.services ? `services ${c.services.join(", ")}` : "every service", c.severities ? `severities ${c.severities.join(", ")}` : "every severity"];
  return parts.join("; ");
}

const TONE = { ok: "text-emerald-700 dark:text-emerald-400", held: "text-amber-700 dark:text-amber-400", failing: "text-red-700 dark:text-red-400" };

/** What the card says of the channel: why it is not sent to, that it is failing, or active. */
function channelState(c: Channel): { state: string; tone: string } {
  if (c.shadowed) return { state: "not used: the environment has a channel of this name", tone: TONE.held };
  if (c.secretsError) return { state: "cannot send", tone: TONE.held };
  if (c.paused) return { state: "paused", tone: TONE.held };
  if (c.failing) {
    const n = c.failing.undelivered;
    return { state: `failing since ${formatUtc(c.failing.since).slice(0, 11)} UTC: ${n} message${n === 1 ? "" : "s"} not delivered`, tone: TONE.failing };
  }
  return { state: "active", tone: TONE.ok };
}

export function ChannelCard({ channel: c, now, isAdmin }: { channel: Channel; now: string; isAdmin: boolean }) {
  const [editing, setEditing] = useState(false);
  const stored = c.source !== "env";
  const { state, tone } = channelState(c);
  return (
    <section aria-label={`Channel ${c.name}`} className="space-y-2 rounded border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 className="text-lg font-semibold">{c.name}</h2>
        <span className="text-sm">{c.type}</span>
        <span data-testid="channel-state" className={`text-sm ${tone}`}>
          {state}
        </span>
        <span className="text-xs text-zinc-500">{SOURCE[c.source]}</span>
      </div>
      {c.secretsError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          This channel {c.secretsError}.
        </p>
      ) : null}
      <dl className="grid gap-x-4 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-zinc-500">Wants</dt>
        <dd>{wants(c)}</dd>
        {c.quietHours ? (
          <>
            <dt className="text-zinc-500">Quiet hours</dt>
            <dd>
              {c.quietHours.from}–{c.quietHours.to} {c.quietHours.timeZone} (only critical)
            </dd>
          </>
        ) : null}
        <dt className="text-zinc-500">Daily digest</dt>
        <dd>{c.digest ? `${c.digest.time} ${c.digest.timeZone}` : "none"}</dd>
        {c.type === "email" ? (
          <>
            <dt className="text-zinc-500">E-mail</dt>
            <dd>
              from {String(c.target.from)} to {Array.isArray(c.target.to) ? c.target.to.join(", ") : ""}
            </dd>
          </>
        ) : null}
        {c.secrets
          ? Object.entries(c.secrets).map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-zinc-500">{k}</dt>
                <dd className="font-mono text-xs">{v}</dd>
              </div>
            ))
          : null}
      </dl>
      {isAdmin ? (
        <div className="flex flex-wrap items-center gap-2">
          <TestSend name={c.name} />
          {stored ? (
            <>
              <button type="button" className={BUTTON.small} onClick={() => setEditing(!editing)} aria-label={`Edit channel ${c.name}`}>
                Edit
              </button>
              <ConfirmAction
                small
                label={c.paused ? "Resume" : "Pause"}
                ariaLabel={`${c.paused ? "Resume" : "Pause"} channel ${c.name}`}
                title={`${c.paused ? "Resume" : "Pause"} channel ${c.name}`}
                sentence={c.paused ? `Send new messages to ${c.name} again.` : `Send nothing new to ${c.name}: its messages are recorded as skipped until it is resumed.`}
                request={{ url: `/api/v1/alert-channels/${encodeURIComponent(c.name)}/${c.paused ? "resume" : "pause"}`, body: {} }}
              />
              <ConfirmAction
                small
                danger
                label="Delete"
                ariaLabel={`Delete channel ${c.name}`}
                title={`Delete channel ${c.name}`}
                sentence={`Delete ${c.name}: it gets nothing more, and messages still queued for it fail as "no longer configured".`}
                request={{ url: `/api/v1/alert-channels/${encodeURIComponent(c.name)}/delete`, body: {} }}
              />
            </>
          ) : null}
        </div>
      ) : null}
      {editing ? <ChannelForm channel={c} onDone={() => setEditing(false)} /> : null}
      <table className={`w-full text-left text-sm ${STACKED_TABLE}`} aria-label={`Deliveries to ${c.name}`}>
        <tbody>
          {c.deliveries.length === 0 ? (
            <tr>
              <td className="py-1 text-zinc-500">No deliveries yet.</td>
            </tr>
          ) : null}
          {c.deliveries.map((d) => (
            <DeliveryRow key={d.id} delivery={d} now={now} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

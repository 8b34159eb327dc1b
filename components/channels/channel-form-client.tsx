"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { BUTTON } from "@/components/actions/action-dialog-client";
import { ActionError, sendAction } from "@/components/actions/post-action";
import { ReasonField } from "@/components/actions/reason-field";
import { bodyOf, draftOf, emptyDraft, type Draft } from "@/components/channels/channel-draft";
import { dashboardKeys } from "@/components/live/query-keys";
import type { ChannelView } from "@/lib/alerts/channels/stored-channel";
import { ALERT_RULES, SEVERITIES } from "@/lib/schemas/alert-channels";

// Adding or editing a stored channel (admins). The server validates (a malformed URL or SMTP host
// is refused with the field named, shown here); secrets are never filled in: on an edit the
// masked value is the placeholder and a blank field keeps it.

const INPUT = "block w-full rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950";

export function ChannelForm({ channel, onDone }: { channel?: ChannelView; onDone: () => void }) {
  const editing = channel !== undefined;
  const [draft, setDraft] = useState<Draft>(channel ? draftOf(channel) : emptyDraft);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const queryClient = useQueryClient();
  const prefix = useId();
  const reasonId = useId();
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const masked = (field: string) => (channel?.secrets?.[field] ? `${channel.secrets[field]} — leave blank to keep` : "");

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const body = bodyOf(draft, editing, reason);
      if (editing) await sendAction(`/api/v1/alert-channels/${encodeURIComponent(channel.name)}`, body, "PATCH");
      else await sendAction("/api/v1/alert-channels", body, "POST");
      await queryClient.invalidateQueries({ queryKey: [...dashboardKeys.all, "channels"] });
      onDone();
    } catch (e) {
      setError(e instanceof ActionError ? e.message : (e as Error).message);
    } finally {
      setSaving(false);
    }
  }

  const field = (key: keyof Draft, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label className="block space-y-1 text-sm" htmlFor={`${prefix}-${key}`}>
      <span className="font-medium">{label}</span>
      <input id={`${prefix}-${key}`} className={INPUT} value={draft[key] as string} onChange={(e) => set({ [key]: e.target.value })} {...props} />
    </label>
  );
  const checks = (key: "rules" | "severities", label: string, options: readonly string[]) => (
    <fieldset className="space-y-1 text-sm">
      <legend className="font-medium">{label} (none ticked: all)</legend>
      <div className="flex flex-wrap gap-3">
        {options.map((o) => (
          <label key={o} className="flex items-center gap-1">
            <input type="checkbox" checked={draft[key].includes(o)} onChange={(e) => set({ [key]: e.target.checked ? [...draft[key], o] : draft[key].filter((x) => x !== o) })} />
            {o}
          </label>
        ))}
      </div>
    </fieldset>
  );

  return (
    <form onSubmit={save} className="grid gap-3 rounded border border-zinc-200 p-3 sm:grid-cols-2 dark:border-zinc-800" aria-label={editing ? `Edit channel ${channel.name}` : "Add a channel"}>
      {field("name", "Name", { readOnly: editing, placeholder: "growth-slack" })}
      <label className="block space-y-1 text-sm" htmlFor={`${prefix}-type`}>
        <span className="font-medium">Kind</span>
        <select id={`${prefix}-type`} className={INPUT} value={draft.type} onChange={(e) => set({ type: e.target.value as Draft["type"] })}>
          <option value="slack">Slack incoming webhook</option>
          <option value="webhook">Webhook (signed JSON)</option>
          <option value="email">E-mail (SMTP)</option>
        </select>
      </label>
      {draft.type !== "email" ? field("url", draft.type === "slack" ? "Slack webhook URL" : "Webhook URL", { placeholder: masked("url") || "https://…", autoComplete: "off" }) : null}
      {draft.type === "webhook" ? field("secret", "Signing secret (16+ characters)", { type: "password", placeholder: masked("secret"), autoComplete: "new-password" }) : null}
      {draft.type === "email" ? (
        <>
          {field("smtpUrl", "SMTP URL", { placeholder: masked("smtpUrl") || "smtp://user:password@mail.example.com:587", autoComplete: "off" })}
          {field("from", "From", { placeholder: "switchyard@example.com" })}
          {field("to", "To (comma-separated)", { placeholder: "oncall@example.com" })}
        </>
      ) : null}
      {field("services", "Services (names or labels like team=growth; empty: all)")}
      {checks("rules", "Rules", ALERT_RULES)}
      {checks("severities", "Severities", SEVERITIES)}
      <div className="grid grid-cols-3 gap-2">
        {field("quietFrom", "Quiet from", { type: "time" })}
        {field("quietTo", "Quiet to", { type: "time" })}
        {field("quietTimeZone", "Time zone")}
      </div>
      <div className="grid grid-cols-2 gap-2">
        {field("digestTime", "Daily digest at (empty: none)", { type: "time" })}
        {field("digestTimeZone", "Digest time zone")}
      </div>
      <div className="sm:col-span-2">
        <ReasonField id={reasonId} value={reason} onChange={setReason} />
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700 sm:col-span-2 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <div className="flex gap-2 sm:col-span-2">
        <button type="submit" className={BUTTON.primary} disabled={saving}>
          {editing ? "Save changes" : "Add channel"}
        </button>
        <button type="button" className={BUTTON.default} onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { BUTTON } from "@/components/actions/action-dialog-client";
import { ChannelCard } from "@/components/channels/channel-card-client";
import { ChannelForm } from "@/components/channels/channel-form-client";
import { fetchJson } from "@/components/live/fetch-json";
import { FAST_POLL_MS, SLOW_POLL_MS } from "@/components/live/query-options";
import { dashboardKeys } from "@/components/live/query-keys";
import type { ChannelsData } from "@/lib/presenters/get-channels-data";

// The Channels page's live half: the list refreshes quickly while a delivery is pending (a test
// send or a digest on its way), slowly otherwise; admins add channels here.

const busy = (d: ChannelsData) => d.channels.some((c) => c.deliveries.some((x) => x.status === "pending" || x.status === "sending"));

export function ChannelsClient({ initialData, isAdmin }: { initialData: ChannelsData; isAdmin: boolean }) {
  const [adding, setAdding] = useState(false);
  const { data } = useQuery({
    queryKey: [...dashboardKeys.all, "channels"],
    queryFn: ({ signal }) => fetchJson<ChannelsData>("/api/v1/alert-channels", signal),
    initialData,
    refetchInterval: (q) => (q.state.data && busy(q.state.data) ? FAST_POLL_MS : SLOW_POLL_MS),
  });
  return (
    <div className="space-y-4">
      {data.environmentError ? (
        <p role="alert" className="rounded border border-red-300 p-2 text-sm text-red-800 dark:border-red-800 dark:text-red-300">
          {data.environmentError}
        </p>
      ) : null}
      {data.environmentsDiffer.length > 0 ? (
        <div data-testid="environments-differ" className="max-w-prose rounded border border-amber-300 p-2 text-sm text-amber-900 dark:border-amber-700 dark:text-amber-300">
          <p>
            The processes do not all list the same channels in SWITCHYARD_ALERT_CHANNELS (a change rolling out, or one started with another environment). A process sends only to the
            channels it lists; a message for another waits up to 10 minutes for one that does.
          </p>
          <ul className="mt-1 list-disc pl-5">
            {data.environmentsDiffer.map((c) => (
              <li key={c.channel}>
                <span className="font-medium">{c.channel}</span>: listed by {c.sentBy.join(", ")}; not by {c.notBy.join(", ")}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {isAdmin ? (
        adding ? (
          <ChannelForm onDone={() => setAdding(false)} />
        ) : (
          <button type="button" className={BUTTON.primary} onClick={() => setAdding(true)}>
            Add a channel
          </button>
        )
      ) : (
        <p className="text-sm text-zinc-500">Read-only: only admins add, edit, pause or test channels.</p>
      )}
      {data.channels.length === 0 ? (
        <p className="text-sm text-zinc-500">
          {data.environmentsDiffer.length > 0 ? "No channels in this web server's environment, and none stored." : "No channels yet: nothing is sent anywhere."}
        </p>
      ) : null}
      {data.channels.map((c) => (
        <ChannelCard key={`${c.source}:${c.name}`} channel={c} now={data.now} isAdmin={isAdmin} />
      ))}
    </div>
  );
}

"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { BUTTON } from "@/components/actions/action-dialog-client";
import { postAction } from "@/components/actions/post-action";
import { dashboardKeys } from "@/components/live/query-keys";
import type { TestSendResult } from "@/lib/control/test-alert-channel";

// Test-send: the server sends now, through the channel's own transport, and answers with what
// happened ("webhook 127.0.0.1:9 answered 500"); the answer stays beside the button.

export function TestSend({ name }: { name: string }) {
  const queryClient = useQueryClient();
  const send = useMutation({
    mutationFn: () => postAction<TestSendResult>(`/api/v1/alert-channels/${encodeURIComponent(name)}/test`, {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: [...dashboardKeys.all, "channels"] }),
  });
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button type="button" className={BUTTON.small} onClick={() => send.mutate()} disabled={send.isPending} aria-label={`Test-send to ${name}`}>
        {send.isPending ? "Sending…" : "Test send"}
      </button>
      <span role="status" className="text-xs">
        {send.data?.delivered ? <span className="text-emerald-700 dark:text-emerald-400">delivered</span> : null}
        {send.data && !send.data.delivered ? <span className="text-red-700 dark:text-red-400">not delivered: {send.data.error}</span> : null}
        {send.error ? <span className="text-red-700 dark:text-red-400">{send.error.message}</span> : null}
      </span>
    </span>
  );
}

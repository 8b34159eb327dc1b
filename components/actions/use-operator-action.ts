"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ActionRequest } from "@/components/actions/action-requests";
import { postAction } from "@/components/actions/post-action";
import { dashboardKeys } from "@/components/live/query-keys";

/** Sends one operator action; afterwards every dashboard read model is refreshed at once. */
export function useOperatorAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: ActionRequest) => postAction<unknown>(request.url, request.body),
    onSettled: () => client.invalidateQueries({ queryKey: dashboardKeys.all }),
  });
}

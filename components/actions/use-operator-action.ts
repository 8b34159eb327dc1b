"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef } from "react";
import type { ActionRequest } from "@/components/actions/action-requests";
import { postAction } from "@/components/actions/post-action";
import { dashboardKeys } from "@/components/live/query-keys";

/**
 * Sends one operator action; afterwards every dashboard read model is refreshed at once. `send`
 * sends it only when none is under way: two clicks can land before React re-renders the disabled
 * button, so a ref guards it too.
 */
export function useOperatorAction() {
  const client = useQueryClient();
  const inFlight = useRef(false);
  const mutation = useMutation({
    mutationFn: (request: ActionRequest) => postAction<unknown>(request.url, request.body),
    onSettled: () => client.invalidateQueries({ queryKey: dashboardKeys.all }),
  });
  const { mutate, isPending } = mutation;
  const send = useCallback(
    (request: ActionRequest) => {
      if (inFlight.current || isPending) return;
      inFlight.current = true;
      mutate(request, {
        onSettled: () => {
          inFlight.current = false;
        },
      });
    },
    [mutate, isPending],
  );
  return { ...mutation, send };
}

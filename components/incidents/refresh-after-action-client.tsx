"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * The Incidents page is rendered on the server, so the dashboard's query invalidation after an
 * operator action (use-operator-action.ts) does not reach it: this re-renders it when an action
 * succeeds, so an acknowledged incident shows who is on it without a reload.
 */
export function RefreshAfterAction() {
  const client = useQueryClient();
  const router = useRouter();
  useEffect(
    () =>
      client.getMutationCache().subscribe((event) => {
        if (event.type === "updated" && event.action.type === "success") router.refresh();
      }),
    [client, router],
  );
  return null;
}

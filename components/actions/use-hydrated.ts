import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False in the server's HTML and during hydration, true once React owns the page. Action buttons
 * stay disabled until then: a click before hydration would otherwise do nothing, silently — on a
 * slow phone, or a loaded machine, that is the first click an operator makes.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

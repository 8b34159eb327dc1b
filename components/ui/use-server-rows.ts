import { useHydrated } from "@/components/actions/use-hydrated";

/**
 * Long tables (a thousand services) put only their first rows in the server's HTML and add the rest
 * once React owns the page: the HTML and the server's time shrink with it (bench/dashboard:
 * the services list went from 2.7 MB of HTML to a fraction), and nothing above the fold changes.
 */
export const SERVER_ROWS = 100;

export function useServerRows<T>(rows: T[], limit = SERVER_ROWS): { shown: T[]; pending: number } {
  const hydrated = useHydrated();
  if (hydrated || rows.length <= limit) return { shown: rows, pending: 0 };
  return { shown: rows.slice(0, limit), pending: rows.length - limit };
}

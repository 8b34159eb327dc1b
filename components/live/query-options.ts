import { queryOptions } from "@tanstack/react-query";
import { FetchError, fetchJson } from "@/components/live/fetch-json";
import { dashboardKeys } from "@/components/live/query-keys";
import type { Health } from "@/lib/health/get-health";
import type { DailyDayData } from "@/lib/presenters/get-daily-day-data";
import type { DailyListData } from "@/lib/presenters/get-daily-list-data";
import type { HomeData } from "@/lib/presenters/get-home-data";
import type { HostsData } from "@/lib/presenters/get-hosts-data";
import type { HourlyData } from "@/lib/presenters/get-hourly-data";
import type { PulseData } from "@/lib/presenters/get-pulse-data";
import type { RunData } from "@/lib/presenters/get-run-data";
import type { RunGraph } from "@/lib/presenters/get-run-graph";
import type { RunLog } from "@/lib/presenters/get-run-log";
import type { ServiceData } from "@/lib/presenters/get-service-data";
import type { TrendsData } from "@/lib/presenters/get-trends-data";
import type { WorkersData } from "@/lib/presenters/get-workers-data";

// queryOptions() factories for every live page. Each page's read model says whether anything on
// it is running or queued; while so it refreshes every FAST_POLL_MS (a change shows within 5 s),
// otherwise every SLOW_POLL_MS, with useIdlePulse catching a new run in between.

export const FAST_POLL_MS = 2_500;
export const SLOW_POLL_MS = 30_000;
export const PULSE_POLL_MS = 4_000;
export const LOG_POLL_MS = 2_000;
const LOG_CATCH_UP_MS = 50;

type WithState<T> = { state: { data: T | undefined } };
const pollWhile =
  <T>(isActive: (data: T) => boolean) =>
  (query: WithState<T>) =>
    query.state.data !== undefined && isActive(query.state.data) ? FAST_POLL_MS : SLOW_POLL_MS;

export const homeIsActive = (d: HomeData) => d.pulse.running + d.pulse.queued > 0;

export const pulseQuery = () =>
  queryOptions({
    queryKey: dashboardKeys.pulse(),
    queryFn: ({ signal }) => fetchJson<PulseData>("/api/v1/dashboard/pulse", signal),
    refetchInterval: PULSE_POLL_MS,
  });

export const homeQuery = () =>
  queryOptions({
    queryKey: dashboardKeys.home(),
    queryFn: ({ signal }) => fetchJson<HomeData>("/api/v1/dashboard/home", signal),
    refetchInterval: pollWhile(homeIsActive),
  });

export const HOSTS_POLL_MS = 60_000;

export const hostsQuery = () =>
  queryOptions({
    queryKey: dashboardKeys.hosts(),
    queryFn: ({ signal }) => fetchJson<HostsData>("/api/v1/dashboard/hosts", signal),
    refetchInterval: HOSTS_POLL_MS,
  });

/** Workers change as fast as tasks do: the view polls like a page with something running. */
export const workersQuery = () =>
  queryOptions({
    queryKey: dashboardKeys.workers(),
    queryFn: ({ signal }) => fetchJson<WorkersData>("/api/v1/dashboard/workers", signal),
    refetchInterval: (query: WithState<WorkersData>) => (query.state.data?.workers.some((w) => w.numRunning > 0) ? FAST_POLL_MS : 10_000),
  });

/** Trends move by the hour: a minute between refreshes is plenty. */
export const trendsQuery = (window: string) =>
  queryOptions({
    queryKey: dashboardKeys.trends(window),
    queryFn: ({ signal }) => fetchJson<TrendsData>(`/api/v1/dashboard/trends?window=${window}`, signal),
    refetchInterval: 60_000,
  });

export const daysQuery = (before: string | null) =>
  queryOptions({
    queryKey: dashboardKeys.days(before),
    queryFn: ({ signal }) => fetchJson<DailyListData>(`/api/v1/dashboard/daily${before ? `?before=${before}` : ""}`, signal),
    refetchInterval: pollWhile((d: DailyListData) => d.active),
  });

export const dayQuery = (date: string) =>
  queryOptions({
    queryKey: dashboardKeys.day(date),
    queryFn: ({ signal }) => fetchJson<DailyDayData>(`/api/v1/dashboard/daily/${date}`, signal),
    refetchInterval: pollWhile((d: DailyDayData) => d.active),
  });

export const hourlyQuery = (date: string | null) =>
  queryOptions({
    queryKey: dashboardKeys.hourly(date),
    queryFn: ({ signal }) => fetchJson<HourlyData>(`/api/v1/dashboard/hourly${date ? `?date=${date}` : ""}`, signal),
    refetchInterval: pollWhile((d: HourlyData) => d.active),
  });

export const serviceQuery = (name: string) =>
  queryOptions({
    queryKey: dashboardKeys.service(name),
    queryFn: ({ signal }) => fetchJson<ServiceData>(`/api/v1/dashboard/services/${encodeURIComponent(name)}`, signal),
    refetchInterval: pollWhile((d: ServiceData) => d.active),
  });

export const runQuery = (id: number) =>
  queryOptions({
    queryKey: dashboardKeys.run(id),
    queryFn: ({ signal }) => fetchJson<RunData>(`/api/v1/dashboard/runs/${id}`, signal),
    refetchInterval: pollWhile((d: RunData) => d.active),
  });

/** The live task graph, from the scheduler: every FAST_POLL_MS while the run is active, else once. */
export const runGraphQuery = (id: number, active: boolean) =>
  queryOptions({
    queryKey: dashboardKeys.runGraph(id),
    queryFn: ({ signal }) => fetchJson<RunGraph>(`/api/v1/dashboard/runs/${id}/graph`, signal),
    refetchInterval: active ? FAST_POLL_MS : false,
  });

export const LOG_KEEP_CHARS = 512 * 1024;

/**
 * A run's log: the tail first, then only what was appended (the previous answer's size is the
 * next offset), kept to the last LOG_KEEP_CHARS characters. Polls while the run is running.
 */
export const runLogQuery = (id: number, follow: boolean) =>
  queryOptions({
    queryKey: dashboardKeys.runLog(id),
    queryFn: async ({ signal, client, queryKey }): Promise<RunLog> => {
      const previous = client.getQueryData<RunLog>(queryKey);
      const offset = previous && !previous.missing ? previous.size : null;
      const next = await fetchJson<RunLog>(`/api/v1/dashboard/runs/${id}/log${offset === null ? "" : `?offset=${offset}`}`, signal);
      if (!previous || offset === null || next.start !== offset) return next;
      const text = (previous.text + next.text).slice(-LOG_KEEP_CHARS);
      return { ...next, start: previous.start, text };
    },
    // a log written faster than one answer a poll: ask again at once until caught up
    refetchInterval: (query) => (query.state.data?.more ? LOG_CATCH_UP_MS : follow ? LOG_POLL_MS : false),
  });

export const HEALTH_POLL_MS = 10_000;
export type HealthView = Health & { webRoundTripMs: number };

/** Component health from /api/v1/health; a 503 still carries the body. Web latency is the round trip. */
export const healthQuery = () =>
  queryOptions({
    queryKey: dashboardKeys.health(),
    queryFn: async ({ signal }): Promise<HealthView> => {
      const t0 = performance.now();
      const res = await fetch("/api/v1/health", { signal, cache: "no-store" });
      const body = (await res.json().catch(() => null)) as (Omit<Health, "runners"> & Partial<Pick<Health, "runners">>) | null;
      // 200 and 503 both carry a health report; anything else (a proxy's error page) does not
      if (!body?.parts) throw new FetchError(res.status, `health check answered HTTP ${res.status}`);
      // without the runner list when the session has just expired (the list is for signed-in callers)
      return { ...body, runners: body.runners ?? [], webRoundTripMs: Math.round(performance.now() - t0) };
    },
    refetchInterval: HEALTH_POLL_MS,
  });

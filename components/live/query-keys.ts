// The one key factory for the dashboard's client queries (TanStack's recommended shape): every
// key starts with "dashboard", so invalidating a prefix refreshes everything under it.

export const dashboardKeys = {
  all: ["dashboard"] as const,
  pulse: () => [...dashboardKeys.all, "pulse"] as const,
  health: () => [...dashboardKeys.all, "health"] as const,
  home: () => [...dashboardKeys.all, "home"] as const,
  hosts: () => [...dashboardKeys.all, "hosts"] as const,
  workers: () => [...dashboardKeys.all, "workers"] as const,
  trends: (window: string) => [...dashboardKeys.all, "trends", window] as const,
  days: (before: string | null) => [...dashboardKeys.all, "daily", "list", before ?? "latest"] as const,
  day: (date: string) => [...dashboardKeys.all, "daily", "day", date] as const,
  hourly: (date: string | null) => [...dashboardKeys.all, "hourly", date ?? "today"] as const,
  service: (name: string) => [...dashboardKeys.all, "service", name] as const,
  run: (id: number) => [...dashboardKeys.all, "run", id] as const,
  runLog: (id: number) => [...dashboardKeys.all, "run", id, "log"] as const,
  runGraph: (id: number) => [...dashboardKeys.all, "run", id, "graph"] as const,
};

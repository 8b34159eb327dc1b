import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { ActionDialogProvider } from "@/components/actions/action-dialog-client";
import { AuditTable } from "@/components/audit/audit-table";
import { DailyDayClient } from "@/components/daily/daily-day-client";
import { DailyListClient } from "@/components/daily/daily-list-client";
import { HomeClient } from "@/components/home/home-client";
import { HourlyClient } from "@/components/hourly/hourly-client";
import { RunClient } from "@/components/run/run-client";
import { ServiceClient } from "@/components/services/service-client";
import { ServicesTable } from "@/components/services/services-table-client";
import { TaskResults } from "@/components/tasks/task-results";
import { TaskSearchForm } from "@/components/tasks/task-search-form";

// Renders one dashboard page's components in the browser with a read model the screenshot
// script produced from the bench database (see screenshots.ts). Layout chrome is approximated.

/* eslint-disable @typescript-eslint/no-explicit-any */
const PAGES: Record<string, (d: any) => ReactNode> = {
  home: (d) => <HomeClient initialData={d} canAct />,
  daily: (d) => <DailyListClient initialData={d} before={null} />,
  day: (d) => <DailyDayClient initialData={d} canAct />,
  hourly: (d) => <HourlyClient initialData={d} requestedDate={d.date} />,
  services: (d) => <ServicesTable data={d} />,
  service: (d) => <ServiceClient initialData={d} canAct />,
  run: (d) => <RunClient initialData={d} canAct />,
  tasks: (d) => (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Tasks</h1>
      <TaskSearchForm query={d.query} families={d.families} />
      <TaskResults data={d} nextHref={d.nextBefore ? "#" : null} />
    </div>
  ),
  audit: (d) => (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <AuditTable entries={d.entries} />
    </div>
  ),
};

const { page, data } = JSON.parse(document.getElementById("page-data")!.textContent!) as { page: string; data: unknown };
const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
createRoot(document.getElementById("root")!).render(
  <QueryClientProvider client={client}>
    <header className="border-b border-zinc-200 px-4 py-2 text-sm font-semibold dark:border-zinc-800">Switchyard · Home Daily Hourly Services Tasks Audit</header>
    <ActionDialogProvider>
      <main className="mx-auto max-w-7xl px-4 py-6">{PAGES[page](data)}</main>
    </ActionDialogProvider>
  </QueryClientProvider>,
);

import type { RootTaskSpec } from "@/lib/runner/command/root-task";

// What the runner needs of a service to launch one of its runs, read in the same statement
// that claims the run (services s joined with service_run_options o).

export type ServiceLaunch = {
  name: string;
  timeZone: string;
  dailyCommand: string;
  hourlyCommand: string | null;
  environment: Record<string, string>;
  labels: Record<string, string>;
  timeoutSeconds: number;
  forceArgument: string | null;
  fromTaskArgument: string | null;
  dailyRootTask: RootTaskSpec | null;
  hourlyRootTask: RootTaskSpec | null;
  /** absolute folder the command runs in; null = the runner's own */
  workingDirectory: string | null;
};

export const SERVICE_LAUNCH_COLUMNS = `s.time_zone AS launch_time_zone, s.daily_command AS launch_daily_command,
  s.hourly_command AS launch_hourly_command, s.environment AS launch_environment, s.labels AS launch_labels,
  s.timeout_seconds AS launch_timeout_seconds, o.force_argument AS launch_force_argument,
  o.from_task_argument AS launch_from_task_argument, o.daily_root_task AS launch_daily_root_task,
  o.hourly_root_task AS launch_hourly_root_task,
  (SELECT f.working_directory FROM service_fleet_options f WHERE f.service_id = s.id) AS launch_working_directory`;

export function toServiceLaunch(row: Record<string, unknown>): ServiceLaunch {
  return {
    name: row.service_name as string,
    timeZone: row.launch_time_zone as string,
    dailyCommand: row.launch_daily_command as string,
    hourlyCommand: (row.launch_hourly_command as string | null) ?? null,
    environment: (row.launch_environment as Record<string, string>) ?? {},
    labels: (row.launch_labels as Record<string, string>) ?? {},
    timeoutSeconds: row.launch_timeout_seconds as number,
    forceArgument: (row.launch_force_argument as string | null) ?? null,
    fromTaskArgument: (row.launch_from_task_argument as string | null) ?? null,
    dailyRootTask: (row.launch_daily_root_task as RootTaskSpec | null) ?? null,
    hourlyRootTask: (row.launch_hourly_root_task as RootTaskSpec | null) ?? null,
    workingDirectory: (row.launch_working_directory as string | null) ?? null,
  };
}

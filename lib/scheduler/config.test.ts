import { describe, expect, it } from "vitest";
import { buildSchedulerConfig, SchedulerConfigError } from "@/lib/scheduler/config";
import { parseIni } from "@/lib/scheduler/config-file";
import { parseDaemonArgs } from "@/lib/scheduler/daemon";

// luigid's [scheduler] options and defaults (SPEC §10), read from a luigi.cfg-style file with
// environment overrides, and the daemon's flags.

describe("scheduler configuration", () => {
  it("has luigid's defaults", () => {
    const c = buildSchedulerConfig({});
    expect(c.scheduler).toMatchObject({ retry_delay: 900, remove_delay: 600, worker_disconnect_delay: 60, disable_window: 3600, retry_count: 999999999, disable_hard_timeout: 999999999, disable_persist: 86400, max_shown_tasks: 100000, max_graph_nodes: 100000, record_task_history: false, prune_on_get_work: false, pause_enabled: true, send_messages: true, stable_done_cooldown_secs: 10 });
    expect(c.cors).toMatchObject({ enabled: false, max_age: 86400, allowed_methods: "GET, OPTIONS" });
  });

  it("reads a luigi.cfg-style file, with environment variables winning", () => {
    const ini = parseIni("[core]\nlog_level = INFO\n\n[scheduler]\n# comment\nretry-delay: 2\nRECORD_TASK_HISTORY = True\n[resources]\nharness_pool = 2\n");
    const c = buildSchedulerConfig(ini, { LUIGI_SCHEDULER_RETRY_DELAY: "30", LUIGI_SCHEDULER_PAUSE_ENABLED: "false" });
    expect(c.scheduler).toMatchObject({ retry_delay: 30, record_task_history: true, pause_enabled: false });
    expect(c.resources).toEqual({ harness_pool: 2 });
  });

  it("reads [task_history]: retention off by default, Luigi's db_connection accepted without a warning", () => {
    expect(buildSchedulerConfig({}).taskHistory).toMatchObject({ retention_days: 0 });
    const c = buildSchedulerConfig(parseIni("[task_history]\ndb_connection = postgresql://luigi@db/luigi\nretention_days = 400\n"));
    expect(c.taskHistory.retention_days).toBe(400);
    expect(c.warnings).toEqual([]);
    expect(() => buildSchedulerConfig({ task_history: { retention_days: "-3" } })).toThrow(/retention_days/);
  });

  it("names the option and the value when one is wrong", () => {
    expect(() => buildSchedulerConfig({ scheduler: { retry_count: "many" }, resources: { gpu: "1.5" } })).toThrow(SchedulerConfigError);
    const error = (() => {
      try {
        buildSchedulerConfig({ scheduler: { retry_count: "many" } }, { LUIGI_SCHEDULER_SEND_MESSAGES: "yes" });
      } catch (e) {
        return e as SchedulerConfigError;
      }
    })();
    expect(error?.problems).toEqual(['[scheduler] retry_count: expected a whole number (got "many")', '[scheduler] send_messages: expected true or false (got "yes")']);
    expect(buildSchedulerConfig({ scheduler: { no_such_option: "1" } }).warnings).toEqual(["[scheduler] no_such_option is not an option this scheduler knows; ignored"]);
    expect(() => parseIni("retry_delay = 2")).toThrow(/outside any \[section\]/);
  });

  it("parses luigid's flags", () => {
    expect(parseDaemonArgs(["--port", "9000", "--address", "0.0.0.0", "--config=/etc/luigi.cfg"], {})).toEqual({ port: 9000, host: "0.0.0.0", config: "/etc/luigi.cfg", help: false });
    expect(parseDaemonArgs([], { SCHEDULER_PORT: "8100" })).toMatchObject({ port: 8100, host: "127.0.0.1" });
    expect(() => parseDaemonArgs(["--port", "x"], {})).toThrow(/--port/);
    expect(() => parseDaemonArgs(["--bogus"], {})).toThrow(/unknown option --bogus/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { buildSchedulerConfig } from "@/lib/scheduler/config";
import { startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import { structuralDiff } from "@/lib/scheduler/testing/compare";
import { fixtureFiles, type FixtureRecord } from "@/lib/scheduler/testing/fixtures";
import { replayFixture, type Exchange } from "@/lib/scheduler/testing/replay";

// Contract tests: every recorded luigid exchange (spec/luigi-protocol/fixtures) is replayed in
// order against a real scheduler over HTTP — one fresh scheduler per scenario file, configured as
// luigid was for the capture, its clock driven by each record's `at`. Each response must match
// luigid's structurally (status, keys, value types, statuses, ids, counts and order); timestamps,
// message UUIDs and set-valued lists are compared as described in testing/compare.ts.
//
// Not compared, on purpose:
// - /static/*, /history*, /tasklist*: luigid serves Luigi's visualiser bundle and its history HTML
//   pages; this scheduler serves /static/ only from a configured static_dir and has no HTML pages.
// - /metrics: luigid's default collector answers an empty 200; ours is Prometheus text (status only).
// - 500 bodies: luigid sends Tornado's HTML page; ours is JSON saying what was wrong (checked).

const quiet = createLogger("contract", "error");

function configFor(file: string) {
  // fixtures/README.md: the capture's luigid configuration
  return buildSchedulerConfig({
    scheduler: { retry_delay: "2", remove_delay: "600", worker_disconnect_delay: "10", record_task_history: file === "transport-errors.jsonl" ? "false" : "true" },
    resources: { harness_pool: "2" },
    switchyard: { prune_interval: "0" },
  });
}

const NOT_SERVED = /^\/(static|history|tasklist)(\/|$)/;

function check(ex: Exchange): string[] {
  const r: FixtureRecord = ex.record;
  const res = ex.response;
  const where = `#${r.seq} ${r.http} ${r.path} [${r.step}]`;
  if (NOT_SERVED.test(r.path)) return [];
  if (res.status !== r.status) return [`${where}: status ${res.status} (luigid ${r.status}) ${res.body.toString("utf8").slice(0, 300)}`];
  if (r.path === "/metrics") return [];
  const text = res.body.toString("utf8");
  if (r.status === 200 && r.response !== undefined) {
    let ours: unknown;
    try {
      ours = JSON.parse(text);
    } catch {
      return [`${where}: body is not JSON: ${text.slice(0, 200)}`];
    }
    return structuralDiff(r.response, ours).map((d) => `${where}: ${d}`);
  }
  if (r.status === 500) {
    const err = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return typeof err.error?.code === "string" && typeof err.error?.message === "string" ? [] : [`${where}: 500 without a JSON error body: ${text}`];
  }
  if ((r.status === 404 || r.status === 405) && r.response_text !== undefined && r.http !== "HEAD" && text !== r.response_text) return [`${where}: body ${text} (luigid ${r.response_text})`];
  if (r.status === 302 && res.headers.location !== r.raw?.response_headers.Location) return [`${where}: Location ${res.headers.location}`];
  return [];
}

describe.each(fixtureFiles())("replaying %s against the scheduler", (file) => {
  let server: SchedulerServer;
  let now = 0;

  beforeAll(async () => {
    server = await startSchedulerServer({ host: "127.0.0.1", port: 0, config: configFor(file), logger: quiet, clock: () => now });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers every request as luigid did", async () => {
    const exchanges = await replayFixture(file, server.url, (t) => (now = t));
    expect(exchanges.length).toBeGreaterThan(0);
    expect(exchanges.flatMap(check)).toEqual([]);
  });
});

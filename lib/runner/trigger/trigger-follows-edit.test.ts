import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/roles";
import { getServiceData } from "@/lib/presenters/get-service-data";
import { updateService } from "@/lib/control/update-service";
import { addService } from "@/lib/runner/testing/runner-harness";
import { triggerPass } from "@/lib/runner/trigger/trigger-pass";
import { serviceUpdateSchema } from "@/lib/schemas/services";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// An admin's edit of a service's daily time (the service page's form sends this PATCH) is what
// the runner's next trigger pass follows, and what the service page shows as the next daily run.

const admin: Actor = { kind: "user", id: "u1", name: "root@example.com", role: "admin" };
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await addService(db.pool, { name: "berlin", timeZone: "Europe/Berlin", dailyTime: "02:00", dailyCommand: "true" });
});
afterAll(() => db?.drop());

const dailyRuns = async () => (await db.pool.query("SELECT period_date::text AS date FROM runs r JOIN services s ON s.id = r.service_id WHERE s.name = 'berlin' ORDER BY r.id")).rows;

describe("editing the daily time", () => {
  it("moves the next trigger: nothing at the old time, the run at the new one", async () => {
    // 2026-12-04 01:30 UTC = 02:30 in Berlin; the page says the next daily (for 12-04) is due 12-05 02:00.
    const before = await getServiceData(db.pool, "berlin", Date.parse("2026-12-04T01:30:00Z"));
    expect(before?.nextDaily).toEqual({ date: "2026-12-04", dueAt: "2026-12-05T01:00:00.000Z" });

    await updateService(db.pool, admin, serviceUpdateSchema.parse({ name: "berlin", dailyTime: "06:30", reason: "upstream export lands later now" }));
    const after = await getServiceData(db.pool, "berlin", Date.parse("2026-12-04T01:30:00Z"));
    expect(after?.nextDaily).toEqual({ date: "2026-12-03", dueAt: "2026-12-04T05:30:00.000Z" });

    const state = { lastUntil: new Date("2026-12-04T00:00:00Z") };
    // 02:00 Berlin (the old time) passes: nothing is queued
    await triggerPass(db.pool, state, new Date("2026-12-04T01:10:00Z"), { days: 0, hours: 0 });
    expect(await dailyRuns()).toEqual([]);
    // 06:30 Berlin (the new time) passes: yesterday's period is queued
    await triggerPass(db.pool, state, new Date("2026-12-04T05:31:00Z"), { days: 0, hours: 0 });
    expect(await dailyRuns()).toEqual([{ date: "2026-12-03" }]);

    const audit = await db.pool.query("SELECT reason, result FROM audit_log WHERE action = 'service.update'");
    expect(audit.rows[0]).toMatchObject({ reason: "upstream export lands later now", result: { changed: { dailyTime: { from: "02:00", to: "06:30" } } } });
  });
});

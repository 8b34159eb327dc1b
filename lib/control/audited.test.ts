import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { conflict } from "@/lib/control/errors";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// audited() against a real PostgreSQL: a database action and its audit row commit or roll back
// together, whichever of the two fails; an action outside the database leaves its intent row
// even when the effect throws, and is never attempted when the intent cannot be written.

const alice: Actor = { kind: "user", id: "u1", name: "alice@example.com", role: "operator" };
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  // A real refusal from PostgreSQL for one audit row: the "ok" row of an action whose reason says so.
  await db.pool.query(`
    CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.reason = 'refuse the audit row' AND NEW.outcome = 'ok' THEN RAISE EXCEPTION 'audit insert refused'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_audit();`);
});
afterAll(() => db?.drop());

const paused = async () => (await db.pool.query("SELECT paused FROM runner_control WHERE id = 1")).rows[0].paused as boolean;
const rows = async (reason: string) => (await db.pool.query("SELECT id, action, outcome, result FROM audit_log WHERE reason = $1 ORDER BY id", [reason])).rows;
const pause = (reason: string, after: () => void = () => {}) =>
  audited(db.pool, alice, { intent: "runner.pause", targetId: "all", reason }, async (tx) => {
    await tx.query("UPDATE runner_control SET paused = true WHERE id = 1");
    after();
    return { paused: true };
  }, (r) => r);

describe("a database action and its audit row", () => {
  it("commit together", async () => {
    await pause("both commit");
    expect(await paused()).toBe(true);
    expect((await rows("both commit")).map((r) => r.outcome)).toEqual(["ok"]);
    await db.pool.query("UPDATE runner_control SET paused = false");
  });

  it("roll back together when the action fails after its change: no change, no ok row, a denied row", async () => {
    await expect(pause("fails after the change", () => { throw conflict("changed my mind"); })).rejects.toThrow("changed my mind");
    expect(await paused()).toBe(false);
    expect((await rows("fails after the change")).map((r) => [r.outcome, r.result.code])).toEqual([["denied", "conflict"]]);
  });

  it("roll back together when the audit row cannot be written: the change is undone", async () => {
    await expect(pause("refuse the audit row")).rejects.toThrow("audit insert refused");
    expect(await paused()).toBe(false);
    expect((await rows("refuse the audit row")).map((r) => [r.outcome, r.result.code])).toEqual([["error", "internal"]]);
  });
});

describe("an action outside the database", () => {
  const forgive = (reason: string, effect: () => Promise<unknown>) =>
    audited(db.pool, alice, { intent: "task.forgive_failures", targetId: "Report_x", reason }, effect, () => ({ status: "PENDING" }));

  it("writes its intent before the effect and the outcome after, naming the intent", async () => {
    let intentsSeenByEffect = 0;
    await forgive("outside ok", async () => {
      intentsSeenByEffect = (await rows("outside ok")).length;
    });
    const [intent, outcome] = await rows("outside ok");
    expect(intentsSeenByEffect).toBe(1);
    expect(intent).toMatchObject({ action: "task.forgive_failures", outcome: "pending" });
    expect(outcome).toMatchObject({ outcome: "ok", result: { intentId: Number(intent.id), status: "PENDING" } });
  });

  it("leaves the intent, and an error outcome, when the effect throws", async () => {
    await expect(forgive("outside throws", async () => { throw new Error("connection reset"); })).rejects.toThrow("connection reset");
    const [intent, outcome] = await rows("outside throws");
    expect(intent.outcome).toBe("pending");
    expect(outcome).toMatchObject({ outcome: "error", result: { intentId: Number(intent.id), error: "connection reset" } });
  });

  it("is not attempted when its intent cannot be written", async () => {
    await db.pool.query("ALTER TABLE audit_log ADD CONSTRAINT test_no_pending CHECK (outcome <> 'pending') NOT VALID");
    let called = false;
    await expect(forgive("no intent", async () => { called = true; })).rejects.toThrow(/test_no_pending/);
    await db.pool.query("ALTER TABLE audit_log DROP CONSTRAINT test_no_pending");
    expect(called).toBe(false);
    expect(await rows("no intent")).toEqual([]);
  });
});

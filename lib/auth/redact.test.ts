import { describe, expect, it } from "vitest";
import { HIDDEN, redactAuditResult, redactEnvironment } from "@/lib/auth/redact";
import type { Actor, Role } from "@/lib/auth/roles";

const as = (role: Role): Actor => ({ kind: "user", id: role, name: `${role}@example.com`, role });

describe("redactEnvironment", () => {
  const service = { name: "acme", environment: { API_TOKEN: "s3cret", REGION: "eu" } };

  it("shows values to admins only, names to everyone", () => {
    expect(redactEnvironment(service, as("admin")).environment).toEqual({ API_TOKEN: "s3cret", REGION: "eu" });
    for (const role of ["viewer", "operator"] as const) expect(redactEnvironment(service, as(role)).environment).toEqual({ API_TOKEN: HIDDEN, REGION: HIDDEN });
    expect(service.environment.API_TOKEN).toBe("s3cret"); // the record itself is not changed
  });
});

describe("redactAuditResult", () => {
  // an old service.update row (before diffs kept names only), a names-only diff, and a sync's new service
  const legacy = { changed: { environment: { from: { API_TOKEN: "old" }, to: { API_TOKEN: "new", EXTRA: "x" } }, dailyTime: { from: "02:00", to: "03:00" } } };
  const namesOnly = { changed: { environment: { added: ["EXTRA"], removed: [], changed: ["API_TOKEN"] } } };
  const nested = { services: [{ name: "acme", environment: { API_TOKEN: "s3cret", EMPTY: null } }] };

  it("hides every environment value from viewers and operators, keeping names and other fields", () => {
    for (const role of ["viewer", "operator"] as const) {
      expect(redactAuditResult(legacy, as(role))).toEqual({
        changed: { environment: { from: { API_TOKEN: HIDDEN }, to: { API_TOKEN: HIDDEN, EXTRA: HIDDEN } }, dailyTime: { from: "02:00", to: "03:00" } },
      });
      expect(redactAuditResult(namesOnly, as(role))).toEqual(namesOnly);
      expect(JSON.stringify(redactAuditResult(nested, as(role)))).not.toContain("s3cret");
    }
  });

  it("leaves an admin's view alone", () => {
    expect(redactAuditResult(legacy, as("admin"))).toBe(legacy);
  });
});

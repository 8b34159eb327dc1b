import { describe, expect, it } from "vitest";
import { DELIVERY_DAYS, INCIDENT_DAYS, loadAlertConfig } from "@/lib/alerts/alert-config";
import { AlertConfigError } from "@/lib/schemas/alert-channels";

describe("loadAlertConfig", () => {
  it("keeps settled deliveries 90 days unless SWITCHYARD_ALERT_DELIVERY_DAYS says otherwise", () => {
    expect(loadAlertConfig({}).deliveryDays).toBe(DELIVERY_DAYS);
    expect(loadAlertConfig({ SWITCHYARD_ALERT_DELIVERY_DAYS: "400" }).deliveryDays).toBe(400);
  });

  it.each(["soon", "0", "1.5"])("refuses SWITCHYARD_ALERT_DELIVERY_DAYS=%s with the variable named", (value) => {
    expect(() => loadAlertConfig({ SWITCHYARD_ALERT_DELIVERY_DAYS: value })).toThrow(AlertConfigError);
    expect(() => loadAlertConfig({ SWITCHYARD_ALERT_DELIVERY_DAYS: value })).toThrow(/^SWITCHYARD_ALERT_DELIVERY_DAYS: expected a whole number of days, at least 1/);
  });

  it("keeps resolved incidents a year unless SWITCHYARD_INCIDENT_DAYS says otherwise, 0 for ever", () => {
    expect(loadAlertConfig({}).incidentDays).toBe(INCIDENT_DAYS);
    expect(loadAlertConfig({ SWITCHYARD_INCIDENT_DAYS: "30" }).incidentDays).toBe(30);
    expect(loadAlertConfig({ SWITCHYARD_INCIDENT_DAYS: "0" }).incidentDays).toBe(0);
  });

  it.each(["soon", "3", "-1", "7.5", "40000"])("refuses SWITCHYARD_INCIDENT_DAYS=%s with the variable named", (value) => {
    expect(() => loadAlertConfig({ SWITCHYARD_INCIDENT_DAYS: value })).toThrow(AlertConfigError);
    expect(() => loadAlertConfig({ SWITCHYARD_INCIDENT_DAYS: value })).toThrow(/^SWITCHYARD_INCIDENT_DAYS: expected (0 \(keep every incident\) or a whole number of days, at least 7|at most 36500 days)/);
  });

  it.each([
    ["SWITCHYARD_ALERT_TICK_SECONDS", "0", 'expected a number of seconds from 1 to 15 (got "0")'],
    ["SWITCHYARD_ALERT_STUCK_QUEUE_MINUTES", "often", 'expected a whole number of minutes from 1 to 10080 (got "often")'],
    ["SWITCHYARD_ALERT_RUNNER_STALE_SECONDS", "2.5", 'expected a whole number of seconds from 5 to 86400 (got "2.5")'],
    ["SWITCHYARD_ALERT_LONG_RUN_FACTOR", "500", 'expected a number of times the usual duration from 1 to 100 (got "500")'],
  ])("refuses %s=%s with one message naming the unit, the range and the value", (name, value, message) => {
    expect(() => loadAlertConfig({ [name]: value })).toThrow(`${name}: ${message}`);
  });
});

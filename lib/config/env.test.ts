import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, runLogFolder } from "@/lib/config/env";

describe("loadConfig", () => {
  it("gives luigid's and Next's usual defaults with an empty environment", () => {
    const config = loadConfig({}, "/srv/app");
    expect(config).toEqual({
      databaseUrl: undefined,
      host: "127.0.0.1",
      port: 3000,
      schedulerHost: "127.0.0.1",
      schedulerPort: 8082,
      embeddedPostgresPort: 54329,
      home: path.join("/srv/app", ".switchyard"),
      runLogDir: path.join("/srv/app", ".switchyard", "runs"),
      runLogDays: 30,
      logLevel: "info",
    });
  });

  it("reads every variable", () => {
    const config = loadConfig(
      { DATABASE_URL: "postgresql://u:p@db:5432/sy", HOST: "0.0.0.0", PORT: "8080", SCHEDULER_PORT: "9082", SWITCHYARD_HOME: "data", SWITCHYARD_HOST_NAME: "node-7", LOG_LEVEL: "debug" },
      "/srv/app",
    );
    expect(config).toMatchObject({ databaseUrl: "postgresql://u:p@db:5432/sy", host: "0.0.0.0", port: 8080, schedulerPort: 9082, home: "/srv/app/data", hostName: "node-7", logLevel: "debug" });
  });

  it("puts run logs in SWITCHYARD_LOG_DIR, else in SWITCHYARD_HOME/runs, and keeps them 30 days unless told otherwise", () => {
    expect(loadConfig({ SWITCHYARD_HOME: "data" }, "/srv/app")).toMatchObject({ runLogDir: "/srv/app/data/runs", runLogDays: 30 });
    expect(loadConfig({ SWITCHYARD_LOG_DIR: "/var/log/switchyard", SWITCHYARD_RUN_LOG_DAYS: "0" }, "/srv/app")).toMatchObject({ runLogDir: "/var/log/switchyard", runLogDays: 0 });
    expect(loadConfig({ SWITCHYARD_RUNNER_URL: "http://10.0.3.17:9090/" }).runnerUrl).toBe("http://10.0.3.17:9090");
    // the web's reads and the runners' writes agree on the folder
    expect(runLogFolder({ SWITCHYARD_HOME: "data" }, "/srv/app")).toBe("/srv/app/data/runs");
    expect(runLogFolder({ SWITCHYARD_LOG_DIR: "logs" }, "/srv/app")).toBe("/srv/app/logs");
  });

  it("binds the scheduler to loopback whatever HOST says, unless SCHEDULER_HOST says otherwise", () => {
    expect(loadConfig({ HOST: "0.0.0.0" }).schedulerHost).toBe("127.0.0.1");
    expect(loadConfig({ HOST: "0.0.0.0", SCHEDULER_HOST: "10.0.0.5" }).schedulerHost).toBe("10.0.0.5");
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: "  " }).port).toBe(3000);
  });

  it.each([
    ["PORT", "abc", /PORT: expected a port number/],
    ["PORT", "70000", /PORT: expected a port number from 1 to 65535/],
    ["SCHEDULER_PORT", "-1", /SCHEDULER_PORT/],
    ["LOG_LEVEL", "verbose", /LOG_LEVEL: expected one of debug, info, warn, error/],
    ["DATABASE_URL", "mysql://localhost/x", /DATABASE_URL: expected a URL like postgresql:/],
    ["HOST", "exa mple", /HOST: expected a host name/],
    ["SWITCHYARD_HOST_NAME", "node 7", /SWITCHYARD_HOST_NAME: expected a host name such as node-1/],
    ["SWITCHYARD_RUNNER_URL", "10.0.3.17:9090", /SWITCHYARD_RUNNER_URL: expected the runner's address as the web servers reach it, such as http:\/\/10\.0\.3\.17:9090/],
    ["SWITCHYARD_RUNNER_URL", "http://10.0.3.17:9090/logs", /SWITCHYARD_RUNNER_URL: expected .* \(no path\)/],
    ["SWITCHYARD_RUN_LOG_DAYS", "a month", /SWITCHYARD_RUN_LOG_DAYS: expected a whole number of days \(0 keeps every log\)/],
    ["SWITCHYARD_RUN_LOG_DAYS", "-1", /SWITCHYARD_RUN_LOG_DAYS: expected a whole number of days/],
    ["SWITCHYARD_RUN_LOG_DAYS", "99999", /SWITCHYARD_RUN_LOG_DAYS: expected at most 36500 days/],
  ])("rejects %s=%s with a message naming the variable", (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it("reports every bad variable at once and never echoes a password", () => {
    try {
      loadConfig({ PORT: "x", DATABASE_URL: "postgresql://admin:s3cret@" });
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(2);
      expect(problems.join(" ")).not.toContain("s3cret");
    }
  });
});

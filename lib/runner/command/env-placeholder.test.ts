import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderCommand } from "@/lib/runner/command/render-command";
import { checkTemplate } from "@/lib/runner/command/template";
import { loadServicesFile, ServicesFileError } from "@/lib/runner/services/load-services-file";

// Secrets in a services file: {env:NAME} is resolved from the runner's environment at launch and
// never appears in what is stored (the run's command display); workingDirectory is relative to the file.

const values = { service: "shop", day: "2026-12-03", hour: null, period: "2026-12-03", scheduler_url: "http://127.0.0.1:8082", run_id: "7", attempt: "1" };

describe("{env:NAME}", () => {
  it("is resolved at launch, and the display keeps the placeholder", () => {
    const rendered = renderCommand({
      template: "load --token {env:SHOP_TOKEN} --day {day}",
      forceArgument: null,
      fromTaskArgument: null,
      environment: { DB_PASSWORD: "{env:SHOP_DB_PASSWORD}", WHO: "{service}" },
      values,
      force: false,
      fromTask: null,
      env: (name) => ({ SHOP_TOKEN: "s3cret", SHOP_DB_PASSWORD: "hunter2" })[name],
    });
    expect(rendered.argv).toEqual(["load", "--token", "s3cret", "--day", "2026-12-03"]);
    expect(rendered.env).toEqual({ DB_PASSWORD: "hunter2", WHO: "shop" });
    expect(rendered.display).toBe("load --token '{env:SHOP_TOKEN}' --day 2026-12-03");
    expect(rendered.display).not.toContain("s3cret");
  });

  it("a missing variable fails the launch with its name", () => {
    const render = () =>
      renderCommand({ template: "load {env:NOPE_NOT_SET}", forceArgument: null, fromTaskArgument: null, environment: {}, values, force: false, fromTask: null, env: () => undefined });
    expect(render).toThrow(/environment variable NOPE_NOT_SET is not set/);
  });

  it("is accepted by the template check; a bad name is not", () => {
    expect(checkTemplate("run --key {env:API_KEY}", ["day"], "command")).toBeNull();
    expect(checkTemplate("{env:API_KEY}", [], "environment")).toBeNull();
    expect(checkTemplate("run {env:9bad}", ["day"], "command")).toMatch(/not an environment variable name/);
  });
});

describe("workingDirectory", () => {
  it("is made absolute against the services file's folder, and must exist", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "services-"));
    fs.mkdirSync(path.join(dir, "shop"));
    const file = path.join(dir, "switchyard.services.json");
    fs.writeFileSync(file, JSON.stringify({ services: [{ name: "a", dailyCommand: "true", workingDirectory: "shop" }, { name: "b", dailyCommand: "true" }] }));
    const loaded = loadServicesFile(file);
    expect(loaded.services.map((s) => s.workingDirectory)).toEqual([path.join(dir, "shop"), null]);
    fs.writeFileSync(file, JSON.stringify({ services: [{ name: "a", dailyCommand: "true", workingDirectory: "missing" }] }));
    expect(() => loadServicesFile(file)).toThrow(ServicesFileError);
    expect(() => loadServicesFile(file)).toThrow(/services\[0\]\.workingDirectory: .*missing is not a folder/);
    fs.rmSync(dir, { recursive: true });
  });
});

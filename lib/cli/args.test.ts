import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "@/lib/cli/args";

const spec = { port: { type: "port", help: "" }, name: { type: "string", help: "" }, force: { type: "boolean", help: "" } } as const;

describe("parseArgs", () => {
  it("reads --flag value, --flag=value, booleans and positionals", () => {
    expect(parseArgs(["Task", "--port", "80", "--name=x", "--force", "more"], spec)).toEqual({
      flags: { port: 80, name: "x", force: true },
      positionals: ["Task", "more"],
    });
  });

  it.each([
    [["--nope"], /unknown option --nope/],
    [["--port"], /--port needs a value/],
    [["--port", "--force"], /--port needs a value/],
    [["--port", "0"], /--port must be a port number/],
    [["--port", "8o"], /--port must be a port number/],
    [["--force=yes"], /--force takes no value/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseArgs(argv, spec)).toThrow(UsageError);
    expect(() => parseArgs(argv, spec)).toThrow(message);
  });
});

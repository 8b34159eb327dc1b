import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "@/lib/paths";

// The recorded luigid traffic, kept in the repository (spec/luigi-protocol/fixtures) so a clean clone tests against it.

export type FixtureRecord = {
  seq: number;
  at: string;
  step: string | null;
  client: string;
  http: string;
  path: string;
  method: string | null;
  request: unknown;
  request_nonstandard_json?: string;
  status: number;
  response?: unknown;
  response_text?: string;
  content_type?: string;
  raw?: { query: string; body: string; request_headers: Record<string, string>; response_headers: Record<string, string> };
};

export const FIXTURE_DIR = path.join(repoRoot, "spec", "luigi-protocol", "fixtures");

export function fixtureFiles(): string[] {
  if (!fs.existsSync(FIXTURE_DIR)) throw new Error(`the Luigi fixtures are missing: expected ${FIXTURE_DIR}`);
  return fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith(".jsonl")).sort();
}

export function loadFixture(file: string): FixtureRecord[] {
  return fs
    .readFileSync(path.join(FIXTURE_DIR, file), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as FixtureRecord);
}

/** Epoch seconds of a record's `at`. */
export function atSeconds(record: FixtureRecord): number {
  return Date.parse(record.at) / 1000;
}

/**
 * The order in which luigid created each task, from the start_time values in its responses.
 * luigid creates dependency placeholders while iterating a Python set, whose order is randomised
 * per process; replaying `deps` in this order gives our scheduler the same creation order.
 */
export function creationOrder(records: FixtureRecord[]): Map<string, number> {
  const times = new Map<string, number>();
  const visit = (value: unknown, key: string | null): void => {
    if (Array.isArray(value)) value.forEach((v) => visit(v, null));
    else if (value && typeof value === "object") {
      const obj = value as Record<string, unknown>;
      if (key && typeof obj.start_time === "number" && !times.has(key)) times.set(key, obj.start_time);
      for (const [k, v] of Object.entries(obj)) visit(v, k);
    }
  };
  for (const r of records) visit(r.response, null);
  return times;
}

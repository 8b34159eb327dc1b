import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/control/openapi";

// The OpenAPI document lists every route the app serves under /api/v1: each route.ts below
// app/api/v1 and each HTTP method it exports is read off the source tree, so a new route that is
// not documented fails here instead of being found by a script author.

const root = path.join(process.cwd(), "app/api/v1");
const METHOD = /^export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/gm;

function routes(dir: string): { path: string; method: string }[] {
  const out: { path: string; method: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routes(full));
    else if (entry.name === "route.ts") {
      const url = "/api/v1/" + path.relative(root, dir).split(path.sep).map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/");
      for (const m of readFileSync(full, "utf8").matchAll(METHOD)) out.push({ path: url.replace(/\/$/, ""), method: m[1].toLowerCase() });
    }
  }
  return out;
}

describe("OpenAPI coverage", () => {
  it("documents every route and method under app/api/v1", () => {
    const found = routes(root);
    expect(found.length).toBeGreaterThan(25); // the walk found the routes (a broken walk would pass vacuously)
    const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
    const missing = found.filter((r) => !paths[r.path]?.[r.method]).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it("documents no route that does not exist", () => {
    const found = new Set(routes(root).map((r) => `${r.method} ${r.path}`));
    const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
    const extra = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)).filter((k) => !found.has(k));
    expect(extra).toEqual([]);
  });
});

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_ROUTES, apiMisroute, apiRouteOf } from "@/lib/api/routes";

// The table the proxy answers wrong paths and methods from is the route files' own exports: a
// route added, removed or given another method without the table fails here.

const apiRoot = path.resolve(import.meta.dirname, "../../app/api/v1");

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

function exportedMethods(file: string): string[] {
  const source = fs.readFileSync(file, "utf8");
  const found = [...source.matchAll(/^export (?:const|(?:async )?function) (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/gm)].map((m) => m[1]);
  return [...new Set(found)].sort();
}

describe("API_ROUTES", () => {
  it("lists every route file under app/api/v1 with exactly the methods it exports", () => {
    const fromFiles = Object.fromEntries(
      routeFiles(apiRoot).map((file) => {
        const template = `/api/v1/${path.relative(apiRoot, path.dirname(file)).split(path.sep).join("/")}`.replace(/\[(\w+)\]/g, "{$1}");
        return [template, exportedMethods(file)];
      }),
    );
    const fromTable = Object.fromEntries(Object.entries(API_ROUTES).map(([t, m]) => [t, [...m].sort()]));
    expect(fromTable).toEqual(fromFiles);
    expect(Object.keys(fromFiles).length).toBeGreaterThan(30);
  });
});

describe("apiMisroute", () => {
  it("lets through what a route answers, HEAD of a GET and OPTIONS included", () => {
    expect(apiMisroute("GET", "/api/v1/runs")).toBeNull();
    expect(apiMisroute("post", "/api/v1/runs")).toBeNull();
    expect(apiMisroute("HEAD", "/api/v1/runs/12")).toBeNull();
    expect(apiMisroute("OPTIONS", "/api/v1/runs/12/cancel")).toBeNull();
    expect(apiMisroute("DELETE", "/api/v1/alert-channels/ops-mail")).toBeNull();
    expect(apiMisroute("GET", "/api/v1/runs/")).toBeNull();
  });

  it("answers a method the route does not have with 405, the route's methods and an Allow header", () => {
    const miss = apiMisroute("PUT", "/api/v1/alert-channels/ops-mail");
    expect(miss).toMatchObject({ status: 405, headers: { allow: "PATCH, DELETE, OPTIONS" } });
    expect(miss?.body.error).toEqual({ code: "method_not_allowed", message: "PUT /api/v1/alert-channels/ops-mail: this route answers PATCH, DELETE only", details: { allow: ["PATCH", "DELETE"] } });
    expect(apiMisroute("DELETE", "/api/v1/runs/7")).toMatchObject({ status: 405, headers: { allow: "GET, HEAD, OPTIONS" } });
  });

  it("picks the route Next.js picks: a literal segment over a parameter", () => {
    expect(apiRouteOf("/api/v1/services/sync")?.template).toBe("/api/v1/services/sync");
    expect(apiRouteOf("/api/v1/services/acme")?.template).toBe("/api/v1/services/{name}");
    // GET of the sync route is wrong, not the service named "sync"
    expect(apiMisroute("GET", "/api/v1/services/sync")).toMatchObject({ status: 405, headers: { allow: "POST, OPTIONS" } });
    expect(apiMisroute("GET", "/api/v1/services/acme")).toBeNull();
  });

  it("answers a path no route serves with 404 in the API's error shape, pointing at the OpenAPI document", () => {
    for (const p of ["/api/v1/nope", "/api/v1", "/api/v1/runs/1/2/3", "/api/v2/runs", "/api/v1/services//pause"]) {
      const miss = apiMisroute("GET", p);
      expect(miss?.status, p).toBe(404);
      expect(miss?.body.error.code, p).toBe("no_such_route");
      expect(miss?.body.error.message, p).toContain("/api/v1/openapi.json");
    }
  });
});

import { atSeconds, creationOrder, loadFixture, type FixtureRecord } from "@/lib/scheduler/testing/fixtures";
import { formBody, pythonDumps, rawRequest, type RawResponse } from "@/lib/scheduler/testing/http-client";

// Replays a fixture file against a running scheduler over real HTTP, request by request, with the
// scheduler's clock set to each record's `at` so timing-dependent flows (retry_delay, worker
// disconnects) unfold as they did against luigid.

export type Exchange = { record: FixtureRecord; response: RawResponse };

/** Hand-made transport cases whose wire form is not fully recorded (raw is kept only once per path). */
const STEP_WIRE: Record<string, (r: FixtureRecord) => { query: string; body: string }> = {
  "query-and-body-data-body-wins": (r) => ({ query: "data=" + encodeURIComponent(JSON.stringify({ status: "DONE" })), body: formBody(pythonDumps(r.request)) }),
  "POST-with-data-only-in-query": (r) => ({ query: "data=" + encodeURIComponent(JSON.stringify(r.request)), body: "" }),
};

export async function replayFixture(file: string, baseUrl: string, setClock: (epochSeconds: number) => void): Promise<Exchange[]> {
  const records = loadFixture(file);
  const order = creationOrder(records);
  const etags = new Map<string, string>();
  const out: Exchange[] = [];
  for (const record of records) {
    setClock(atSeconds(record));
    const wire = wireForm(record, order);
    const headers: Record<string, string> = { ...wire.headers };
    const cacheKey = `${record.path}?${wire.query}`;
    // Browsers revalidate cached GETs; the harness did so for its 304 probe.
    if (record.http === "GET" && (record.client === "browser" || record.status === 304) && etags.has(cacheKey)) headers["If-None-Match"] = etags.get(cacheKey)!;
    const response = await rawRequest(baseUrl, { method: record.http, path: record.path, query: wire.query, body: wire.body || undefined, headers });
    const etag = response.headers.etag;
    if (response.status === 200 && typeof etag === "string") etags.set(cacheKey, etag);
    out.push({ record, response });
  }
  return out;
}

function wireForm(r: FixtureRecord, order: Map<string, number>): { query: string; body: string; headers: Record<string, string> } {
  const form = { "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "python-requests/2.28.1" };
  if (r.step && STEP_WIRE[r.step]) {
    const w = STEP_WIRE[r.step](r);
    return { ...w, headers: w.body ? form : {} };
  }
  if (r.raw && r.method !== "add_task") {
    const headers = Object.fromEntries(Object.entries(r.raw.request_headers).filter(([k]) => k !== "Content-Length"));
    return { query: r.raw.query, body: r.raw.body, headers };
  }
  const data = dataText(r, order);
  if (data === null) return { query: "", body: "", headers: {} };
  if (r.http === "GET") return { query: "data=" + encodeURIComponent(data), body: "", headers: { "X-Requested-With": "XMLHttpRequest" } };
  return { query: "", body: formBody(data), headers: form };
}

function dataText(r: FixtureRecord, order: Map<string, number>): string | null {
  if (r.request_nonstandard_json) return r.request_nonstandard_json;
  const req = r.request as Record<string, unknown> | null;
  if (req === null) return null;
  if (req.__empty_data_field__ === true) return "";
  if (typeof req.__undecodable__ === "string") return req.__undecodable__;
  if (r.method === "add_task" && Array.isArray(req.deps)) req.deps = sortByCreation(req.deps as string[], order);
  return r.http === "GET" ? JSON.stringify(req) : pythonDumps(req);
}

/** `deps` is a set on the server; present it in the order luigid happened to iterate it. */
function sortByCreation(deps: string[], order: Map<string, number>): string[] {
  return deps
    .map((id, i) => ({ id, i, t: order.get(id) ?? Infinity }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((d) => d.id);
}

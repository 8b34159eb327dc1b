import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channelSecretsKey, openSecrets } from "@/lib/alerts/channels/secret-box";
import { signWebhook } from "@/lib/alerts/format-message";
import { openApiDocument } from "@/lib/control/openapi";
import { createApiToken, createUser } from "@/lib/auth/api-tokens";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { startSmtpSink, type SmtpSink } from "@/lib/testing/smtp-sink";

// The stored channels through the real route handlers on a real database: roles, zod errors at
// save time, secrets that no answer ever carries (masked for admins, absent for viewers), a blank
// secret that keeps the stored one, the audit trail, and test sends to a real HTTP receiver
// (answering 500, then 200 with a signature to verify) and a real SMTP server.

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Routes = { list: { GET: Handler; POST: Handler }; one: { PATCH: Handler; DELETE: Handler }; action: { POST: Handler } };
let db: TestDatabase;
let routes: Routes;
let http: Server;
let smtp: SmtpSink;
let base = "";
let smtpPort = 0;
const tokens: Record<string, string> = {};
const received: Array<{ path: string; headers: IncomingMessage["headers"]; body: string }> = [];
let mails: string[] = [];
const SECRET = "s3cret-signing-key-0123456789";
const HOOK_PATH = "/T000/B000/XXXXsecretpath";

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  // the key channel secrets are sealed under (secret-box.ts), as every Switchyard process shares it
  process.env.BETTER_AUTH_SECRET = "channel-routes-test-secret-0123456789abcdef";
  process.env.SWITCHYARD_PUBLIC_URL = "https://switchyard.example.test";
  process.env.SWITCHYARD_ALERT_CHANNELS = JSON.stringify([{ name: "from-env", type: "slack", url: "https://hooks.slack.com/services/T1/B1/envsecret" }]);
  for (const role of ["viewer", "operator", "admin"] as const) {
    const user = await createUser(db.pool, { email: `${role}@example.com`, name: role, role });
    tokens[role] = (await createApiToken(db.pool, user, "test")).token;
  }
  http = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      if (req.url?.startsWith("/fail")) res.writeHead(500).end("receiver broken");
      else res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  smtp = await startSmtpSink();
  smtpPort = smtp.port;
  mails = smtp.mails;
  routes = {
    list: (await import("@/app/api/v1/alert-channels/route")) as unknown as Routes["list"],
    one: (await import("@/app/api/v1/alert-channels/[name]/route")) as unknown as Routes["one"],
    action: (await import("@/app/api/v1/alert-channels/[name]/[action]/route")) as unknown as Routes["action"],
  };
});
afterAll(async () => {
  delete process.env.SWITCHYARD_ALERT_CHANNELS;
  delete process.env.BETTER_AUTH_SECRET;
  delete process.env.SWITCHYARD_PUBLIC_URL;
  await new Promise((r) => http?.close(r));
  await smtp?.close();
  const { getPool } = await import("@/lib/db/client");
  await getPool().end();
  await db?.drop();
});

async function call(handler: Handler, role: string, method: string, path: string, params: Record<string, string> = {}, body?: unknown) {
  const request = new NextRequest(`http://127.0.0.1/api/v1/alert-channels${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[role]}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = await handler(request, { params: Promise.resolve(params) });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}
const create = (role: string, body: unknown) => call(routes.list.POST, role, "POST", "", {}, body);
const list = (role: string) => call(routes.list.GET, role, "GET", "");
const act = (role: string, name: string, action: string) => call(routes.action.POST, role, "POST", `/${name}/${action}`, { name, action }, {});
const patch = (name: string, body: object) => call(routes.one.PATCH, "admin", "PATCH", `/${name}`, { name }, body);

describe("alert channel routes", () => {
  it("refuses bad configuration at save time with the field named, and non-admins", async () => {
    const badUrl = await create("admin", { name: "bad", type: "webhook", url: "hooks example", secret: SECRET });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.message).toContain("url: not a URL");
    const badHost = await create("admin", { name: "bad", type: "email", smtpUrl: "smtp://mail_server!:25", from: "a@b.test", to: ["x@y.test"] });
    expect(badHost.status).toBe(400);
    expect(badHost.body.error.message).toMatch(/smtpUrl: .*(not a valid host name|not a URL)/);
    const badScheme = await create("admin", { name: "bad", type: "email", smtpUrl: "https://mail.example.test", from: "a@b.test", to: ["x@y.test"] });
    expect(badScheme.body.error.message).toContain("smtp:// or smtps://");
    const typo = await create("admin", { name: "typo", type: "webhook", url: `${base}${HOOK_PATH}`, secret: SECRET, quiet_hours: { from: "22:00", to: "07:00", timeZone: "UTC" } });
    expect(typo.status).toBe(400);
    expect(typo.body.error.message).toContain('Unrecognized key: "quiet_hours"');
    const hook = { name: "hook", type: "webhook", url: `${base}${HOOK_PATH}`, secret: SECRET };
    expect((await create("viewer", hook)).status).toBe(403);
    expect((await create("operator", hook)).status).toBe(403);
    expect((await create("admin", { ...hook, name: "from-env" })).status).toBe(409);
  });

  it("stores a channel whose secrets no answer carries: masked for admins, absent for viewers", async () => {
    const created = await create("admin", { name: "hook", type: "webhook", url: `${base}${HOOK_PATH}`, secret: SECRET, services: ["team=growth"], digest: { time: "08:30", timeZone: "Europe/Berlin" }, reason: "growth on-call" });
    expect(created.status).toBe(200);
    expect(created.body.channel.secrets).toEqual({ url: `http://127.0.0.1:${base.split(":")[2]}/…/•••• (set)`, secret: "•••• (set)" });
    expect((await create("admin", { name: "hook", type: "slack", url: `${base}/x` })).status).toBe(409);
    for (const role of ["viewer", "operator", "admin"]) {
      const answer = await list(role);
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(SECRET);
      expect(answer.text).not.toContain("XXXXsecretpath");
      expect(answer.text).not.toContain("envsecret");
      const hook = answer.body.channels.find((c: { name: string }) => c.name === "hook");
      expect(hook).toMatchObject({ type: "webhook", source: "api", services: ["team=growth"], digest: { time: "08:30", timeZone: "Europe/Berlin" }, paused: false });
      expect(hook.secrets === null).toBe(role !== "admin");
      expect(answer.body.channels.find((c: { name: string }) => c.name === "from-env")).toMatchObject({ source: "env" });
    }
    const audit = await db.pool.query("SELECT action, outcome, reason, result::text FROM audit_log WHERE target_type = 'channel' ORDER BY id");
    expect(audit.rows).toContainEqual(expect.objectContaining({ action: "channel.create", outcome: "ok", reason: "growth on-call" }));
    expect(JSON.stringify(audit.rows)).not.toContain(SECRET);
  });

  it("keeps a secret left blank on edit, and names what changed in the audit log", async () => {
    const edited = await patch("hook", { url: "", secret: "", severities: ["critical"], services: null, reason: "critical only" });
    expect(edited.status).toBe(200);
    expect(edited.body.changed).toEqual(["services", "severities"]);
    // the kept secrets, sealed in the column (secret-box.ts): the table itself never shows them
    const stored = await db.pool.query("SELECT secrets, filters FROM alert_channels WHERE name = 'hook'");
    expect(stored.rows[0]).toEqual({ secrets: { sealed: expect.stringMatching(/^v1\./) }, filters: { severities: ["critical"] } });
    expect(JSON.stringify(stored.rows[0])).not.toContain("XXXXsecretpath");
    expect(JSON.stringify(stored.rows[0])).not.toContain(SECRET);
    expect(openSecrets(stored.rows[0].secrets, channelSecretsKey(process.env.BETTER_AUTH_SECRET!))).toEqual({ url: `${base}${HOOK_PATH}`, secret: SECRET });
    expect((await patch("hook", { url: "ftp://x.test/" })).body.error.message).toContain("url: expected an http:// or https:// URL");
    expect((await patch("hook", { secret: "short" })).body.error.message).toContain("secret: at least 16 characters");
    expect((await patch("from-env", { severities: ["critical"] })).status).toBe(409);
    expect((await patch("nope", { severities: ["critical"] })).status).toBe(404);
    const audit = await db.pool.query("SELECT result FROM audit_log WHERE action = 'channel.update' AND outcome = 'ok'");
    expect(audit.rows).toEqual([{ result: { changed: ["services", "severities"] } }]);
  });

  it("test-sends through the real transport and answers with the outcome: 500, then a signed 200", async () => {
    await patch("hook", { url: `${base}/fail/hook` });
    const failed = await act("admin", "hook", "test");
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ delivered: false });
    expect(failed.body.error).toMatch(/^webhook 127\.0\.0\.1:\d+ answered 500: receiver broken$/);
    // the list says the channel is failing (the card's state), until a message goes through
    const hookState = async () => (await list("viewer")).body.channels.find((c: { name: string }) => c.name === "hook").failing;
    expect(await hookState()).toEqual({ since: expect.any(String), undelivered: 1 });
    await patch("hook", { url: `${base}${HOOK_PATH}` });
    received.length = 0;
    const ok = await act("admin", "hook", "test");
    expect(ok.body).toEqual({ channel: "hook", delivered: true, error: null });
    const got = received[0];
    const ts = got.headers["x-switchyard-timestamp"] as string;
    expect(got.headers["x-switchyard-signature"]).toBe(signWebhook(SECRET, ts, got.body));
    expect(JSON.parse(got.body)).toMatchObject({ event: "test", channel: "hook", summary: "Nothing red.", links: { incidents: "https://switchyard.example.test/incidents" } });
    expect((await act("operator", "hook", "test")).status).toBe(403);
    const log = (await list("viewer")).body.channels.find((c: { name: string }) => c.name === "hook").deliveries;
    expect(log.map((d: { event: string; status: string }) => `${d.event}:${d.status}`)).toEqual(["test:sent", "test:failed"]);
    expect(log[1].lastError).toContain("answered 500");
    expect(await hookState()).toBeNull();
  });

  it("test-sends e-mail to a real SMTP server, and says why when nothing listens", async () => {
    expect((await create("admin", { name: "mail", type: "email", smtpUrl: `smtp://127.0.0.1:${smtpPort}`, from: "switchyard@example.test", to: ["oncall@example.test"] })).status).toBe(200);
    expect((await act("admin", "mail", "test")).body).toMatchObject({ delivered: true });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain("Subject: [switchyard] Test from Switchyard to channel mail");
    expect(mails[0]).toContain("Content-Type: text/html");
    expect(mails[0]).toContain("Nothing red.");
    // a port nothing listens on (the test SMTP server's, once closed)
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    await patch("mail", { smtpUrl: `smtp://127.0.0.1:${closed}` });
    const refused = await act("admin", "mail", "test");
    expect(refused.status).toBe(200);
    expect(refused.body.delivered).toBe(false);
    expect(refused.body.error).toContain(`ECONNREFUSED 127.0.0.1:${closed}`);
  });

  it("says so, on the page and in the delivery log, when a channel's secrets were sealed under another key", async () => {
    const mine = process.env.BETTER_AUTH_SECRET;
    process.env.BETTER_AUTH_SECRET = "another-deployment-secret-0123456789abcdef";
    try {
      const hook = (await list("admin")).body.channels.find((c: { name: string }) => c.name === "hook");
      expect(hook.secretsError).toMatch(/^its secrets were sealed with another BETTER_AUTH_SECRET/);
      expect((await list("viewer")).body.channels.find((c: { name: string }) => c.name === "hook").secretsError).toBeUndefined();
      const sent = await act("admin", "hook", "test");
      expect(sent.body).toMatchObject({ delivered: false, error: expect.stringMatching(/sealed with another BETTER_AUTH_SECRET/) });
    } finally {
      process.env.BETTER_AUTH_SECRET = mine;
    }
    expect((await act("admin", "hook", "test")).body).toMatchObject({ delivered: true });
  });

  it("pauses, resumes and deletes, each once, each audited", async () => {
    expect((await act("admin", "hook", "pause")).body).toEqual({ name: "hook", paused: true });
    expect((await act("admin", "hook", "pause")).status).toBe(409);
    expect((await act("admin", "hook", "resume")).body).toEqual({ name: "hook", paused: false });
    expect((await act("admin", "from-env", "pause")).status).toBe(409);
    expect((await act("admin", "hook", "explode")).status).toBe(400);
    expect((await call(routes.one.DELETE, "operator", "DELETE", "/hook", { name: "hook" })).status).toBe(403);
    expect((await call(routes.one.DELETE, "admin", "DELETE", "/hook", { name: "hook" })).body).toEqual({ deleted: "hook" });
    expect((await call(routes.one.DELETE, "admin", "DELETE", "/hook", { name: "hook" })).status).toBe(404);
    const audit = await db.pool.query("SELECT action, outcome FROM audit_log WHERE target_type = 'channel' AND target_id = 'hook' AND action IN ('channel.pause', 'channel.resume', 'channel.delete') ORDER BY id");
    expect(audit.rows.map((r) => `${r.action}:${r.outcome}`)).toEqual(["channel.pause:ok", "channel.pause:denied", "channel.resume:ok", "channel.delete:ok", "channel.delete:denied"]);
  });

  it("are in the OpenAPI document, with the webhook bodies", () => {
    const doc = openApiDocument();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/alert-channels", "/api/v1/alert-channels/{name}", "/api/v1/alert-channels/{name}/{action}"]));
    expect(JSON.stringify(doc.components.schemas.AlertChannel)).toContain('"smtpUrl"');
    expect(Object.keys(doc.webhooks)).toEqual(["alertIncident", "alertDigest"]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});

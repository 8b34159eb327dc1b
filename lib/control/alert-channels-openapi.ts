import type { z } from "zod";
import { createChannelInput, updateChannelInput } from "@/lib/schemas/alert-channel-input";

// The OpenAPI part of /api/v1/alert-channels and of what a channel receives (lib/control/openapi.ts
// merges it in): request bodies from the zod schemas the routes parse with; answers and the
// webhook bodies (an incident message, a daily digest or test send) written out here.

type Helpers = {
  json: (schema: z.ZodType, io?: "input" | "output") => unknown;
  ref: (name: string) => object;
  body: (name: string) => object;
  ok: (description: string, schema: object) => object;
  errors: object;
  pathParam: (name: string, description: string) => object;
};

const str = { type: "string" };
const strOrNull = { type: ["string", "null"] };
const strings = { type: ["array", "null"], items: str };

const channelView = {
  type: "object",
  description: "A channel as any answer shows it: secrets masked for admins (\"https://hooks.slack.com/…/•••• (set)\"), null for everybody else",
  properties: {
    name: str,
    type: { enum: ["slack", "webhook", "email"] },
    source: { enum: ["env", "api", "file"], description: "env: SWITCHYARD_ALERT_CHANNELS (read-only); file: the services file; api: added on the page or through this API" },
    paused: { type: "boolean" },
    shadowed: { type: "boolean", description: "a stored channel named like an environment one: not sent to" },
    failing: {
      type: ["object", "null"],
      description: "a channel sent to whose messages since its last delivered one failed (given up on, or waiting for a retry after an error): since the first of them, and how many; null when it delivers, or is paused",
      properties: { since: str, undelivered: { type: "integer" } },
    },
    target: { type: "object", description: "not secret: an e-mail channel's from and to" },
    secrets: { type: ["object", "null"], additionalProperties: str },
    rules: strings,
    services: strings,
    severities: strings,
    quietHours: { type: ["object", "null"], properties: { from: str, to: str, timeZone: str } },
    digest: { type: ["object", "null"], properties: { time: str, timeZone: str } },
    updatedAt: strOrNull,
    updatedBy: strOrNull,
    deliveries: {
      type: "array",
      items: { type: "object", properties: { id: { type: "integer" }, event: { enum: ["open", "resolve", "digest", "test"] }, status: { enum: ["pending", "sending", "sent", "failed", "skipped"] }, attempts: { type: "integer" }, lastError: strOrNull, createdAt: str, sentAt: strOrNull, summary: strOrNull, incidentId: { type: ["integer", "null"] } } },
    },
  },
};

const links = (names: string[]) => ({ type: "object", properties: Object.fromEntries(names.map((n) => [n, strOrNull])) });

/** POSTed to a webhook channel as JSON, signed: X-Switchyard-Signature = sha256=hex(HMAC-SHA256(secret, X-Switchyard-Timestamp + "." + body)). */
const incidentBody = {
  type: "object",
  required: ["idempotencyKey", "event", "incident"],
  properties: {
    idempotencyKey: { type: "string", description: "also the Idempotency-Key header: drop a repeat" },
    event: { enum: ["open", "resolve"] },
    incident: {
      type: "object",
      properties: {
        id: { type: "integer" }, rule: str, severity: { enum: ["info", "warning", "critical"] }, service: strOrNull, kind: strOrNull, period: strOrNull,
        summary: str, error: strOrNull, openedAt: str, resolvedAt: strOrNull, resolvedBy: strOrNull, links: links(["incident", "run", "service"]),
      },
    },
  },
};

const digestBody = {
  type: "object",
  description: "A daily digest (event digest, once per channel and local date) or a test send (event test): what is red now",
  required: ["idempotencyKey", "event", "channel", "date", "items"],
  properties: {
    idempotencyKey: str,
    event: { enum: ["digest", "test"] },
    channel: str,
    date: { type: "string", description: "the channel's local date (YYYY-MM-DD) in timeZone" },
    timeZone: str,
    generatedAt: str,
    summary: { type: "string", example: "2 open: 1 run_failed, 1 sla_miss. 3 resolved since yesterday." },
    resolvedSinceYesterday: { type: "integer" },
    silenced: {
      type: "array",
      description: "the channel's services whose alerts are silenced now (their messages are held until the silence ends)",
      items: { type: "object", properties: { service: str, until: str, by: str, reason: strOrNull } },
    },
    items: {
      type: "array",
      items: { type: "object", properties: { incidentId: { type: ["integer", "null"], description: "null for a red daily (rule run_failed or missing_period) with no open incident" }, rule: str, severity: str, service: strOrNull, period: strOrNull, summary: str, error: strOrNull, openedAt: strOrNull, acknowledgedBy: strOrNull, links: links(["incident", "run", "service"]) } },
    },
    links: links(["incidents", "home"]),
  },
};

export function alertChannelsOpenApi(h: Helpers) {
  const name = [h.pathParam("name", "channel name")];
  const answer = h.ok("the channel as stored (secrets masked)", { type: "object", properties: { channel: h.ref("AlertChannelView") } });
  const conflict = { "409": h.ok("a channel of that name exists, it is set in SWITCHYARD_ALERT_CHANNELS (read-only), or it already is in that state", h.ref("Error")) };
  const missing = { "404": h.ok("no stored channel of that name", h.ref("Error")) };
  const reasonOnly = { required: false, content: { "application/json": { schema: { type: "object", properties: { reason: str } } } } };
  const names = { type: "array", items: str };
  const channelList = {
    type: "object",
    properties: {
      channels: { type: "array", items: h.ref("AlertChannelView") },
      environmentError: strOrNull,
      environmentsDiffer: {
        type: "array",
        description: "environment channels some live alert loops send to and others do not list (SWITCHYARD_ALERT_CHANNELS differs between processes: a change rolling out)",
        items: { type: "object", properties: { channel: str, sentBy: names, notBy: names } },
      },
      now: str,
    },
  };
  return {
    schemas: {
      AlertChannel: h.json(createChannelInput),
      AlertChannelUpdate: h.json(updateChannelInput),
      AlertChannelView: channelView,
      AlertIncidentMessage: incidentBody,
      AlertDigestMessage: digestBody,
    },
    paths: {
      "/api/v1/alert-channels": {
        get: { summary: "Every alert channel with its state and last deliveries (viewer; secrets only masked, and only for admins)", responses: { "200": h.ok("channels", channelList), ...h.errors } },
        post: { summary: "Add a channel (admin); a malformed URL or SMTP host is a 400 naming the field", requestBody: h.body("AlertChannel"), responses: { "200": answer, ...conflict, ...h.errors } },
      },
      "/api/v1/alert-channels/{name}": {
        patch: { summary: "Change some fields (admin); a secret left out or blank keeps the stored one, null clears a filter", parameters: name, requestBody: h.body("AlertChannelUpdate"), responses: { "200": h.ok("the channel after the change, and the names of the fields that changed", { type: "object", properties: { channel: h.ref("AlertChannelView"), changed: { type: "array", items: str } } }), ...conflict, ...missing, ...h.errors } },
        delete: { summary: "Delete a stored channel (admin)", parameters: name, responses: { "200": h.ok("deleted", { type: "object", properties: { deleted: str } }), ...conflict, ...missing, ...h.errors } },
      },
      "/api/v1/alert-channels/{name}/{action}": {
        post: {
          summary: "pause, resume or delete a stored channel, or test-send to any channel (admin)",
          parameters: [...name, { ...h.pathParam("action", "what to do"), schema: { type: "string", enum: ["pause", "resume", "test", "delete"] } }],
          requestBody: reasonOnly,
          responses: {
            "200": h.ok("pause/resume: { name, paused }; delete: { deleted }; test: { channel, delivered, error } — a failed send is an answer (\"webhook 127.0.0.1:9 answered 500\"), not an error", { type: "object" }),
            ...conflict,
            ...missing,
            ...h.errors,
          },
        },
      },
    },
    webhooks: {
      alertIncident: { post: { summary: "An incident opened or resolved (webhook channels; Slack channels get Block Kit, e-mail text and HTML)", requestBody: { content: { "application/json": { schema: h.ref("AlertIncidentMessage") } } }, responses: { "200": { description: "any 2xx is delivered; anything else is retried with backoff" } } } },
      alertDigest: { post: { summary: "The daily digest at the channel's local time, or a test send", requestBody: { content: { "application/json": { schema: h.ref("AlertDigestMessage") } } }, responses: { "200": { description: "any 2xx is delivered" } } } },
    },
  };
}

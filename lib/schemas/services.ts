import { z } from "zod";
import { fileChannelsSchema } from "@/lib/schemas/alert-channels";
import { checkTemplate, scalarPlaceholders, wordPlaceholders } from "@/lib/runner/command/template";
import { isValidTimeZone } from "@/lib/time/zoned-time";

// Services: the shape of a service in the config file (switchyard.services.json, synced to the
// database when a runner starts) and in the control API. One schema for both, so a field means
// the same thing wherever it is written.

export const serviceName = z
  .string("expected a service name")
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "expected 1-63 characters: lower-case letters, digits, - and _, starting with a letter or digit");

const localTime = z.string("expected a local time \"HH:MM\"").regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected a local time \"HH:MM\" from 00:00 to 23:59");

export const timeZone = z
  .string("expected an IANA time zone name")
  .refine(isValidTimeZone, { error: (issue) => `expected an IANA time zone such as Europe/Berlin or America/New_York (got ${JSON.stringify(issue.input)})` });

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name such as API_URL");

const dailyPlaceholders = [...scalarPlaceholders.filter((p) => p !== "hour"), ...wordPlaceholders];
const hourlyPlaceholders = [...scalarPlaceholders, ...wordPlaceholders];
const environmentPlaceholders = [...scalarPlaceholders, ...wordPlaceholders];

const template = (allowed: readonly string[], kind: "command" | "environment") =>
  z.string("expected a command line").superRefine((value, ctx) => {
    const problem = checkTemplate(value, allowed, kind);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const rootTask = z.strictObject({
  family: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, "expected a Luigi task family such as AllDailyTask"),
  params: z.record(z.string(), z.string("expected a string (placeholders allowed)")).default({}),
});

/** Every editable field of a service. Defaults are applied by the config schema, not here, so a PATCH changes only what it names. */
const serviceFields = {
  displayName: z.string().trim().min(1, "must not be empty").max(200, "at most 200 characters"),
  timeZone,
  dailyTime: localTime,
  hourly: z.boolean("expected true or false"),
  hourlyMinute: z.int("expected a whole minute from 0 to 59").min(0, "expected a minute from 0 to 59").max(59, "expected a minute from 0 to 59"),
  dailyCommand: template(dailyPlaceholders, "command"),
  hourlyCommand: template(hourlyPlaceholders, "command").nullable(),
  forceArgument: template(dailyPlaceholders, "command").nullable(),
  fromTaskArgument: template([...hourlyPlaceholders, "task"], "command").nullable(),
  environment: z.record(envName, template(environmentPlaceholders, "environment")),
  labels: z.record(z.string().min(1).max(63), z.string().max(200)),
  concurrencyGroup: serviceName.nullable(),
  maxRunning: z.int("expected a whole number").min(1, "expected at least 1").max(10_000).nullable(),
  retry: z.strictObject({
    attempts: z.int("expected a whole number").min(0, "expected 0 or more").max(20, "at most 20"),
    backoffSeconds: z.int("expected whole seconds").min(0, "expected 0 or more").max(86_400, "at most 86400 (a day)"),
  }),
  timeoutSeconds: z.int("expected whole seconds").min(1, "expected at least 1").max(7 * 86_400, "at most 604800 (a week)"),
  expectedDoneBy: localTime.nullable(),
  enabled: z.boolean("expected true or false"),
  rootTask: z.strictObject({ daily: rootTask.optional(), hourly: rootTask.optional() }),
  /** the folder the command runs in; in the file, relative to the file (made absolute when it is read) */
  workingDirectory: z.string("expected a folder path").min(1, "must not be empty").max(1000).nullable(),
  /** false: observe only — runs launched elsewhere (cron) are followed, the runner triggers none itself */
  launch: z.boolean("expected true or false"),
};

const hourlyNeedsCommand = (s: { hourly?: boolean; hourlyCommand?: string | null }, ctx: z.RefinementCtx) => {
  if (s.hourly && !s.hourlyCommand) ctx.addIssue({ code: "custom", path: ["hourlyCommand"], message: "required when hourly is true" });
};

/** A service as written in the config file. */
export const serviceConfigSchema = z
  .strictObject({
    name: serviceName,
    displayName: serviceFields.displayName.optional(),
    timeZone: serviceFields.timeZone.default("UTC"),
    dailyTime: serviceFields.dailyTime.default("02:00"),
    hourly: serviceFields.hourly.default(false),
    hourlyMinute: serviceFields.hourlyMinute.default(5),
    dailyCommand: serviceFields.dailyCommand,
    hourlyCommand: serviceFields.hourlyCommand.default(null),
    forceArgument: serviceFields.forceArgument.default(null),
    fromTaskArgument: serviceFields.fromTaskArgument.default(null),
    environment: serviceFields.environment.default({}),
    labels: serviceFields.labels.default({}),
    concurrencyGroup: serviceFields.concurrencyGroup.default(null),
    maxRunning: serviceFields.maxRunning.default(null),
    retry: serviceFields.retry.partial().default({}).transform((r) => ({ attempts: r.attempts ?? 0, backoffSeconds: r.backoffSeconds ?? 300 })),
    timeoutSeconds: serviceFields.timeoutSeconds.default(21_600),
    expectedDoneBy: serviceFields.expectedDoneBy.default(null),
    enabled: serviceFields.enabled.default(true),
    rootTask: serviceFields.rootTask.default({}),
    workingDirectory: serviceFields.workingDirectory.default(null),
    launch: serviceFields.launch.default(true),
  })
  .superRefine(hourlyNeedsCommand);

export type ServiceConfig = z.output<typeof serviceConfigSchema>;

/** The whole config file. */
export const servicesFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    /** most runs running at once across all runners; omitted = no fleet-wide limit */
    maxRunning: z.int("expected a whole number").min(1, "expected at least 1").nullable().default(null),
    concurrencyGroups: z.record(serviceName, z.int("expected a whole number").min(1, "expected at least 1")).default({}),
    services: z.array(serviceConfigSchema, "expected a list of services"),
    /** alert channels, in the shape of SWITCHYARD_ALERT_CHANNELS, secrets as {env:NAME} (lib/alerts/channels/sync-channels.ts) */
    channels: fileChannelsSchema,
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.services.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: "custom", path: ["services", i, "name"], message: `duplicate service name "${s.name}" (also services[${seen.get(s.name)}])` });
      seen.set(s.name, i);
      if (s.concurrencyGroup && !(s.concurrencyGroup in file.concurrencyGroups)) {
        ctx.addIssue({ code: "custom", path: ["services", i, "concurrencyGroup"], message: `group "${s.concurrencyGroup}" is not declared in concurrencyGroups` });
      }
    });
  });

export type ServicesFile = z.output<typeof servicesFileSchema>;

export const reason = z
  .string("say why (it goes into the audit log)")
  .trim()
  .min(1, "say why (it goes into the audit log)")
  .max(1000, "at most 1000 characters");

/** PATCH /api/v1/services/{name}: any subset of the editable fields, plus why. */
export const serviceUpdateSchema = z
  .strictObject(serviceFields)
  .partial()
  .extend({ name: serviceName, reason })
  .superRefine((s, ctx) => {
    const changes = Object.keys(s).filter((k) => k !== "name" && k !== "reason");
    if (changes.length === 0) ctx.addIssue({ code: "custom", message: "name at least one field to change" });
  });

export type ServiceUpdate = z.output<typeof serviceUpdateSchema>;

export const serviceNameParams = z.strictObject({ name: serviceName });
export const listServicesQuery = z.strictObject({});

/** POST /api/v1/services/sync: a whole services file (workingDirectory already absolute), where it came from, and why. */
export const servicesSyncSchema = servicesFileSchema.safeExtend({ source: z.string().min(1).max(1000).default("api"), reason: reason.optional() });

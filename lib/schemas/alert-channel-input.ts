import { z } from "zod";
import { CHANNEL_TYPE_ERROR, CHANNEL_VARIANTS, channelCommonFields, channelName } from "@/lib/schemas/alert-channels";

// Inputs of /api/v1/alert-channels (lib/control/alert-channels.ts). A new channel has the same
// shape as in SWITCHYARD_ALERT_CHANNELS; an edit names only what changes, and a secret field
// left out or blank keeps the stored secret (the form never has it to send back).

const reason = z.string().trim().max(1000, "at most 1000 characters").optional();

const [webhook, slack, email] = CHANNEL_VARIANTS;
export const createChannelInput = z.discriminatedUnion("type", [webhook.extend({ reason }), slack.extend({ reason }), email.extend({ reason })], { error: CHANNEL_TYPE_ERROR });
export type CreateChannelInput = z.infer<typeof createChannelInput>;

const clearable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();
const c = channelCommonFields;

export const updateChannelInput = z.strictObject({
  name: channelName,
  reason,
  type: z.enum(["webhook", "slack", "email"]).optional(),
  // secrets: absent or "" keeps the stored value
  url: z.string().optional(),
  secret: z.string().optional(),
  smtpUrl: z.string().optional(),
  from: z.string().optional(),
  to: z.array(z.string()).optional(),
  rules: clearable(c.rules.unwrap()),
  services: clearable(c.services.unwrap()),
  severities: clearable(c.severities.unwrap()),
  quietHours: clearable(c.quietHours.unwrap()),
  digest: clearable(c.digest.unwrap()),
  paused: z.boolean().optional(),
});
export type UpdateChannelInput = z.infer<typeof updateChannelInput>;

export const channelNameInput = z.strictObject({ name: channelName, reason });

// delete is also a POST action, so the page's confirmation dialog (which POSTs) can ask for it
export const CHANNEL_ACTIONS = ["pause", "resume", "test", "delete"] as const;
export const channelActionInput = z.strictObject({
  name: channelName,
  action: z.enum(CHANNEL_ACTIONS, `expected one of ${CHANNEL_ACTIONS.join(", ")}`),
  reason,
});

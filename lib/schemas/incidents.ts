import { z } from "zod";

// POST /api/v1/incidents/{id}/{action}: a closed list of intents.
export const INCIDENT_ACTIONS = ["acknowledge", "resolve"] as const;

export const incidentActionSchema = z.object({
  id: z.coerce.number().int().positive(),
  action: z.enum(INCIDENT_ACTIONS, { message: `the action must be one of: ${INCIDENT_ACTIONS.join(", ")}` }),
  reason: z.string().trim().max(500).optional(),
});

// GET /api/v1/alert-channels – every channel with its state and last deliveries (secrets masked for admins, absent for others)
// POST /api/v1/alert-channels – add a channel (admin)
import { withApi } from "@/lib/api/handler";
import { hasRole } from "@/lib/auth/roles";
import { createChannel } from "@/lib/control/alert-channels";
import { getPool } from "@/lib/db/client";
import { getChannelsData } from "@/lib/presenters/get-channels-data";
import { createChannelInput } from "@/lib/schemas/alert-channel-input";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer" }, ({ actor }) => getChannelsData(getPool(), hasRole(actor, "admin")));

export const POST = withApi({ role: "admin", input: createChannelInput }, ({ input, actor }) => createChannel(getPool(), actor, input));

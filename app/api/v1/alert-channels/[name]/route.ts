// PATCH /api/v1/alert-channels/{name} – change some fields (admin); a blank secret keeps the stored one
// DELETE /api/v1/alert-channels/{name} – delete a stored channel (admin)
import { withApi } from "@/lib/api/handler";
import { deleteChannel, updateChannel } from "@/lib/control/alert-channels";
import { getPool } from "@/lib/db/client";
import { channelNameInput, updateChannelInput } from "@/lib/schemas/alert-channel-input";

export const dynamic = "force-dynamic";

export const PATCH = withApi({ role: "admin", input: updateChannelInput }, ({ input, actor }) => updateChannel(getPool(), actor, input));

export const DELETE = withApi({ role: "admin", input: channelNameInput }, ({ input, actor }) => deleteChannel(getPool(), actor, input));

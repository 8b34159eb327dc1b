// POST /api/v1/alert-channels/{name}/pause – send nothing new to it (admin)
// POST /api/v1/alert-channels/{name}/resume – send to it again (admin)
// POST /api/v1/alert-channels/{name}/test – send a test message now and answer with the outcome (admin)
// POST /api/v1/alert-channels/{name}/delete – the same as DELETE /api/v1/alert-channels/{name} (admin)
import { withApi } from "@/lib/api/handler";
import { deleteChannel, setChannelPausedAction } from "@/lib/control/alert-channels";
import { testChannel } from "@/lib/control/test-alert-channel";
import { getPool } from "@/lib/db/client";
import { channelActionInput } from "@/lib/schemas/alert-channel-input";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "admin", input: channelActionInput }, ({ input, actor }) => {
  if (input.action === "test") return testChannel(getPool(), actor, input);
  if (input.action === "delete") return deleteChannel(getPool(), actor, input);
  return setChannelPausedAction(getPool(), actor, { name: input.name, paused: input.action === "pause", reason: input.reason });
});

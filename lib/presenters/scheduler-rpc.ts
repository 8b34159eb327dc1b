import { ApiError } from "@/lib/api/errors";
import { callLuigi, SchedulerUnreachable } from "@/lib/luigi-rpc/call";

// The web app's calls to the scheduler (lib/luigi-rpc), with failures as the API's 502.

export { schedulerUrl } from "@/lib/luigi-rpc/call";

export async function callScheduler(base: string, method: string, args: Record<string, unknown>, timeoutMs = 5_000): Promise<unknown> {
  try {
    return await callLuigi(base, method, args, timeoutMs);
  } catch (error) {
    if (error instanceof SchedulerUnreachable) throw new ApiError(502, "scheduler_unreachable", error.message);
    throw error;
  }
}

// POST /api/v1/scheduler/:action – pause or unpause the scheduler, disable a worker, set a worker's processes (operator).
import { withApi } from "@/lib/api/handler";
import { runSchedulerAction, schedulerActionInput } from "@/lib/control/scheduler-actions";
import { getPool } from "@/lib/db/client";
import { schedulerUrl } from "@/lib/presenters/scheduler-rpc";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "operator", input: schedulerActionInput }, ({ input, actor }) => runSchedulerAction(getPool(), schedulerUrl(), actor, input));

// POST /api/v1/tasks/:taskId/:action – forgive failures, re-enable or mark done a task on the scheduler (operator).
import { withApi } from "@/lib/api/handler";
import { runTaskAction, taskActionInput } from "@/lib/control/task-action";
import { getPool } from "@/lib/db/client";
import { schedulerUrl } from "@/lib/luigi-rpc/url";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "operator", input: taskActionInput }, ({ input, actor }) => runTaskAction(getPool(), schedulerUrl(), actor, input));

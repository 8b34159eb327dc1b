// POST /api/v1/services/sync – write a services file's services into the database (admin); what changed goes to the audit log
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { syncServicesFile } from "@/lib/runner/services/sync-services-file";
import { servicesSyncSchema } from "@/lib/schemas/services";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "admin", input: servicesSyncSchema }, ({ input, actor }) => {
  const { source, reason, ...file } = input;
  return syncServicesFile(getPool(), file, { actor, source, reason });
});

import type { IncomingMessage, ServerResponse } from "node:http";
import type { CorsConfig } from "@/lib/scheduler/config";

// luigid's [cors] handling for /api responses and OPTIONS preflights: nothing unless enabled;
// then the request's Origin is echoed when allowed (or `*` with allow_any_origin).

export function applyCors(req: IncomingMessage, res: ServerResponse, cors: CorsConfig): void {
  if (!cors.enabled) return;
  const origin = req.headers.origin;
  if (!origin) return;
  let allow: string | null = null;
  if (origin === "null") allow = cors.allow_null_origin ? "null" : null;
  else if (cors.allow_any_origin) allow = "*";
  else if (cors.allowed_origins.includes(origin)) allow = origin;
  if (allow === null) return;
  res.setHeader("Access-Control-Allow-Origin", allow);
  if (allow !== "*") res.setHeader("Vary", "Accept-Encoding, Origin");
  res.setHeader("Access-Control-Max-Age", String(cors.max_age));
  res.setHeader("Access-Control-Allow-Methods", cors.allowed_methods);
  res.setHeader("Access-Control-Allow-Headers", cors.allowed_headers);
  if (cors.allow_credentials) res.setHeader("Access-Control-Allow-Credentials", "true");
  if (cors.exposed_headers) res.setHeader("Access-Control-Expose-Headers", cors.exposed_headers);
}

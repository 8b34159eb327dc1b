import { NextResponse, type NextRequest } from "next/server";
import { errorResponse, recordRefusal } from "@/lib/api/handler";
import { MAX_AUTH_BODY_BYTES, readJsonObject } from "@/lib/api/read-body";
import { ApiError } from "@/lib/api/errors";
import { PasswordLinkRefused, spendPasswordLink } from "@/lib/auth/password-links";
import { getPool } from "@/lib/db/client";
import { joinSchema } from "@/lib/schemas/users";

// POST /api/v1/join – needs no sign-in, like /api/v1/setup: it spends a one-time password link an
// admin made (People page) and sets its account's password (lib/auth/password-links.ts).
export async function POST(request: NextRequest) {
  try {
    const body = joinSchema.parse((await readJsonObject(request, MAX_AUTH_BODY_BYTES)) ?? {});
    const client = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null;
    const { email } = await spendPasswordLink(getPool(), body.token, body.password, client);
    return NextResponse.json({ email });
  } catch (error) {
    const refused = error instanceof PasswordLinkRefused ? new ApiError(400, "link_refused", error.message) : error;
    await recordRefusal(null, request, refused); // a used, expired or made-up link is in the audit log, as "anonymous"
    return errorResponse(refused, request);
  }
}

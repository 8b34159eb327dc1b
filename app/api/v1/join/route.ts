import { NextResponse, type NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/handler";
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
    if (error instanceof PasswordLinkRefused) return errorResponse(new ApiError(400, "link_refused", error.message), request);
    return errorResponse(error, request);
  }
}

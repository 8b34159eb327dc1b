import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { errorResponse, recordRefusal } from "@/lib/api/handler";
import { MAX_AUTH_BODY_BYTES, readJsonObject } from "@/lib/api/read-body";
import { ApiError } from "@/lib/api/errors";
import { createFirstAdmin, SetupRefused } from "@/lib/auth/first-admin";
import { getPool } from "@/lib/db/client";

// The one route that needs no sign-in: it spends the first-admin token that `switchyard start` printed.
const input = z.strictObject({
  token: z.string("expected the token from the set-up link").min(1),
  email: z.string("expected an e-mail address"),
  name: z.string("expected a name"),
  password: z.string("expected a password"),
});

export async function POST(request: NextRequest) {
  try {
    const body = input.parse((await readJsonObject(request, MAX_AUTH_BODY_BYTES)) ?? {});
    const { id } = await createFirstAdmin(getPool(), body.token, body);
    return NextResponse.json({ id }, { status: 201 });
  } catch (error) {
    const refused = error instanceof SetupRefused ? new ApiError(400, "setup_refused", error.message) : error;
    await recordRefusal(null, request, refused); // a used, expired or made-up link is in the audit log, as "anonymous"
    return errorResponse(refused, request);
  }
}

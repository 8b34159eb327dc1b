import { NextResponse } from "next/server";
import { ApiError } from "@/lib/api/errors";
import { MAX_AUTH_BODY_BYTES, readBodyText } from "@/lib/api/read-body";
import { getAuth } from "@/lib/auth/server";

// better-auth's endpoints: /api/auth/sign-in/email, /api/auth/sign-out, /api/auth/get-session, ...
// A sign-in is a few hundred bytes: the body is read here with a limit, then handed on.
export const GET = (request: Request) => getAuth().handler(request);
export async function POST(request: Request) {
  let text: string;
  try {
    text = await readBodyText(request, MAX_AUTH_BODY_BYTES);
  } catch (error) {
    const e = error as ApiError;
    return NextResponse.json({ error: { code: e.code, message: e.message, details: null } }, { status: e.status ?? 400 });
  }
  return getAuth().handler(new Request(request.url, { method: "POST", headers: request.headers, body: text }));
}

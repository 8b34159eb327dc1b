import { ApiError } from "@/lib/api/errors";
import { unstorableText } from "@/lib/db/storable-text";

// Request bodies are read with a limit: a control API takes a few hundred bytes of JSON, so a
// megabyte is already generous, and nobody may make the server buffer a gigabyte. A declared
// Content-Length over the limit is refused before reading; a body streamed without one is cut off
// as soon as it passes the limit.

export const MAX_BODY_BYTES = 1024 * 1024;
/** Sign-in and set-up bodies: an e-mail, a name and a password. */
export const MAX_AUTH_BODY_BYTES = 16 * 1024;

export async function readBodyText(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const tooLarge = () => new ApiError(413, "body_too_large", `the request body is larger than ${limit} bytes`);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The body as a JSON object, or a 400 that says what is wrong with it. */
export async function readJsonObject(request: Request, limit = MAX_BODY_BYTES): Promise<Record<string, unknown> | null> {
  const text = await readBodyText(request, limit);
  if (text.trim() === "") return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "the request body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ApiError(400, "invalid_json", "the request body must be a JSON object");
  const unstorable = unstorableText(text, body);
  if (unstorable) throw new ApiError(400, "invalid_json", `the request body contains ${unstorable}`);
  return body as Record<string, unknown>;
}

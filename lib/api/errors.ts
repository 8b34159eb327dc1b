// Domain errors carry their own HTTP status and a stable code; the route wrapper maps them
// to `{ "error": { "code", "message", "details" } }` (DESIGN.md, Control API).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} was not found`);
export const conflict = (message: string, details?: unknown) => new ApiError(409, "conflict", message, details);
export const badRequest = (message: string, details?: unknown) => new ApiError(400, "bad_request", message, details);
export const unauthorized = () => new ApiError(401, "unauthorized", "sign in or send an API token (Authorization: Bearer …)");
export const forbidden = (role: string) => new ApiError(403, "forbidden", `this needs the ${role} role`);

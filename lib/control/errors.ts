// Domain errors of operator actions: what went wrong in the words of the domain (a kind), never
// an HTTP status. lib/api/handler.ts (withApi) is the one place that turns a kind into a status.

export type ControlErrorKind = "invalid" | "not_found" | "conflict" | "unavailable";

const defaultCode: Record<ControlErrorKind, string> = { invalid: "bad_request", not_found: "not_found", conflict: "conflict", unavailable: "unavailable" };

export class ControlError extends Error {
  readonly code: string;
  constructor(
    readonly kind: ControlErrorKind,
    message: string,
    readonly details?: unknown,
    code?: string,
  ) {
    super(message);
    this.name = "ControlError";
    this.code = code ?? defaultCode[kind];
  }

  /** A refusal the caller can act on (bad input, no such thing, a conflicting state), as opposed to a failure. */
  get refusal(): boolean {
    return this.kind !== "unavailable";
  }
}

export const invalid = (message: string, details?: unknown) => new ControlError("invalid", message, details);
export const notFound = (what: string) => new ControlError("not_found", `${what} was not found`);
export const conflict = (message: string, details?: unknown) => new ControlError("conflict", message, details);
export const unavailable = (message: string, code: string) => new ControlError("unavailable", message, undefined, code);

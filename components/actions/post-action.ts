// POST of an operator action to the control API. Errors keep the API's code, message and field
// errors ({ error: { code, message, details|fields } }) so the dialog can say what went wrong.

export class ActionError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ActionError";
  }
}

type ErrorBody = { error?: { code?: string; message?: string } };

export function postAction<T>(url: string, body: Record<string, unknown>): Promise<T> {
  return sendAction<T>(url, body, "POST");
}

/** An action with another verb (PATCH of a service). */
export async function sendAction<T>(url: string, body: Record<string, unknown>, method: "POST" | "PATCH"): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      cache: "no-store",
    });
  } catch (error) {
    throw new ActionError(0, "network", `the server did not answer: ${(error as Error).message}`);
  }
  const json = (await res.json().catch(() => null)) as (T & ErrorBody) | null;
  if (!res.ok) {
    const fallback = res.status === 401 ? "you are signed out: sign in again" : res.status === 403 ? "your role may not do this" : `HTTP ${res.status}`;
    throw new ActionError(res.status, json?.error?.code ?? "http", json?.error?.message ?? fallback);
  }
  return json as T;
}

/** A fresh key per confirmation dialog: the server runs one action per key, however often it is sent. */
export function newRequestKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

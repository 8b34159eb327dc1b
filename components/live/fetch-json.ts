// Client-side GET of a dashboard JSON route. Errors keep the HTTP status so queries can decide
// not to retry a 401/403/404 (retrying cannot fix those).

export class FetchError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "FetchError";
  }
}

export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { accept: "application/json" }, cache: "no-store" });
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    try {
      const body = await res.json();
      message = body?.error?.message ?? message;
    } catch {
      // not JSON: keep the status line
    }
    throw new FetchError(res.status, message);
  }
  return (await res.json()) as T;
}

export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof FetchError && error.status < 500) return false;
  return failureCount < 2;
}

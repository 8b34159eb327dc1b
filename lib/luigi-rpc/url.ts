// The scheduler's address as every client takes it: a base URL (a path prefix is kept, SPEC §1.1),
// with optional user:secret that is sent as HTTP Basic auth, as Luigi's own fetchers do (§1.4).

/** `SCHEDULER_URL` (set by `switchyard start`, may carry user:secret), else the scheduler on this machine at SCHEDULER_PORT. */
export function schedulerUrl(env: Record<string, string | undefined> = process.env): string {
  return (env.SCHEDULER_URL || `http://127.0.0.1:${env.SCHEDULER_PORT || "8082"}`).replace(/\/+$/, "");
}

export class SchedulerUrlError extends Error {}

/** Validates a scheduler URL; throws a one-line reason. */
export function parseSchedulerUrl(text: string, flag = "--scheduler-url"): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SchedulerUrlError(`${flag}: ${JSON.stringify(redactUrl(text))} is not a URL (expected e.g. http://127.0.0.1:8082)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new SchedulerUrlError(`${flag}: only http:// and https:// are supported (got ${url.protocol})`);
  return url;
}

/** The URL with any password replaced by ***, for log lines and error messages. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, "$1:***@");
}

/** The Authorization header for a URL's credentials (percent-decoded, like urllib and requests), or undefined. */
export function basicAuthOf(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined;
  return "Basic " + Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64");
}

/** Every URL password in a text (a rendered command line) replaced by ***. */
export function redactUrls(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:@/\s'"]*):[^@/\s'"]*@/gi, "$1:***@");
}

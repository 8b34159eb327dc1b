import { CliError } from "@/lib/cli/errors";

// The CLI's side of the control API (/api/v1): SWITCHYARD_URL and SWITCHYARD_TOKEN from the
// environment, JSON in and out, and every failure turned into one line that says what to do,
// with the exit code scripts rely on: 1 failed (unreachable, server error), 2 usage (bad input,
// unknown service or run), 3 refused (no or wrong token, missing role, a conflicting run).

export const EXIT = { done: 0, failed: 1, usage: 2, refused: 3 } as const;

export type ControlClient = {
  baseUrl: string;
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
};

type ApiErrorBody = { error?: { code?: string; message?: string; details?: { path?: string; message?: string }[] } };

export function controlClient(env: NodeJS.ProcessEnv = process.env): ControlClient {
  const baseUrl = (env.SWITCHYARD_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`).replace(/\/+$/, "");
  try {
    new URL(baseUrl);
  } catch {
    throw new CliError(`SWITCHYARD_URL=${JSON.stringify(env.SWITCHYARD_URL)} is not a URL; set it to the dashboard's address, e.g. http://127.0.0.1:3000`, EXIT.usage);
  }
  const token = env.SWITCHYARD_TOKEN?.trim();
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: { accept: "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
        redirect: "manual",
      });
    } catch (error) {
      const cause = ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name) || "no answer";
      throw new CliError(`cannot reach Switchyard at ${baseUrl} (${cause}); start it with \`switchyard start\`, or set SWITCHYARD_URL to the dashboard's address`, EXIT.failed);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new CliError(`${baseUrl} answered ${response.status} with something that is not the control API; check SWITCHYARD_URL (it is the dashboard's address)`, EXIT.failed);
    }
    if (response.ok) return json as T;
    throw errorFor(response.status, (json as ApiErrorBody).error, token !== undefined && token !== "");
  };
  return {
    baseUrl,
    get: (path, query) => {
      const params = new URLSearchParams(Object.entries(query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]) => [k, String(v)]));
      return call("GET", params.size ? `${path}?${params}` : path);
    },
    post: (path, body) => call("POST", path, body ?? {}),
  };
}

function errorFor(status: number, error: ApiErrorBody["error"], hasToken: boolean): CliError {
  const message = error?.message ?? `the server answered ${status}`;
  if (status === 401) {
    return new CliError(
      hasToken
        ? "SWITCHYARD_TOKEN was not accepted (revoked or mistyped); make a new one with `switchyard user token --email YOU --name NAME`"
        : "set SWITCHYARD_TOKEN to an API token; make one with `switchyard user token --email YOU --name NAME`",
      EXIT.refused,
    );
  }
  if (status === 403) return new CliError(`refused: ${message}; use a token of a user with that role (an admin can change it: switchyard user add … --role ROLE)`, EXIT.refused);
  if (status === 409) return new CliError(`refused: ${message}`, EXIT.refused);
  if (status === 404) return new CliError(`${message}; see ${whereListed(message)}`, EXIT.usage);
  if (status >= 400 && status < 500) {
    const fields = (error?.details ?? []).filter((d) => d?.path !== undefined).map((d) => `${d.path}: ${d.message}`);
    const detail = fields.length && !fields.every((f) => message.includes(f)) ? ` (${fields.join("; ")})` : "";
    return new CliError(`${message}${detail}`, EXIT.usage);
  }
  return new CliError(`the server failed (${status}): ${message}; see the web process's log`, EXIT.failed);
}

/** The list that names what was not found ("runner \"x\" was not found", "incident 7 …", "run 12 …"). */
function whereListed(message: string): string {
  const what = /^(runner|incident|service|run)\b/.exec(message)?.[1];
  return what ? `\`switchyard ${what}s list\`` : "`switchyard services list` or `switchyard runs list`";
}

// Turn a driver error into one line an operator can act on. The raw error stays in the
// debug log; what reaches the terminal says what is wrong and what to do.

export function describeDatabaseError(error: unknown, url?: string): string {
  const where = url ? describeTarget(url) : "PostgreSQL";
  const e = error as { code?: string; message?: string };
  switch (e?.code) {
    case "ECONNREFUSED":
      return `cannot connect to ${where}: connection refused. Is the server running? Check DATABASE_URL, or unset it to use the embedded database.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot connect to ${where}: unknown host. Check the host name in DATABASE_URL.`;
    case "ETIMEDOUT":
      return `cannot connect to ${where}: timed out. Check the host, port and firewall in DATABASE_URL.`;
    case "28P01":
    case "28000":
      return `${where} refused the login: ${e.message}. Check the user and password in DATABASE_URL.`;
    case "3D000":
      return `${where}: ${e.message}. Create it (createdb) or fix the database name in DATABASE_URL.`;
    case "57P03":
      return `${where} is starting up or shutting down; try again in a moment.`;
  }
  if (e?.message?.includes("timeout")) {
    return `cannot connect to ${where}: timed out. Check the host, port and firewall in DATABASE_URL.`;
  }
  return `database error at ${where}: ${e?.message ?? String(error)}`;
}

function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL at ${u.hostname}:${u.port || 5432}/${u.pathname.slice(1)}`;
  } catch {
    return "PostgreSQL";
  }
}

import pg from "pg";

// The database roles (issue 10, least privilege): the owner runs migrations; the web, runner and
// scheduler connect as APP_ROLE, which cannot change the schema and may only add to audit_log.
// What APP_ROLE may do is defined once, by switchyard_grant_app_role() in the migration
// 20261204020000_app_role; this file creates the role and applies that function.

export const APP_ROLE = "switchyard_app";

/** Creates (or updates the password of) a login role with no special powers. Needs CREATEROLE. */
export async function ensureAppRole(db: pg.Client | pg.Pool, password: string, role = APP_ROLE): Promise<void> {
  const ident = pg.escapeIdentifier(role);
  const literal = pg.escapeLiteral(password);
  const exists = await db.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
  const verb = exists.rowCount ? "ALTER" : "CREATE";
  await db.query(`${verb} ROLE ${ident} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${literal}`);
}

/** Applies the app role's privileges in the database `db` is connected to (after migrations). */
export async function grantAppRole(db: pg.Client | pg.Pool, role = APP_ROLE): Promise<void> {
  await db.query("SELECT switchyard_grant_app_role($1)", [role]);
}

/** The demo fleet's runs connect as this role: it owns the `demo` schema and may read nothing else. */
export const DEMO_ROLE = "switchyard_demo";

/**
 * The demo pipelines create their own tables as they go, so their role owns the `demo` schema —
 * and only that: no access to runs, users, sessions or the audit. A `demo` schema left by an older
 * version (created by the owner) is handed over with its tables. Needs CREATEROLE.
 */
export async function ensureDemoRole(db: pg.Client | pg.Pool, password: string, role = DEMO_ROLE): Promise<void> {
  await ensureAppRole(db, password, role);
  const ident = pg.escapeIdentifier(role);
  await db.query(`CREATE SCHEMA IF NOT EXISTS demo AUTHORIZATION ${ident}`);
  await db.query(`ALTER SCHEMA demo OWNER TO ${ident}`);
  const owned = await db.query<{ t: string }>("SELECT format('demo.%I', tablename) AS t FROM pg_tables WHERE schemaname = 'demo' AND tableowner <> $1", [role]);
  for (const { t } of owned.rows) await db.query(`ALTER TABLE ${t} OWNER TO ${ident}`);
}

export type RoleProblem = string;

/** What is wrong with how `url` connects, for `switchyard doctor`: empty when it is a least-privilege app role. */
export async function appRoleProblems(db: pg.Client | pg.Pool): Promise<RoleProblem[]> {
  const r = await db.query<{ role: string; superuser: boolean; createrole: boolean; create_schema: boolean; audit_update: boolean | null }>(
    `SELECT current_user AS role, r.rolsuper AS superuser, r.rolcreaterole AS createrole,
            has_schema_privilege('public', 'CREATE') AS create_schema,
            CASE WHEN to_regclass('public.audit_log') IS NULL THEN NULL
                 ELSE has_table_privilege('public.audit_log', 'UPDATE') OR has_table_privilege('public.audit_log', 'DELETE') END AS audit_update
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const row = r.rows[0];
  const problems: RoleProblem[] = [];
  if (row.superuser) problems.push(`${row.role} is a superuser`);
  else if (row.createrole) problems.push(`${row.role} can create roles`);
  if (row.create_schema) problems.push(`${row.role} can create tables`);
  if (row.audit_update) problems.push(`${row.role} can change or delete audit_log rows`);
  return problems;
}

/** The same server and database as `url`, signed in as another role. */
export function urlAs(url: string, role: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(role);
  u.password = encodeURIComponent(password);
  return u.toString();
}

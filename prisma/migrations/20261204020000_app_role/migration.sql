-- Least privilege (issue 10): migrations run as the owner role (the one running this file), the
-- web, runner and scheduler connect as an app role that reads and writes rows but cannot change
-- the schema, and may only add to the audit log.
--
-- switchyard_grant_app_role(role) is the one definition of what the app role may do. This
-- migration applies it to `switchyard_app` when that role exists (the embedded database creates
-- it before migrating, `switchyard migrate --create-roles` creates it on an external server and
-- calls the function again). Roles are cluster-wide, so a database without one is not an error.
-- The default privileges make tables and sequences that later migrations create (run by this same
-- owner) usable at once, audit_log cannot be rewritten by the processes it records, migration
-- bookkeeping is the owner's, the app may read it (doctor, health) — where there is any (a schema
-- built from these files without Prisma, like the dashboard benchmark's, has none).
--
-- Prisma's driver-adapter script runner splits the file at every semicolon (even inside quotes and
-- comments), so the bodies below are E'' strings that spell each semicolon as \073.
CREATE OR REPLACE FUNCTION switchyard_grant_app_role(app_role name) RETURNS void
LANGUAGE plpgsql AS E'
BEGIN
  EXECUTE format(''GRANT USAGE ON SCHEMA public TO %I'', app_role)\073
  EXECUTE format(''REVOKE CREATE ON SCHEMA public FROM %I'', app_role)\073
  EXECUTE format(''GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I'', app_role)\073
  EXECUTE format(''GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I'', app_role)\073
  EXECUTE format(''ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I'', app_role)\073
  EXECUTE format(''ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I'', app_role)\073
  EXECUTE format(''REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM %I'', app_role)\073
  IF to_regclass(''public._prisma_migrations'') IS NOT NULL THEN
    EXECUTE format(''REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON _prisma_migrations FROM %I'', app_role)\073
  END IF\073
END
';

REVOKE ALL ON FUNCTION switchyard_grant_app_role(name) FROM PUBLIC;

-- PostgreSQL 15+ already denies CREATE on public to PUBLIC, a database upgraded from an older
-- server may still allow it.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

DO E'
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ''switchyard_app'') THEN
    PERFORM switchyard_grant_app_role(''switchyard_app'')\073
  END IF\073
END
';

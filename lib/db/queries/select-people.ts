import type pg from "pg";
import type { Role } from "@/lib/auth/roles";

// Every account, for the People page and GET /api/v1/users (admins only): who may do what, who
// signed in when, and which API tokens act for them. One query; a team has tens of accounts, and
// each one's last sign-in is read through audit_log's (target_type, target_id) index.

export type TokenState = "active" | "expired" | "revoked";

export type PersonToken = { id: string; name: string; createdAt: string; lastUsedAt: string | null; expiresAt: string | null; state: TokenState };

export type Person = {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
  /** their last sign-in: from the audit log, or their newest session (the first admin's link signs in without the sign-in form) */
  lastSignInAt: string | null;
  /** sessions not yet expired: the browsers they are signed in on */
  sessions: number;
  /** false for someone invited who has not set a password yet */
  hasPassword: boolean;
  /** until when their one-time password link works (lib/auth/password-links.ts), or null if none does */
  linkExpiresAt: string | null;
  tokens: PersonToken[];
};

type Raw = {
  id: string;
  email: string;
  name: string;
  role: Role;
  created_at: Date;
  disabled_at: Date | null;
  last_sign_in_at: Date | null;
  sessions: number;
  has_password: boolean;
  link_expires_at: Date | null;
  tokens: { id: string; name: string; created_at: string; last_used_at: string | null; expires_at: string | null; revoked_at: string | null }[];
};

/** Every account, or only the one whose id is `only` (the Account page: one's own). */
export async function selectPeople(db: pg.Pool, now = new Date(), only: string | null = null): Promise<Person[]> {
  const { rows } = await db.query<Raw>(
    `SELECT u.id, u.email, u.name, u.role, u.created_at, u.disabled_at,
            -- sign-ins are audited (lib/audit/sign-in-audit.ts) and kept; a session also begins at the first-admin link
            GREATEST((SELECT max(a.at) FROM audit_log a WHERE a.target_type = 'user' AND a.target_id = u.id AND a.action = 'auth.sign-in' AND a.outcome = 'ok'),
                     (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id)) AS last_sign_in_at,
            (SELECT count(*)::int FROM sessions s WHERE s.user_id = u.id AND s.expires_at > $1) AS sessions,
            EXISTS (SELECT 1 FROM accounts c WHERE c.user_id = u.id AND c.provider_id = 'credential' AND c.password IS NOT NULL) AS has_password,
            (SELECT max(v.expires_at) FROM verifications v WHERE v.identifier = 'switchyard:password:' || u.id AND v.expires_at > $1) AS link_expires_at,
            COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'created_at', t.created_at, 'last_used_at', t.last_used_at,
                                                        'expires_at', t.expires_at, 'revoked_at', t.revoked_at) ORDER BY t.created_at)
                        FROM api_tokens t WHERE t.user_id = u.id), '[]') AS tokens
       FROM users u
      WHERE $2::text IS NULL OR u.id = $2
      ORDER BY u.disabled_at IS NOT NULL, u.email`,
    [now, only],
  );
  const iso = (t: string | null) => (t === null ? null : new Date(t).toISOString());
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    createdAt: r.created_at.toISOString(),
    disabledAt: r.disabled_at?.toISOString() ?? null,
    lastSignInAt: r.last_sign_in_at?.toISOString() ?? null,
    sessions: r.sessions,
    hasPassword: r.has_password,
    linkExpiresAt: r.link_expires_at?.toISOString() ?? null,
    tokens: r.tokens.map((t) => ({
      id: t.id,
      name: t.name,
      createdAt: new Date(t.created_at).toISOString(),
      lastUsedAt: iso(t.last_used_at),
      expiresAt: iso(t.expires_at),
      state: t.revoked_at ? "revoked" : t.expires_at && Date.parse(t.expires_at) <= now.getTime() ? "expired" : "active",
    })),
  }));
}

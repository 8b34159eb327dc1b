import { randomUUID } from "node:crypto";
import { withTransaction } from "@/lib/db/transaction";
import { hashPassword } from "better-auth/crypto";
import type pg from "pg";
import type { Role } from "@/lib/auth/roles";

// Users are created by an admin (the CLI, or the first-admin link), never by open sign-up.
// The same two rows better-auth writes for an e-mail sign-up: the user, and its credential
// account holding the password hash (better-auth's scrypt format, so its sign-in verifies it).

export class UserExists extends Error {}

export const MIN_PASSWORD_LENGTH = 10;

export type NewUser = { email: string; name: string; password: string; role: Role };

export function checkNewUser(input: NewUser): string | null {
  if (!/^[^\s@]+@[^\s@]+$/.test(input.email.trim())) return "email: expected an e-mail address such as ops@example.com";
  if (!input.name.trim()) return "name: must not be empty";
  if (input.password.length < MIN_PASSWORD_LENGTH) return `password: expected at least ${MIN_PASSWORD_LENGTH} characters`;
  if (input.password.length > 128) return "password: at most 128 characters";
  return null;
}

export async function createUserWithPassword(pool: pg.Pool, input: NewUser): Promise<{ id: string }> {
  const problem = checkNewUser(input);
  if (problem) throw new Error(problem);
  const email = input.email.trim().toLowerCase();
  const hash = await hashPassword(input.password);
  const id = randomUUID();
  return withTransaction(pool, async (client) => {
    const inserted = await client.query(
      `INSERT INTO users (id, name, email, role, email_verified) VALUES ($1, $2, $3, $4, true) ON CONFLICT (email) DO NOTHING`,
      [id, input.name.trim(), email, input.role],
    );
    if (inserted.rowCount === 0) throw new UserExists(`a user with the e-mail ${email} already exists`);
    await client.query(`INSERT INTO accounts (id, user_id, account_id, provider_id, password) VALUES ($1, $2, $2, 'credential', $3)`, [randomUUID(), id, hash]);
    return { id };
  });
}

export async function countUsers(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
  return rows[0].n;
}

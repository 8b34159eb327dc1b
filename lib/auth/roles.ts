export const roles = ["viewer", "operator", "admin"] as const;
export type Role = (typeof roles)[number];

/** Who is acting: a signed-in user, a script with an API token, or Switchyard itself. */
export type Actor = { kind: "user" | "token" | "system"; id: string; name: string; role: Role };

export function hasRole(actor: Actor, needed: Role): boolean {
  return roles.indexOf(actor.role) >= roles.indexOf(needed);
}

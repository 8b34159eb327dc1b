export const roles = ["viewer", "operator", "admin"] as const;
export type Role = (typeof roles)[number];

/** Who is acting: a signed-in user, a script with an API token (tokenName: which one), or Switchyard itself. */
export type Actor = { kind: "user" | "token" | "system"; id: string; name: string; role: Role; tokenName?: string };

export function hasRole(actor: Actor, needed: Role): boolean {
  return roles.indexOf(actor.role) >= roles.indexOf(needed);
}

import { redirect } from "next/navigation";
import { cache } from "react";
import { headers } from "next/headers";
import { hasRole, type Actor, type Role } from "@/lib/auth/roles";
import { sessionActor } from "@/lib/auth/session";

// Server components and server actions ask here who is signed in. Nobody who is not signed in
// sees data: requireActor() sends them to the sign-in page first.

/** Once per request: the layout's user menu and the page both ask, and each ask is a session lookup. */
export const currentActor = cache(async (): Promise<Actor | null> => sessionActor(await headers()));

export async function requireActor(role: Role = "viewer"): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in");
  if (!hasRole(actor, role)) redirect("/forbidden");
  return actor;
}

import { redirect } from "next/navigation";
import { headers } from "next/headers";
import { hasRole, type Actor, type Role } from "@/lib/auth/roles";
import { sessionActor } from "@/lib/auth/session";

// Server components and server actions ask here who is signed in. Nobody who is not signed in
// sees data: requireActor() sends them to the sign-in page first.

export async function currentActor(): Promise<Actor | null> {
  return sessionActor(await headers());
}

export async function requireActor(role: Role = "viewer"): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in");
  if (!hasRole(actor, role)) redirect("/forbidden");
  return actor;
}

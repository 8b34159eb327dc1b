import { SignOutButton } from "@/components/auth/sign-out-button";
import { currentActor } from "@/lib/auth/current-actor";

/** The signed-in user's name, role and a sign-out button, in the header. */
export async function UserMenu() {
  // The database away: the header stays, and the page under it says why (app/error.tsx).
  const actor = await currentActor().catch(() => null);
  if (!actor) return null;
  return (
    <span className="flex shrink-0 items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
      <span className="hidden sm:inline" data-testid="signed-in-as">
        {actor.name} · {actor.role}
      </span>
      <SignOutButton />
    </span>
  );
}

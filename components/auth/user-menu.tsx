import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { currentActor } from "@/lib/auth/current-actor";

/** The signed-in user's name and role (a link to their account and API tokens), and a sign-out button, in the header. */
export async function UserMenu() {
  // The database away: the header stays, and the page under it says why (app/error.tsx).
  const actor = await currentActor().catch(() => null);
  if (!actor) return null;
  return (
    <span className="flex shrink-0 items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
      <Link href="/account" className="rounded px-1 underline-offset-2 hover:underline" title="Your account and API tokens">
        <span className="hidden sm:inline" data-testid="signed-in-as">
          {actor.name} · {actor.role}
        </span>
        <span className="sm:hidden">Account</span>
      </Link>
      <SignOutButton />
    </span>
  );
}

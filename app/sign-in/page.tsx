import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentActor } from "@/lib/auth/current-actor";
import { safeNext } from "@/lib/auth/safe-next";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };


export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await currentActor()) redirect(next);
  return (
    <div className="mx-auto max-w-sm py-12">
      <h1 className="mb-6 text-2xl font-semibold">Sign in to Switchyard</h1>
      <SignInForm next={next} />
      <p className="mt-6 text-sm text-zinc-500">
        No account, or forgot your password? Ask an admin: on the People page they invite you, or make you a link that sets a new password.
      </p>
    </div>
  );
}

import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentActor } from "@/lib/auth/current-actor";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

/** Only same-site paths are followed after sign-in, so the link cannot send anyone elsewhere. */
function safeNext(value: string | string[] | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await currentActor()) redirect(next);
  return (
    <div className="mx-auto max-w-sm py-12">
      <h1 className="mb-6 text-2xl font-semibold">Sign in to Switchyard</h1>
      <SignInForm next={next} />
      <p className="mt-6 text-sm text-zinc-500">No account? An admin creates one with `switchyard user add`.</p>
    </div>
  );
}

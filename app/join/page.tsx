import Link from "next/link";
import { JoinForm } from "@/components/auth/join-form";
import { passwordLinkAccount } from "@/lib/auth/password-links";
import { getPool } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata = { title: "Set your password" };

// A one-time password link an admin made on the People page (an invitation, or a forgotten
// password): open to anyone who has the link, which is the point (proxy.ts lets it through).
export default async function JoinPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw.slice(0, 200) : "";
  const account = token ? await passwordLinkAccount(getPool(), token) : null;
  return (
    <div className="mx-auto max-w-sm py-12">
      <h1 className="mb-6 text-2xl font-semibold">Set your password</h1>
      {account ? (
        <>
          <p className="mb-4 text-sm">
            For <strong>{account.name}</strong> ({account.email}). Once it is set, this link stops working and you are signed in.
          </p>
          <JoinForm token={token} email={account.email} />
        </>
      ) : (
        <p>
          This link is invalid, expired or already used: ask an admin for a new one.{" "}
          <Link href="/sign-in" className="underline">
            Sign in
          </Link>
        </p>
      )}
    </div>
  );
}

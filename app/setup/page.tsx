import Link from "next/link";
import { SetupForm } from "@/components/auth/setup-form";
import { firstAdminTokenValid } from "@/lib/auth/first-admin";
import { countUsers } from "@/lib/auth/users";
import { getPool } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata = { title: "Set up" };

export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw : "";
  const pool = getPool();
  const message =
    (await countUsers(pool)) > 0
      ? "Switchyard is already set up."
      : !token || !(await firstAdminTokenValid(pool, token))
        ? "This set-up link is invalid, expired or already used. Restart `npm start` for a new one."
        : null;
  return (
    <div className="mx-auto max-w-sm py-12">
      <h1 className="mb-6 text-2xl font-semibold">Create the first admin</h1>
      {message ? (
        <p>
          {message}{" "}
          <Link href="/sign-in" className="underline">
            Sign in
          </Link>
        </p>
      ) : (
        <SetupForm token={token} />
      )}
    </div>
  );
}

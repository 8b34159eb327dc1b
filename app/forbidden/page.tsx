import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";

export const dynamic = "force-dynamic";
export const metadata = { title: "Not allowed" };

export default async function ForbiddenPage() {
  const actor = await requireActor();
  return (
    <div className="mx-auto max-w-lg py-12">
      <h1 className="mb-4 text-2xl font-semibold">Not allowed</h1>
      <p>
        You are signed in as {actor.name} with the <strong>{actor.role}</strong> role, which cannot open that page. Ask an admin for the operator or admin role.
      </p>
      <p className="mt-4">
        <Link href="/" className="underline">
          Back to the overview
        </Link>
      </p>
    </div>
  );
}

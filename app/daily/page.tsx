import type { Metadata } from "next";
import { DailyListClient } from "@/components/daily/daily-list-client";
import { requireActor } from "@/lib/auth/current-actor";
import { getPool } from "@/lib/db/client";
import { getDailyListData } from "@/lib/presenters/get-daily-list-data";
import { daysInput, fromSearchParams } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Daily" };

export default async function DailyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireActor();
  const parsed = daysInput.safeParse(fromSearchParams(await searchParams));
  const before = parsed.success ? (parsed.data.before ?? null) : null;
  const data = await getDailyListData(getPool(), { before });
  return <DailyListClient initialData={data} before={before} />;
}

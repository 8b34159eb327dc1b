import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DailyDayClient } from "@/components/daily/daily-day-client";
import { requireActor } from "@/lib/auth/current-actor";
import { hasRole } from "@/lib/auth/roles";
import { getPool } from "@/lib/db/client";
import { getDailyDayData } from "@/lib/presenters/get-daily-day-data";
import { dayInput } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ date: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Daily ${(await params).date}` };
}

export default async function DailyDayPage({ params }: Props) {
  const actor = await requireActor();
  const parsed = dayInput.safeParse(await params);
  if (!parsed.success) notFound();
  const data = await getDailyDayData(getPool(), parsed.data.date);
  return <DailyDayClient initialData={data} canAct={hasRole(actor, "operator")} />;
}

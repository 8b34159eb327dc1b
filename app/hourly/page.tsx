import type { Metadata } from "next";
import { HourlyClient } from "@/components/hourly/hourly-client";
import { requireActor } from "@/lib/auth/current-actor";
import { getPool } from "@/lib/db/client";
import { getHourlyData } from "@/lib/presenters/get-hourly-data";
import { fromSearchParams, hourlyInput } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Hourly" };

export default async function HourlyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireActor();
  const parsed = hourlyInput.safeParse(fromSearchParams(await searchParams));
  const date = parsed.success ? (parsed.data.date ?? null) : null;
  const data = await getHourlyData(getPool(), date);
  return <HourlyClient initialData={data} requestedDate={date} />;
}

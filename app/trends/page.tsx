import type { Metadata } from "next";
import { TrendsClient } from "@/components/trends/trends-client";
import { requireActor } from "@/lib/auth/current-actor";
import { getPool } from "@/lib/db/client";
import { getTrendsData } from "@/lib/presenters/get-trends-data";
import { trendsInput } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Trends" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TrendsPage({ searchParams }: Props) {
  await requireActor();
  const parsed = trendsInput.safeParse(await searchParams);
  const data = await getTrendsData(getPool(), parsed.success ? parsed.data.window : "day");
  return <TrendsClient initialData={data} />;
}

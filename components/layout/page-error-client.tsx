"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";

// What a page that failed on the server shows (app/error.tsx, and app/global-error.tsx when even
// the layout failed). The usual cause at 3am is the database being away — restarting, failing
// over — so it asks /api/v1/health (open without a session) what is down, says so, and loads the
// page again by itself once what was down answers. Anything else gets the server's reference,
// which its log line carries, and a button to try again.

type Part = { status: "ok" | "down" | "unknown"; detail: string | null };
type PublicHealth = { parts: { database: Part; scheduler: Part; runner: Part; web: Part } };
type Seen = { kind: "asking" } | { kind: "web-unreachable" } | { kind: "health"; health: PublicHealth };

const ASK_EVERY_MS = 5_000;

export function PageError({ digest }: { digest?: string }) {
  const [seen, setSeen] = useState<Seen>({ kind: "asking" });
  // something was down since the page failed: reload as soon as it answers again
  const wasDown = useRef(false);

  useEffect(() => {
    let stopped = false;
    const ask = async () => {
      let next: Seen;
      try {
        const answer = await fetch("/api/v1/health", { cache: "no-store", signal: AbortSignal.timeout(4_000) });
        next = { kind: "health", health: (await answer.json()) as PublicHealth };
      } catch {
        next = { kind: "web-unreachable" };
      }
      if (stopped) return;
      const down = next.kind === "web-unreachable" || next.health.parts.database.status !== "ok";
      if (!down && wasDown.current) return window.location.reload();
      wasDown.current ||= down;
      setSeen(next);
    };
    void ask();
    const timer = setInterval(ask, ASK_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  const database = seen.kind === "health" ? seen.health.parts.database : null;
  const [title, body] =
    seen.kind === "web-unreachable"
      ? ["The web server is not answering", "This page loads again by itself once it answers."]
      : database && database.status !== "ok"
        ? [
            "The database is not answering",
            "Switchyard's parts wait for PostgreSQL and lose nothing they acknowledged; runs already started go on. This page loads again by itself once it answers.",
          ]
        : ["This page could not be shown", "The server failed while making it. Its log has the details under the reference below."];

  return (
    <div className="mx-auto max-w-xl py-12" role="alert" data-testid="page-error">
      <h1 className="mb-3 text-2xl font-semibold">{seen.kind === "asking" ? "This page could not be shown" : title}</h1>
      {seen.kind !== "asking" && <p>{body}</p>}
      {database?.detail && <p className="mt-3 font-mono text-sm break-words text-zinc-600 dark:text-zinc-400">{database.detail}</p>}
      {seen.kind === "health" && <PartsDown health={seen.health} />}
      {digest && <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">Reference: <code>{digest}</code></p>}
      <p className="mt-6 flex gap-4">
        <button type="button" onClick={() => window.location.reload()} className="rounded border border-zinc-300 px-3 py-1 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
          Try again
        </button>
        <Link href="/" className="self-center text-sm underline">
          Overview
        </Link>
      </p>
    </div>
  );
}

/** The other parts that are not ok, as the health check words them. */
function PartsDown({ health }: { health: PublicHealth }) {
  const down = (["scheduler", "runner"] as const).filter((name) => health.parts[name].status === "down");
  if (down.length === 0) return null;
  return (
    <ul className="mt-3 list-disc pl-5 text-sm">
      {down.map((name) => (
        <li key={name}>
          The {name} is down{health.parts[name].detail ? `: ${health.parts[name].detail}` : ""}.
        </li>
      ))}
    </ul>
  );
}

"use client";

import { useId, useState } from "react";
import { fetchJson } from "@/components/live/fetch-json";
import type { LogSearch } from "@/lib/presenters/search-run-log";

// Search the whole log on the server (the page holds only its tail) and show each matching line
// with its number and the match highlighted; and download the whole file.

function Highlighted({ text, query }: { text: string; query: string }) {
  const parts: React.ReactNode[] = [];
  const lower = text.toLowerCase();
  const needle = query.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(needle); i !== -1 && needle; i = lower.indexOf(needle, at)) {
    parts.push(text.slice(at, i), <mark key={i} className="rounded-sm bg-amber-300 text-zinc-950">{text.slice(i, i + needle.length)}</mark>);
    at = i + needle.length;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

/** kept: only the log's end is left (kept in the database, its runner gone): the search and the download are of that end */
export function LogSearch({ runId, kept = false }: { runId: number; kept?: boolean }) {
  const [query, setQuery] = useState("");
  const [result, setResult] = useState<LogSearch | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function search(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await fetchJson<LogSearch>(`/api/v1/dashboard/runs/${runId}/log/search?q=${encodeURIComponent(query.trim())}`));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-2">
      <form onSubmit={search} role="search" className="flex flex-wrap items-end gap-2 text-sm">
        <label htmlFor={id} className="flex flex-col gap-1">
          <span className="text-xs text-zinc-500">{kept ? "Search the kept end of the log" : "Search the whole log"}</span>
          <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} minLength={2} maxLength={200} className="w-64 rounded border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900" />
        </label>
        <button type="submit" disabled={busy || query.trim().length < 2} className="rounded border border-zinc-300 px-2.5 py-1 hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-600 dark:hover:bg-zinc-800">
          {busy ? "Searching…" : "Search"}
        </button>
        <a href={`/api/v1/dashboard/runs/${runId}/log/download`} className="ml-auto text-sm hover:underline" download>
          {kept ? "Download the kept end" : "Download the log"}
        </a>
      </form>
      {error ? <p className="text-sm text-red-700 dark:text-red-400">{error}</p> : null}
      {result ? (
        <div aria-live="polite" className="space-y-1" data-testid="log-search-results">
          <p className="text-xs text-zinc-500">
            {result.missing
              ? "The log file is not on this web server."
              : `${result.matches.length}${result.truncated ? "+" : ""} line${result.matches.length === 1 ? "" : "s"} with “${result.query}” in ${result.lines.toLocaleString("en")} lines${result.keptOnly ? " of the kept end (line numbers count from there)" : ""}${result.truncated ? " (the first ones shown)" : ""}`}
          </p>
          {result.matches.length > 0 ? (
            <ol className="max-h-72 overflow-auto rounded-lg bg-zinc-950 p-2 font-mono text-xs leading-relaxed text-zinc-100">
              {result.matches.map((m) => (
                <li key={m.line} className="flex gap-3 whitespace-pre-wrap">
                  <span className="w-12 shrink-0 text-right text-zinc-500 select-none">{m.line}</span>
                  <span className="min-w-0 break-all">
                    <Highlighted text={m.text} query={result.query} />
                  </span>
                </li>
              ))}
            </ol>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

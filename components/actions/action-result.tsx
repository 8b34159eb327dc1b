import Link from "next/link";

// What an action's answer means, in a sentence, with a link to the run it made when there is one.

type RunLike = { id?: number | string; status?: string };
type Answer = { run?: RunLike; created?: boolean; runs?: RunLike[]; periods?: string[]; alreadyActive?: unknown[]; message?: string; status?: string | null; link?: string; token?: string };

export function ActionResult({ result }: { result: unknown }) {
  const a = (result ?? {}) as Answer;
  if (a.run?.id !== undefined) {
    const link = (
      // the dialog lives in the layout: close it, or it would stay open over the run's page
      <Link href={`/runs/${a.run.id}`} className="font-medium underline" prefetch={false} onClick={(e) => e.currentTarget.closest("dialog")?.close()}>
        run {String(a.run.id)}
      </Link>
    );
    if (a.created === false && a.run.status === "queued") return <>Nothing new was queued: {link} of this period was already queued, and now goes first.</>;
    if (a.created === false) return <>Nothing new was queued: {link} of this period is already {a.run.status ?? "queued or running"}.</>;
    return (
      <>
        Done: {link} is {a.run.status ?? "queued"}.
      </>
    );
  }
  // a one-time link to send to someone (an invitation, a new password: lib/control/users.ts), shown once
  if (a.message && typeof a.link === "string") return <ShownOnce message={a.message} value={new URL(a.link, window.location.href).href} label="The link to send" />;
  // a new API token (lib/control/users.ts createUserToken): only its hash is kept, so this is the one chance to copy it
  if (a.message && typeof a.token === "string") return <ShownOnce message={a.message} value={a.token} label="The new API token" />;
  // an answer that says what it did in its own words (silence, re-run failed) is shown as it says it
  if (a.message) return <>{a.message}.</>;
  if (Array.isArray(a.periods)) {
    const runs = Array.isArray(a.runs) ? a.runs.length : 0;
    const busy = Array.isArray(a.alreadyActive) ? a.alreadyActive.length : 0;
    return (
      <>
        Queued {runs} run{runs === 1 ? "" : "s"} for {a.periods.length} period{a.periods.length === 1 ? "" : "s"}.
        {busy > 0 ? ` ${busy} period${busy === 1 ? " was" : "s were"} left alone: another run of ${busy === 1 ? "it" : "each"} is already queued or running.` : null}
      </>
    );
  }
  return <>Done.</>;
}

/** A secret to copy now (a password link, an API token): selected whole when focused. */
function ShownOnce({ message, value, label }: { message: string; value: string; label: string }) {
  return (
    <>
      {message}:
      <input
        readOnly
        value={value}
        aria-label={label}
        onFocus={(e) => e.currentTarget.select()}
        className="mt-2 block w-full rounded border border-zinc-300 bg-zinc-50 px-2 py-1 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
      />
    </>
  );
}

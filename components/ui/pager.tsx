import Link from "next/link";

/** Newer / older (or previous / next) links; a missing side renders as disabled text. */
export function Pager({ prev, next, prevLabel, nextLabel, label }: { prev: string | null; next: string | null; prevLabel: string; nextLabel: string; label: string }) {
  const cls = "rounded border border-zinc-300 px-2 py-1 text-sm dark:border-zinc-700";
  return (
    <nav aria-label={label} className="flex gap-2">
      {prev ? (
        <Link href={prev} className={`${cls} hover:bg-zinc-100 dark:hover:bg-zinc-800`} prefetch={false}>
          {prevLabel}
        </Link>
      ) : (
        <span className={`${cls} text-zinc-400`} aria-disabled="true">
          {prevLabel}
        </span>
      )}
      {next ? (
        <Link href={next} className={`${cls} hover:bg-zinc-100 dark:hover:bg-zinc-800`} prefetch={false}>
          {nextLabel}
        </Link>
      ) : (
        <span className={`${cls} text-zinc-400`} aria-disabled="true">
          {nextLabel}
        </span>
      )}
    </nav>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef } from "react";

// Keyboard shortcuts, Gmail-style: "g" then a letter goes to a section, "/" focuses the page's
// search or filter box, "?" opens this list. Keys typed into a field, or with a modifier, are the
// field's, never ours; a lone "g" waits a second and a half for its letter.

export const GO_TO: Array<{ key: string; href: string; label: string }> = [
  { key: "h", href: "/", label: "Home" },
  { key: "d", href: "/daily", label: "Daily" },
  { key: "u", href: "/hourly", label: "Hourly" },
  { key: "s", href: "/services", label: "Services" },
  { key: "t", href: "/tasks", label: "Tasks" },
  { key: "w", href: "/workers", label: "Workers" },
  { key: "r", href: "/trends", label: "Trends" },
  { key: "a", href: "/audit", label: "Audit log" },
];

function typingInto(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

/** The page's search box: the first search input, else the first field inside a role="search" region. */
function searchBox(): HTMLElement | null {
  return document.querySelector<HTMLElement>('main input[type="search"], main [role="search"] input, main [role="search"] select');
}

export function Shortcuts() {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    let pendingG = 0;
    function onKey(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typingInto(event.target)) return;
      if (document.querySelector("dialog[open]") && event.key !== "?") return; // a dialog owns the keyboard
      const now = Date.now();
      if (pendingG && now - pendingG < 1500) {
        pendingG = 0;
        const target = GO_TO.find((g) => g.key === event.key.toLowerCase());
        if (target) {
          event.preventDefault();
          router.push(target.href);
        }
        return;
      }
      if (event.key === "g") {
        pendingG = now;
      } else if (event.key === "/") {
        const box = searchBox();
        if (box) {
          event.preventDefault();
          box.focus();
        }
      } else if (event.key === "?") {
        event.preventDefault();
        const d = dialog.current;
        if (d?.open) d.close();
        else d?.showModal();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [router]);

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      className="m-auto w-[min(26rem,calc(100vw-2rem))] rounded-lg border border-zinc-300 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <h2 id={titleId} className="mb-3 text-lg font-semibold">
        Keyboard shortcuts
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
        {GO_TO.map((g) => (
          <div key={g.key} className="contents">
            <dt>
              <kbd className="rounded border px-1 font-mono">g</kbd> <kbd className="rounded border px-1 font-mono">{g.key}</kbd>
            </dt>
            <dd>Go to {g.label}</dd>
          </div>
        ))}
        <dt>
          <kbd className="rounded border px-1 font-mono">/</kbd>
        </dt>
        <dd>Focus the page&apos;s search or filter</dd>
        <dt>
          <kbd className="rounded border px-1 font-mono">?</kbd>
        </dt>
        <dd>Show or hide this list</dd>
      </dl>
      <form method="dialog" className="mt-4 text-right">
        <button className="rounded border border-zinc-300 px-2.5 py-1 text-sm dark:border-zinc-600">Close</button>
      </form>
    </dialog>
  );
}

"use client";

import { useSyncExternalStore } from "react";

// Dark mode is the `dark` class on <html> (app/globals.css declares the variant). The inline
// script in the layout sets it before first paint from the saved choice or the system setting;
// this button flips and saves it.

export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem("theme");var d=t?t==="dark":matchMedia("(prefers-color-scheme: dark)").matches;document.documentElement.classList.toggle("dark",d)}catch(e){}})()`;

const listeners = new Set<() => void>();
const subscribe = (fn: () => void) => (listeners.add(fn), () => listeners.delete(fn));
const isDark = () => document.documentElement.classList.contains("dark");

export function ThemeToggle() {
  const dark = useSyncExternalStore(subscribe, isDark, () => false);
  const toggle = () => {
    const next = !isDark();
    document.documentElement.classList.toggle("dark", next);
    try {
      localStorage.setItem("theme", next ? "dark" : "light");
    } catch {
      // private mode: the choice lasts for this page only
    }
    listeners.forEach((fn) => fn());
  };
  return (
    <button
      type="button"
      onClick={toggle}
      aria-pressed={dark}
      className="rounded px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
      title="Toggle dark mode"
    >
      <span aria-hidden="true">{dark ? "☾" : "☀"}</span>
      <span className="sr-only">Dark mode</span>
    </button>
  );
}

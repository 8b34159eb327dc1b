import type { Metadata, Viewport } from "next";
import { GeistSans } from "geist/font/sans";
import { GeistMono } from "geist/font/mono";
import Link from "next/link";
import { ActionDialogProvider } from "@/components/actions/action-dialog-client";
import { GRID_KEYS_SCRIPT } from "@/components/grid/grid-keys";
import { UserMenu } from "@/components/auth/user-menu";
import { currentActor } from "@/lib/auth/current-actor";
import { hasRole } from "@/lib/auth/roles";
import { MainNav } from "@/components/layout/main-nav-client";
import { Shortcuts } from "@/components/layout/shortcuts-client";
import { THEME_SCRIPT, ThemeToggle } from "@/components/layout/theme-toggle-client";
import { QueryProvider } from "@/components/live/query-provider";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Switchyard", template: "%s · Switchyard" },
  description: "What ran, what failed and what is missing across every pipeline.",
  // public/: the mark in the status colours; the manifest lets a browser install the dashboard
  icons: { icon: [{ url: "/favicon.svg", type: "image/svg+xml" }, { url: "/favicon.ico", sizes: "32x32" }], apple: "/apple-touch-icon.png" },
  manifest: "/manifest.webmanifest",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // the database away: the header stays, without the admins' link (app/error.tsx says why)
  const actor = await currentActor().catch(() => null);
  return (
    // suppressHydrationWarning: the theme script sets class="dark" before React hydrates
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`} suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
        {/* the status grids' arrow keys, working before React hydrates (components/grid/grid-keys.ts) */}
        <script dangerouslySetInnerHTML={{ __html: GRID_KEYS_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <header className="border-b border-zinc-200 dark:border-zinc-800">
          {/* phones: the links get a row of their own (scrolling sideways) instead of two of them peeking out beside the theme toggle */}
          <nav className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2" aria-label="Main">
            <Link href="/" className="mr-auto shrink-0 font-semibold tracking-tight sm:mr-0">
              Switchyard
            </Link>
            <div className="order-last w-full min-w-0 sm:order-none sm:w-auto sm:flex-1">
              <MainNav admin={actor !== null && hasRole(actor, "admin")} />
            </div>
            <ThemeToggle />
            <UserMenu />
          </nav>
        </header>
        <QueryProvider>
          <ActionDialogProvider>
            <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
            <Shortcuts />
          </ActionDialogProvider>
        </QueryProvider>
      </body>
    </html>
  );
}

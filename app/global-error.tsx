"use client";

import { PageError } from "@/components/layout/page-error-client";
import "./globals.css";

// The layout itself failed: the same page, without the header it could not make.
export default function GlobalError({ error }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white px-4 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <title>Switchyard</title>
        <PageError digest={error.digest} />
      </body>
    </html>
  );
}

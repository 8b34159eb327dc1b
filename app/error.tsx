"use client";

import { PageError } from "@/components/layout/page-error-client";

// A page that failed on the server, inside the usual header (components/layout/page-error-client.tsx).
export default function ErrorPage({ error }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError digest={error.digest} />;
}

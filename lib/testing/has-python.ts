import { execFileSync } from "node:child_process";

/** Whether `python3` runs here: tests that start a real Python skip themselves without one. */
export const hasPython = (() => {
  try {
    execFileSync("python3", ["-c", "pass"]);
    return true;
  } catch {
    return false;
  }
})();

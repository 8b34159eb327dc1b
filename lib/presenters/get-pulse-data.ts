import type pg from "pg";
import { selectPulse, type Pulse } from "@/lib/db/queries/select-pulse";

// The live pages' change probe: which run is newest and how many run or wait. Any change of the
// token means a run was created, started or ended somewhere.

export type PulseData = Pulse;

export function getPulseData(pool: pg.Pool): Promise<PulseData> {
  return selectPulse(pool);
}

import fs from "node:fs";
import path from "node:path";
import { LocalTarget, param, Task, WrapperTask } from "../../pipeline/index";

// A tiny pipeline for the runner's tests: the shape of the demo's (a wrapper root over one
// task), seconds faster. TINY_DIR is where outputs go; TINY_FAIL=<service> makes that service's
// work fail; TINY_SLEEP_MS makes the work take that long; TINY_SLEEP_WHILE=<file> makes it wait
// while that file exists.

const dir = () => process.env.TINY_DIR ?? "/tmp/switchyard-tiny";

export class TinyWork extends Task.params({ service_id: param.string(), day: param.date() }) {
  output() {
    return new LocalTarget(path.join(dir(), this.service_id, `${this.day.toISOString().slice(0, 10)}.txt`));
  }
  async run() {
    const sleep = Number(process.env.TINY_SLEEP_MS ?? 0);
    if (sleep > 0) await new Promise((r) => setTimeout(r, sleep));
    const gate = process.env.TINY_SLEEP_WHILE;
    while (gate && fs.existsSync(gate)) await new Promise((r) => setTimeout(r, 100));
    if (process.env.TINY_FAIL === this.service_id) throw new Error(`TinyWork failed for ${this.service_id} (TINY_FAIL)`);
    await this.output().write(`done ${this.service_id} ${this.day.toISOString()}\n`);
  }
}

export class TinyDaily extends WrapperTask.params({ service_id: param.string(), day: param.date() }) {
  requires() {
    return this.clone(TinyWork);
  }
}

import path from "node:path";
import { addDays, formatIsoDate, LocalTarget, param, Task } from "../index";

// A TypeScript twin of the capture harness's Python DAG (spec/luigi-protocol/fixtures/dag.jsonl):
// same families, parameter names, types, defaults, significance and visibility, so the same
// parameters must give the same task ids and the same add_task traffic as the real Luigi worker.
// Outputs go under $HARNESS_OUTPUT (an environment variable, so it does not touch the task ids).
// Each class names the Python module the harness used, which add_task sends as `module`.

const out = (...parts: string[]) => new LocalTarget(path.join(process.env.HARNESS_OUTPUT ?? "/tmp/harness-output", ...parts));

export class Extract extends Task.params({ run_id: param.string(), day: param.date(), shard: param.int() }) {
  static module = "harness_tasks";
  output() {
    return out(this.run_id, `extract-${formatIsoDate(this.day)}-${this.shard}`);
  }
  async run() {
    await this.output().write(`extract ${this.shard}\n`);
  }
}

export class Transform extends Task.params({ run_id: param.string(), day: param.date(), shard: param.int(), dedupe: param.bool({ default: true }) }) {
  static module = "harness_tasks";
  requires() {
    return new Extract({ run_id: this.run_id, day: this.day, shard: this.shard });
  }
  output() {
    return out(this.run_id, `transform-${formatIsoDate(this.day)}-${this.shard}`);
  }
  async run() {
    await this.output().write((await this.requires().output().readText()).toUpperCase());
  }
}

export class Load extends Task.params({
  run_id: param.string(),
  day: param.date(),
  shards: param.int({ default: 2 }),
  dedupe: param.bool({ default: true }),
  verbose: param.bool({ default: false, significant: false }),
}) {
  static module = "harness_tasks";
  requires() {
    return Array.from({ length: this.shards }, (_, shard) => new Transform({ run_id: this.run_id, day: this.day, shard, dedupe: this.dedupe }));
  }
  output() {
    return out(this.run_id, `load-${formatIsoDate(this.day)}`);
  }
  async run() {
    await this.output().write(`${this.requires().length} shards\n`);
  }
}

export class Summary extends Task.params({ run_id: param.string(), day: param.date() }) {
  static module = "harness_tasks";
  output() {
    return out(this.run_id, `summary-${formatIsoDate(this.day)}`);
  }
  async run() {
    await this.output().write("summary\n");
  }
}

export class Report extends Task.params({
  run_id: param.string(),
  day: param.date(),
  days_back: param.int({ default: 1 }),
  dedupe: param.bool({ default: true }),
  tags: param.list<string>({ default: ["daily", "harness"] }),
  note: param.string({ default: "hidden-note", visibility: "hidden" }),
}) {
  static module = "harness_tasks";
  priority = 5;

  requires() {
    return Array.from({ length: this.days_back + 1 }, (_, i) => new Load({ run_id: this.run_id, day: addDays(this.day, -i), dedupe: this.dedupe }));
  }
  output() {
    return out(this.run_id, `report-${formatIsoDate(this.day)}`);
  }
  async *run() {
    // a dynamic dependency, as in the harness: the summary is only known to be needed at run time
    const summary: LocalTarget = yield new Summary({ run_id: this.run_id, day: this.day });
    await this.output().write(`report with ${await summary.readText()}`);
  }
}

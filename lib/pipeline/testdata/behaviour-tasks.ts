import fs from "node:fs";
import path from "node:path";
import { ExternalTask, LocalTarget, param, Task } from "../index";

// Small tasks that exercise worker behaviour in the integration tests: failing then succeeding,
// long CPU work (to be interrupted), operator messages, missing external data.
// Everything is written under $BEHAVIOUR_DIR.

const dir = () => process.env.BEHAVIOUR_DIR ?? "/tmp/behaviour";
const target = (name: string) => new LocalTarget(path.join(dir(), name));

/** Fails its first `failures` attempts (counted in a file), then succeeds. */
export class Flaky extends Task.params({ name: param.string(), failures: param.int({ default: 1 }) }) {
  output() {
    return target(`flaky-${this.name}`);
  }
  async run() {
    const counter = path.join(dir(), `attempts-${this.name}`);
    const attempt = (fs.existsSync(counter) ? Number(fs.readFileSync(counter, "utf8")) : 0) + 1;
    fs.mkdirSync(dir(), { recursive: true });
    fs.writeFileSync(counter, String(attempt));
    if (attempt <= this.failures) throw new Error(`Flaky failure #${attempt} (test-injected)`);
    await this.output().write(`ok after ${attempt} attempts`);
  }
}

export class AfterFlaky extends Task.params({ name: param.string() }) {
  requires() {
    return new Flaky({ name: this.name });
  }
  output() {
    return target(`after-${this.name}`);
  }
  async run() {
    await this.output().write("after");
  }
}

/** Burns CPU for `seconds` (real work, not a sleep), reporting progress. */
export class Spin extends Task.params({ name: param.string(), seconds: param.float({ default: 3 }) }) {
  output() {
    return target(`spin-${this.name}`);
  }
  async run() {
    const end = Date.now() + this.seconds * 1000;
    let x = 0;
    while (Date.now() < end) {
      for (let i = 0; i < 1e6; i++) x = (x * 31 + i) % 1_000_003;
      this.setProgressPercentage(Math.min(99, Math.round(100 - ((end - Date.now()) / (this.seconds * 1000)) * 100)));
      await new Promise((r) => setImmediate(r));
    }
    await this.output().write(String(x));
  }
}

/** A spin that needs the whole of a resource with capacity 1: two runs must take turns. */
export class ExclusiveSpin extends Spin {
  static family = "ExclusiveSpin";
  resources = { behaviour_exclusive: 1 };
  output() {
    return target(`exclusive-${this.name}`);
  }
}

/** Two spins one after the other: after a stop request, the second must not start. */
export class SpinChain extends Task.params({ name: param.string(), seconds: param.float({ default: 3 }) }) {
  requires() {
    return new SpinAfter({ name: this.name, seconds: this.seconds });
  }
  output() {
    return target(`chain-${this.name}`);
  }
  async run() {
    await this.output().write("chain");
  }
}

export class SpinAfter extends Spin {
  static family = "SpinAfter";
  requires() {
    return new Spin({ name: `${this.name}-first`, seconds: this.seconds });
  }
  output() {
    return target(`spin-after-${this.name}`);
  }
}

/** Runs until an operator message arrives through the scheduler, and answers it. */
export class Conversational extends Task.params({ name: param.string() }) {
  acceptsMessages = true;
  private heard: string | null = null;

  output() {
    return target(`conversation-${this.name}`);
  }
  onSchedulerMessage(content: string) {
    this.heard = content;
    return `pong:${content}`;
  }
  async run() {
    this.setStatusMessage("waiting for a message");
    const deadline = Date.now() + 30_000;
    while (this.heard === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (this.heard === null) throw new Error("no message arrived");
    this.setStatusMessage(`heard ${this.heard}`);
    await this.output().write(this.heard);
  }
}

export class MissingInput extends ExternalTask.params({ name: param.string() }) {
  output() {
    return target(`never-${this.name}`);
  }
}

export class NeedsMissing extends Task.params({ name: param.string() }) {
  requires() {
    return new MissingInput({ name: this.name });
  }
  output() {
    return target(`needs-${this.name}`);
  }
  async run() {
    await this.output().write("impossible");
  }
}

import path from "node:path";
import { LocalTarget, param, Task, WrapperTask } from "../../lib/pipeline/index";

// shop.py's tasks in the TypeScript SDK, for the tests where Python Luigi is not installed: same
// families, same parameters, so the scheduler gives them the same task ids and Switchyard
// recognises AllDaily(service, day) as the period's run exactly as it would Luigi's.
//   node bin/switchyard.mjs run --module examples/python-shop/shop-worker.ts AllDaily --service shop-ok --day 2026-12-03 --scheduler-url …

const out = () => process.env.SHOP_OUT ?? "out";

export class Extract extends Task.params({ service: param.string(), day: param.date() }) {
  output() {
    return new LocalTarget(path.join(out(), this.service, this.day.toISOString().slice(0, 10), "extract.csv"));
  }
  async run() {
    if (this.service.endsWith("-bad")) throw new Error(`the upstream export for ${this.service} is missing`);
    await this.output().write("order_id,amount\n1,9.99\n2,24.50\n");
  }
}

export class Report extends Task.params({ service: param.string(), day: param.date() }) {
  requires() {
    return this.clone(Extract);
  }
  output() {
    return new LocalTarget(path.join(out(), this.service, this.day.toISOString().slice(0, 10), "report.txt"));
  }
  async run() {
    await this.output().write(`${this.service}: 2 orders, 34.49 total\n`);
  }
}

export class AllDaily extends WrapperTask.params({ service: param.string(), day: param.date() }) {
  requires() {
    return this.clone(Report);
  }
}

import { describe, expect, it } from "vitest";
import { numberText } from "@/lib/scheduler/core/serialize";
import { ByteWriter, encodeReply, encodeReplyYielding, yieldsWhileEncoding } from "@/lib/scheduler/http/byte-writer";
import { encodeEnvelope } from "@/lib/scheduler/http/python-json";
import { testScheduler } from "@/lib/scheduler/testing/core-helpers";

// task_list's byte path must write exactly the text of the string path (which the contract tests
// hold to luigid's): every kind of value a task can carry, in ≥ 256 tasks so the byte path runs.

const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString("latin1");
const ODD = ["plain", "é ü 中文 😀", "</script>", 'quo"te', "back\\slash", "tab\tnew\nline\u0001", "\u007f", "<", "/", "x".repeat(300), "y</".repeat(120), ""];

describe("byte writer", () => {
  it("writes task_list exactly as the string encoder does", () => {
    const { s, add, work, report, clock } = testScheduler();
    for (let i = 0; i < 300; i++) {
      const odd = ODD[i % ODD.length];
      const params: Record<string, unknown> = i % 3 === 0 ? { zeta: odd, alpha: i, mid: [1, "a", null] } : { b: odd, a: { k: odd }, c: i % 2 === 0 };
      clock.now += i % 7 === 0 ? 0.001 : 0.5;
      add(i % 4 === 0 ? `W${odd}` : "W", `T${i}_${odd}`, {
        family: i % 5 === 0 ? `Fam${odd}` : "Fam",
        params,
        param_visibilities: i % 6 === 0 ? { alpha: 1 } : null,
        priority: i % 8 === 0 ? -3.25 : i,
        resources: i % 9 === 0 ? { r: 1 } : null,
        tracking_url: i % 10 === 0 ? odd : null,
      });
    }
    for (let i = 0; i < 5; i++) work("W");
    report("W", "T1_é ü 中文 😀", "FAILED");
    s.state.tasks.get("T2_</script>")!.statusMessage = "</b>";
    s.state.tasks.get("T3_quo\"te")!.progressPercentage = 12.5;
    for (const status of ["", "PENDING", "RUNNING", "FAILED"]) {
      const list = s.task_list({ status, upstream_status: "", limit: false, search: null, max_shown_tasks: null });
      expect(list instanceof Map && list.size >= (status === "" ? 256 : 1)).toBe(true);
      expect(text(encodeReply(list))).toBe(text(encodeEnvelope(list)));
    }
  });

  it("writes the same text in slices, letting other work run between them", async () => {
    const { s, add } = testScheduler();
    for (let i = 0; i < 9000; i++) add("W", `S${i}_${ODD[i % ODD.length]}`, { family: "S", params: { n: i, odd: ODD[i % ODD.length] } });
    const list = s.task_list({ status: "PENDING", upstream_status: "", limit: false, search: null, max_shown_tasks: null });
    expect(yieldsWhileEncoding(list)).toBe(true);
    let ranBetween = 0;
    const other = setInterval(() => ranBetween++, 0);
    const sliced = await encodeReplyYielding(list);
    clearInterval(other);
    expect(text(sliced)).toBe(text(encodeReply(list)));
    expect(ranBetween).toBeGreaterThan(0);
  });

  it("writes numbers as String() does", () => {
    const samples = [0, 1, 7, 10, 999, 1000, 123456789, 0.001, 0.5, 0.125, 1796159764.962, 1796159764.5, 1796159764.05, 999999999999.999, 1e12, -1, -0.5, 1.0005, 1e-7, 1e21, 3.14159];
    for (let i = 0; i < 2000; i++) samples.push(Math.round(Math.random() * 2e12) / 1000, Math.random() * 1e6);
    for (const n of samples) {
      const w = new ByteWriter();
      w.num(n);
      expect(text(w.finish())).toBe(numberText(n));
    }
  });
});

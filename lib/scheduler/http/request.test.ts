import { describe, expect, it } from "vitest";
import { lastFormValue } from "@/lib/scheduler/http/request";

// lastFormValue must read a form exactly as URLSearchParams does (the standard's parser), which
// it replaced on the add_task path for speed.
function reference(text: string, key: string): string | null {
  const all = new URLSearchParams(text).getAll(key);
  return all.length > 0 ? all[all.length - 1] : null;
}

describe("lastFormValue", () => {
  it("reads what Python's requests sends for data=<json>", () => {
    const json = '{"task_id": "A_1", "params": {"date": "2026-12-06", "name": "caf\\u00e9 + co"}, "deps": null}';
    const body = new URLSearchParams({ data: json }).toString();
    expect(lastFormValue(body, "data")).toBe(json);
  });

  it.each([
    ["", null],
    ["data", ""],
    ["data=", ""],
    ["data=1&data=2", "2"],
    ["dat%61=x", "x"],
    ["data=a+b%2Bc", "a b+c"],
    ["data=%", "%"],
    ["data=%zz&x=1", "%zz"],
    ["data=%C3%A9", "é"],
    ["data=%C3", "\ufffd"],
    ["data=%ED%A0%80", "\ufffd\ufffd\ufffd"],
    ["&&data==x=&", "=x="],
    ["x=1&&", null],
    ["data=a\ud800b", "a\ufffdb"],
  ])("%j reads as URLSearchParams does", (text, expected) => {
    expect(lastFormValue(text, "data")).toBe(expected);
    expect(lastFormValue(text, "data")).toBe(reference(text, "data"));
  });

  it("agrees with URLSearchParams on random forms", () => {
    const alphabet = ["d", "a", "t", "data", "=", "&", "+", "%", "2", "B", "C3", "A9", "zz", "é", "€", " ", "%2", "%3D", "%26", "😀", "\ud800"];
    let seed = 7; // mulberry32
    const next = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    for (let n = 0; n < 5000; n++) {
      let text = "";
      const length = Math.floor(next() * 12);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      expect(lastFormValue(text, "data"), text).toBe(reference(text, "data"));
    }
  });
});

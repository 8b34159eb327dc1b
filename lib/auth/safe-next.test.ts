import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next";

describe("safeNext", () => {
  it("keeps a page of this site with its query", () => {
    expect(safeNext("/daily/2026-12-03?filter=problems")).toBe("/daily/2026-12-03?filter=problems");
    expect(safeNext(["/runs/5", "/x"])).toBe("/runs/5");
  });

  it("refuses anything that would leave the site", () => {
    for (const evil of ["//evil.example", "/\\evil.example", "/.//evil.example", "/\\/evil.example", "\\\\evil.example", "https://evil.example/", "javascript:alert(1)", "/%0a/evil.example", " //evil.example"]) {
      const next = safeNext(evil);
      expect(new URL(next, "http://dash.example").origin, evil).toBe("http://dash.example");
    }
    expect(safeNext("/\\evil.example")).toBe("/");
    // dot segments that resolve to a protocol-relative path, which the redirect would follow off-site
    for (const evil of ["/.//evil.example", "/a/..//evil.example", "/./\\evil.example", "/%2e//evil.example", "/x/../\\/evil.example"]) {
      const next = safeNext(evil);
      expect(next, evil).toBe("/");
      expect(new URL(next, "http://dash.example").origin).toBe("http://dash.example");
    }
    expect(safeNext(undefined)).toBe("/");
  });
});

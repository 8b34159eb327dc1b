import { describe, expect, it } from "vitest";
import { GRID_KEYS_SCRIPT, nextPosition } from "@/components/grid/grid-keys";

describe("grid keyboard moves", () => {
  const at = { r: 5, c: 3 };
  it("moves one cell with the arrows and stops at the edges", () => {
    expect(nextPosition(at, "ArrowRight", false, 9, 7)).toEqual({ r: 5, c: 4 });
    expect(nextPosition(at, "ArrowUp", false, 9, 7)).toEqual({ r: 4, c: 3 });
    expect(nextPosition({ r: 0, c: 0 }, "ArrowLeft", false, 9, 7)).toEqual({ r: 0, c: 0 });
    expect(nextPosition({ r: 9, c: 7 }, "ArrowDown", false, 9, 7)).toEqual({ r: 9, c: 7 });
  });

  it("jumps to row ends with Home/End, grid corners with Ctrl, 10 rows with PageUp/PageDown", () => {
    expect(nextPosition(at, "Home", false, 9, 7)).toEqual({ r: 5, c: 0 });
    expect(nextPosition(at, "End", true, 99, 7)).toEqual({ r: 99, c: 7 });
    expect(nextPosition(at, "PageDown", false, 99, 7)).toEqual({ r: 15, c: 3 });
    expect(nextPosition(at, "PageUp", false, 99, 7)).toEqual({ r: 0, c: 3 });
  });

  it("ignores other keys so they keep their default (Enter opens the link)", () => {
    expect(nextPosition(at, "Enter", false, 9, 7)).toBeNull();
    expect(nextPosition(at, "a", false, 9, 7)).toBeNull();
  });
});

describe("the inline key script", () => {
  it("runs on its own (no imports survive serialising) and listens for keys on the window before React does", () => {
    const added: string[] = [];
    const listen = (where: string) => (type: string, _fn: unknown, capture?: boolean) => added.push(`${where}:${type}${capture ? ":capture" : ""}`);
    const doc = { addEventListener: listen("document"), defaultView: { addEventListener: listen("window") } };
    new Function("document", "Element", GRID_KEYS_SCRIPT)(doc, class {});
    expect(added.sort()).toEqual(["document:focusin", "document:focusout", "window:keydown:capture"]);
  });
});

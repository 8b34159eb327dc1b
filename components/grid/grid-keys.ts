// Where a key press moves the focus in a grid (WAI-ARIA grid pattern). Column 0 is the row header.

export type Position = { r: number; c: number };

const PAGE = 10;

export function nextPosition(p: Position, key: string, ctrl: boolean, lastRow: number, lastCol: number): Position | null {
  const clamp = (r: number, c: number) => ({ r: Math.max(0, Math.min(lastRow, r)), c: Math.max(0, Math.min(lastCol, c)) });
  switch (key) {
    case "ArrowRight":
      return clamp(p.r, p.c + 1);
    case "ArrowLeft":
      return clamp(p.r, p.c - 1);
    case "ArrowDown":
      return clamp(p.r + 1, p.c);
    case "ArrowUp":
      return clamp(p.r - 1, p.c);
    case "Home":
      return ctrl ? clamp(0, 0) : clamp(p.r, 0);
    case "End":
      return ctrl ? clamp(lastRow, lastCol) : clamp(p.r, lastCol);
    case "PageDown":
      return clamp(p.r + PAGE, p.c);
    case "PageUp":
      return clamp(p.r - PAGE, p.c);
    default:
      return null;
  }
}

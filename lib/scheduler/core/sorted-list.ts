// An ordered collection of unique items kept as a list of small sorted blocks (the layout of
// Python's sortedcontainers): add/delete cost O(log n + block size), iteration is in order.
// The scheduler keeps its ready queues in these so get_work never sorts or scans every task.
// Items must compare equal (cmp === 0) only to themselves: callers break ties with a sequence.

const BLOCK = 256;

export class SortedList<T> {
  private blocks: T[][] = [];
  private count = 0;

  constructor(private readonly cmp: (a: T, b: T) => number) {}

  get length(): number {
    return this.count;
  }

  first(): T | undefined {
    return this.blocks.length > 0 ? this.blocks[0][0] : undefined;
  }

  add(item: T): void {
    if (this.blocks.length === 0) {
      this.blocks.push([item]);
      this.count = 1;
      return;
    }
    const bi = this.blockFor(item);
    const block = this.blocks[bi];
    const at = this.lowerBound(block, item);
    if (at < block.length && block[at] === item) return;
    block.splice(at, 0, item);
    this.count++;
    if (block.length > 2 * BLOCK) this.blocks.splice(bi + 1, 0, block.splice(BLOCK));
  }

  delete(item: T): boolean {
    if (this.blocks.length === 0) return false;
    const bi = this.blockFor(item);
    const block = this.blocks[bi];
    const at = this.lowerBound(block, item);
    if (at >= block.length || block[at] !== item) return false;
    block.splice(at, 1);
    this.count--;
    if (block.length === 0) this.blocks.splice(bi, 1);
    return true;
  }

  has(item: T): boolean {
    if (this.blocks.length === 0) return false;
    const block = this.blocks[this.blockFor(item)];
    const at = this.lowerBound(block, item);
    return at < block.length && block[at] === item;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (const block of this.blocks) {
      // Copy-free iteration is safe because callers never mutate the list while walking it;
      // the walks in get_work collect first and change state afterwards.
      for (let i = 0; i < block.length; i++) yield block[i];
    }
  }

  /** Items after `item` (exclusive), in order; `item` must be in the list. */
  *after(item: T): IterableIterator<T> {
    if (this.blocks.length === 0) return;
    const start = this.blockFor(item);
    const first = this.blocks[start];
    for (let i = this.lowerBound(first, item) + 1; i < first.length; i++) yield first[i];
    for (let b = start + 1; b < this.blocks.length; b++) {
      const block = this.blocks[b];
      for (let i = 0; i < block.length; i++) yield block[i];
    }
  }

  /** Index of the first block whose last item is >= item (or the last block). */
  private blockFor(item: T): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const block = this.blocks[mid];
      if (this.cmp(block[block.length - 1], item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private lowerBound(block: T[], item: T): number {
    let lo = 0;
    let hi = block.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cmp(block[mid], item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

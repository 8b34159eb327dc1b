import { encodeEnvelope, encodeJson, quote } from "@/lib/scheduler/http/python-json";

// Tornado-style JSON written straight into bytes, for the scheduler's big replies (task_list of
// 50k tasks, ~22 MB). Building the text as strings first (pieces joined per task, then per chunk,
// then copied into Buffers) made three copies of it and a young-generation string per piece; here
// each character is written once into a 64 KB Buffer, and strings are checked for what Tornado
// escapes while they are copied. The output is pure ASCII (everything else is \u-escaped).

const CHUNK = 64 * 1024;

/** An ASCII constant as bytes, for ByteWriter.bytes(). */
export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export class ByteWriter {
  private readonly chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafeSlow(CHUNK);
  private pos = 0;

  /** Text that is already JSON (constants, numbers, quote() output): ASCII, written as is. */
  raw(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.next(n);
    const buf = this.buf;
    let p = this.pos;
    if (n > 64) p += buf.write(s, p, "latin1");
    else for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Pre-encoded ASCII (see ascii()): the constant parts of a reply. */
  bytes(b: Uint8Array): void {
    const n = b.length;
    if (this.pos + n > this.buf.length) this.next(n);
    this.buf.set(b, this.pos);
    this.pos += n;
  }

  /**
   * A number as String(n) writes it. Digits are written directly for integers and for numbers
   * with at most 3 decimals (the scheduler's timestamps are epoch ms / 1000): String() of a double
   * costs ~0.5 µs, and task_list writes three per task.
   */
  num(n: number): void {
    if (!(n >= 0 && n < 1e12)) return this.raw(String(n));
    const ms = Math.round(n * 1000);
    if (ms / 1000 !== n) return this.raw(String(n));
    const whole = Math.floor(ms / 1000);
    let frac = ms - whole * 1000;
    if (this.pos + 17 > this.buf.length) this.next(17);
    this.digits(whole);
    if (frac === 0) return;
    // "I.FFF" without trailing zeros is String(n) here: it reads back as n and no shorter decimal does
    let width = 3;
    while (frac % 10 === 0) {
      frac /= 10;
      width--;
    }
    const buf = this.buf;
    buf[this.pos++] = 46; // "."
    for (let i = width - 1; i >= 0; i--) {
      buf[this.pos + i] = 48 + (frac % 10);
      frac = Math.floor(frac / 10);
    }
    this.pos += width;
  }

  private digits(v: number): void {
    let len = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) len++;
    const buf = this.buf;
    for (let i = len - 1; i >= 0; i--) {
      buf[this.pos + i] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
    this.pos += len;
  }

  /** A JSON string literal, as quote() writes it. */
  str(s: string): void {
    if (this.pos + 1 > this.buf.length) this.next(1);
    this.buf[this.pos++] = 34;
    this.body(s);
    if (this.pos + 1 > this.buf.length) this.next(1);
    this.buf[this.pos++] = 34;
  }

  /**
   * The inside of a JSON string literal. Consecutive body() calls may build one literal (a
   * display name from its parts): a part never ends in "<" followed by a part starting with "/"
   * unless a caller writes them so, and the display name's separators are "(", "=", ", " and ")".
   */
  body(s: string): void {
    const n = s.length;
    if (n <= 256) {
      if (this.pos + n > this.buf.length) this.next(n);
      const buf = this.buf;
      let p = this.pos;
      let plain = true;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c >= 0x7f || c === 34 || c === 92 || (c === 47 && i > 0 && s.charCodeAt(i - 1) === 60)) {
          plain = false;
          break;
        }
        buf[p++] = c;
      }
      if (plain) {
        this.pos = p;
        return;
      }
    }
    const q = quote(s); // the written part is overwritten: this.pos did not move
    this.raw(q.slice(1, -1));
  }

  /** The chunks written so far, this writer's last one included; the writer is done after. */
  finish(): Buffer[] {
    if (this.pos > 0) this.chunks.push(this.buf.subarray(0, this.pos));
    return this.chunks;
  }

  private next(need: number): void {
    if (this.pos > 0) this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafeSlow(Math.max(CHUNK, need));
    this.pos = 0;
  }
}

/** A reply item that can write itself as bytes (a task_list entry). */
export interface WritesBytes {
  writeBytes(w: ByteWriter): void;
}

function writesBytes(v: unknown): v is WritesBytes {
  return typeof v === "object" && v !== null && typeof (v as Partial<WritesBytes>).writeBytes === "function";
}

/** Entries written between two yields to the event loop (see encodeReplyYielding). */
const SLICE = 2000;

function isByteMap(result: unknown): result is Map<unknown, unknown> {
  return result instanceof Map && result.size >= 256 && writesBytes(result.values().next().value);
}

/** The envelope of a byte map, written entry by entry; it pauses (yields) every SLICE entries. */
function* writeByteMap(w: ByteWriter, result: Map<unknown, unknown>): Generator<void> {
  w.raw('{"response": {');
  let i = 0;
  for (const [k, v] of result) {
    if (i > 0) {
      if (i % SLICE === 0) yield;
      w.raw(", ");
    }
    w.str(String(k));
    w.raw(": ");
    if (writesBytes(v)) v.writeBytes(w);
    else w.raw(encodeJson(v));
    i++;
  }
  w.raw("}}");
}

/**
 * The `{"response": ...}` envelope of an RPC result as bytes: a big id-keyed map of items that
 * write themselves (task_list) through a ByteWriter, anything else through encodeEnvelope. The
 * text is the same either way (byte-writer.test.ts).
 */
export function encodeReply(result: unknown): Buffer[] {
  if (!isByteMap(result)) return encodeEnvelope(result);
  const w = new ByteWriter();
  const writing = writeByteMap(w, result);
  while (!writing.next().done);
  return w.finish();
}

/** Whether encodeReplyYielding lets other calls run while it writes this result. */
export function yieldsWhileEncoding(result: unknown): result is Map<unknown, unknown> {
  return isByteMap(result) && result.size > SLICE;
}

/**
 * encodeReply, letting other calls run every SLICE entries: a task_list of 50k tasks takes
 * 100-200 ms to write, and every worker's get_work used to wait that long behind it. Each entry is
 * written whole, as the task is at that moment; a task that changes while the reply is written
 * appears as it was when its turn came (luigid's reply is one instant; ours spans the writing).
 */
export async function encodeReplyYielding(result: unknown): Promise<Buffer[]> {
  if (!yieldsWhileEncoding(result)) return encodeReply(result);
  const w = new ByteWriter();
  const writing = writeByteMap(w, result);
  while (!writing.next().done) await new Promise<void>((resolve) => setImmediate(resolve));
  return w.finish();
}

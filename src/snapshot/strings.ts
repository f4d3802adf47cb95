/**
 * The snapshot's string table, kept as raw UTF-8 bytes and decoded on demand.
 *
 * Heap snapshots can carry hundreds of megabytes of strings (script sources,
 * string values). Building one JavaScript string of the section is impossible
 * past V8's string length limit, and decoding every string up front would
 * double the memory. Instead the bytes of the section, still JSON escaped,
 * are copied into large blocks as they come (one copy per chunk), the
 * parser records where each string literal starts and ends in them, and a
 * string is decoded when first asked for.
 */

const BLOCK_SIZE = 16 * 1024 * 1024;

/** A sealed pool as plain data (see {@link StringPool.parts}). */
export interface StringPoolParts {
  blocks: Uint8Array[];
  blockOf: Uint32Array;
  offsetOf: Uint32Array;
  lengthOf: Uint32Array;
  count: number;
  extra: string[];
}

export class StringPool {
  private blocks: Buffer[] = [];
  private current: Buffer;
  private used = 0;
  /** Per string: block index. */
  private blockOf: Uint32Array;
  /** Per string: byte offset inside its block. */
  private offsetOf: Uint32Array;
  /** Per string: byte length, high bit set when the raw bytes contain JSON escapes. */
  private lengthOf: Uint32Array;
  private n = 0;
  /** Whether the last string is still being read (its end is not known yet). */
  private openString = false;
  /** Strings added after loading (class names such as "(system)"), indexed from `count`. */
  private extra: string[] = [];
  private extraIndex = new Map<string, number>();
  private cache = new Map<number, string>();

  constructor(expected = 1024, parts?: StringPoolParts) {
    if (parts !== undefined) {
      // Blocks that crossed a thread boundary arrive as plain Uint8Arrays.
      this.blocks = parts.blocks.map((b) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
      this.current = this.blocks[this.blocks.length - 1] ?? Buffer.alloc(0);
      this.used = this.current.length;
      this.blockOf = parts.blockOf;
      this.offsetOf = parts.offsetOf;
      this.lengthOf = parts.lengthOf;
      this.n = parts.count;
      for (const e of parts.extra) this.intern(e);
      return;
    }
    this.current = Buffer.allocUnsafe(BLOCK_SIZE);
    this.blocks.push(this.current);
    this.blockOf = new Uint32Array(expected);
    this.offsetOf = new Uint32Array(expected);
    this.lengthOf = new Uint32Array(expected);
  }

  /**
   * The pool's contents as plain data, for `postMessage` to another thread
   * (transfer {@link StringPoolParts.blocks} and the index arrays' buffers);
   * `new StringPool(0, parts)` makes the pool again. Call after {@link seal}.
   */
  parts(): StringPoolParts {
    return {
      blocks: this.blocks,
      blockOf: this.blockOf,
      offsetOf: this.offsetOf,
      lengthOf: this.lengthOf,
      count: this.n,
      extra: this.extra,
    };
  }

  /** Number of strings read from the snapshot (indexes below this are snapshot strings). */
  get count(): number {
    return this.n;
  }

  /** Number of string indexes in use: the snapshot's strings plus the ones added with {@link intern}. */
  get size(): number {
    return this.n + this.extra.length;
  }

  /** Bytes held by the pool (for memory reports). */
  get byteSize(): number {
    return this.blocks.length * BLOCK_SIZE + this.n * 12;
  }

  /**
   * Copies raw bytes of the strings section, `src[start .. end)`, to the end
   * of the current block, and returns the offset in the block where
   * `src[start]` now is; the parser then marks the strings in them with
   * {@link open} and {@link close}. When the block is full, a new one is
   * started, and the bytes of a string still open move along with it.
   */
  load(src: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (this.used + len > this.current.length) {
      const i = this.n - 1;
      const from = this.openString ? this.offsetOf[i]! : this.used;
      const carried = this.used - from;
      const block = Buffer.allocUnsafe(Math.max(BLOCK_SIZE, carried + len));
      this.current.copy(block, 0, from, this.used);
      this.blocks.push(block);
      this.current = block;
      this.used = carried;
      if (this.openString) {
        this.blockOf[i] = this.blocks.length - 1;
        this.offsetOf[i] = 0;
      }
    }
    const at = this.used;
    this.current.set(src.subarray(start, end), at);
    this.used += len;
    return at;
  }

  /** Starts a new string at byte `offset` of the current block (see {@link load}); returns its index. */
  open(offset: number): number {
    if (this.n === this.blockOf.length) this.grow();
    const i = this.n++;
    this.blockOf[i] = this.blocks.length - 1;
    this.offsetOf[i] = offset;
    this.lengthOf[i] = 0;
    this.openString = true;
    return i;
  }

  /** Ends the string being read before byte `offset` of the current block; `escaped` when it holds JSON escapes. */
  close(offset: number, escaped: boolean): void {
    const i = this.n - 1;
    this.lengthOf[i] = (offset - this.offsetOf[i]!) | (escaped ? 0x80000000 : 0);
    this.openString = false;
  }

  private grow(): void {
    const size = this.blockOf.length * 2;
    const b = new Uint32Array(size);
    b.set(this.blockOf);
    this.blockOf = b;
    const o = new Uint32Array(size);
    o.set(this.offsetOf);
    this.offsetOf = o;
    const l = new Uint32Array(size);
    l.set(this.lengthOf);
    this.lengthOf = l;
  }

  /** Trims the index arrays once loading is done. */
  seal(): void {
    this.blockOf = this.blockOf.slice(0, this.n);
    this.offsetOf = this.offsetOf.slice(0, this.n);
    this.lengthOf = this.lengthOf.slice(0, this.n);
    if (this.used < this.current.length && this.current.length > 1024 * 1024) {
      const last = Buffer.allocUnsafeSlow(this.used);
      this.current.copy(last, 0, 0, this.used);
      this.blocks[this.blocks.length - 1] = last;
      this.current = last;
    }
  }

  /** Byte length of string `i` as stored (escaped form). */
  byteLength(i: number): number {
    if (i >= this.n) return Buffer.byteLength(this.extra[i - this.n] ?? '');
    return this.lengthOf[i]! & 0x7fffffff;
  }

  /** The string with index `i`, decoded. */
  get(i: number): string {
    if (i >= this.n) {
      const s = this.extra[i - this.n];
      if (s === undefined) throw new RangeError(`string index ${i} is out of range`);
      return s;
    }
    const cached = this.cache.get(i);
    if (cached !== undefined) return cached;
    const s = this.decode(i, Infinity);
    if (this.cache.size < 1_000_000 && s.length < 4096) this.cache.set(i, s);
    return s;
  }

  /** The first `maxBytes` (approximately) of string `i`, without decoding the rest. */
  prefix(i: number, maxBytes: number): string {
    if (i >= this.n) return this.get(i).slice(0, maxBytes);
    return this.decode(i, maxBytes);
  }

  /**
   * The last `maxBytes` bytes of string `i` as stored (escaped form), one
   * character per byte: for matching ASCII patterns without decoding or caching.
   */
  rawTail(i: number, maxBytes: number): string {
    if (i >= this.n) return this.get(i).slice(-maxBytes);
    const block = this.blocks[this.blockOf[i]!]!;
    const start = this.offsetOf[i]!;
    const end = start + (this.lengthOf[i]! & 0x7fffffff);
    return block.toString('latin1', Math.max(start, end - maxBytes), end);
  }

  /**
   * Byte `k` of string `i` as stored (escaped form): from the start when
   * `k >= 0`, from the end when `k < 0` (-1 is the last byte); -1 when out of
   * range. For matching ASCII patterns byte by byte, allocating nothing.
   */
  rawByte(i: number, k: number): number {
    if (i >= this.n) return -1;
    const len = this.lengthOf[i]! & 0x7fffffff;
    const at = k < 0 ? len + k : k;
    if (at < 0 || at >= len) return -1;
    return this.blocks[this.blockOf[i]!]![this.offsetOf[i]! + at]!;
  }

  private decode(i: number, maxBytes: number): string {
    const block = this.blocks[this.blockOf[i]!]!;
    const start = this.offsetOf[i]!;
    const raw = this.lengthOf[i]!;
    let len = raw & 0x7fffffff;
    if (len > maxBytes) len = maxBytes;
    if ((raw & 0x80000000) === 0) return block.toString('utf8', start, start + len);
    let end = start + len;
    if (len < (raw & 0x7fffffff)) {
      // Do not cut an escape sequence in half.
      const back = block.lastIndexOf(92, end - 1);
      if (back >= start && end - back < 6) end = back;
    }
    try {
      return JSON.parse('"' + block.toString('utf8', start, end) + '"') as string;
    } catch {
      return block.toString('utf8', start, end);
    }
  }

  /** True when string `i` equals `s` (compares bytes, without decoding). */
  equals(i: number, s: string): boolean {
    if (i >= this.n) return this.extra[i - this.n] === s;
    const raw = this.lengthOf[i]!;
    if (raw & 0x80000000) return this.get(i) === s;
    const len = raw & 0x7fffffff;
    if (len !== Buffer.byteLength(s)) return false;
    const block = this.blocks[this.blockOf[i]!]!;
    const start = this.offsetOf[i]!;
    return block.toString('utf8', start, start + len) === s;
  }

  /** Index of the first snapshot string equal to `s`, or -1. Scans the table. */
  indexOf(s: string): number {
    // Not Buffer.from: small sizes come from Node's shared pool (see parser.ts).
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(s));
    bytes.write(s, 'utf8');
    const len = bytes.length;
    for (let i = 0; i < this.n; i++) {
      const raw = this.lengthOf[i]!;
      if (raw & 0x80000000) {
        // Escaped in the file: between its own length and six bytes (\uXXXX) per byte of `s`.
        const stored = raw & 0x7fffffff;
        if (stored >= len && stored <= 6 * len && this.get(i) === s) return i;
        continue;
      }
      if (raw !== len) continue;
      const block = this.blocks[this.blockOf[i]!]!;
      const start = this.offsetOf[i]!;
      if (block.compare(bytes, 0, len, start, start + len) === 0) return i;
    }
    return -1;
  }

  /** Adds (or finds) a string that is not in the snapshot, such as a synthetic class name. */
  intern(s: string): number {
    let i = this.extraIndex.get(s);
    if (i === undefined) {
      i = this.n + this.extra.length;
      this.extra.push(s);
      this.extraIndex.set(s, i);
    }
    return i;
  }
}

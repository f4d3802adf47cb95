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
import { ALWAYS_MAPPED } from './mapped.js';
import { lowerBound } from './search.js';

/**
 * Blocks the C allocator always maps (see ./mapped.ts): the pages of the last
 * block that no string reaches are never written and take no memory, so it
 * needs no trimmed copy, which would hold its bytes twice until the collector
 * frees the block.
 */
const BLOCK_SIZE = ALWAYS_MAPPED;
/** Bit 15 of a length word: the string's raw bytes contain JSON escapes. */
const ESCAPED = 0x8000;
/** A length word (escape bit aside) this large says: the length is in the table of long ones. */
const LONG = 0x7fff;

/** A sealed pool as plain data (see {@link StringPool.parts}). */
export interface StringPoolParts {
  blocks: Uint8Array[];
  starts: Uint32Array;
  lengths: Uint16Array;
  /** [string index, byte length] of the strings of {@link LONG} bytes or more. */
  long: Array<[number, number]>;
  count: number;
  extra: string[];
}

export class StringPool {
  private blocks: Buffer[] = [];
  /** Where each block starts in the blocks laid end to end (ascending; a string never spans two). */
  private blockStart: number[] = [];
  private current: Buffer;
  private used = 0;
  /** Per string: where its bytes start, in the blocks laid end to end (see {@link blockStart}). */
  private starts: Uint32Array;
  /** Per string: byte length (or {@link LONG}), with {@link ESCAPED} set when the raw bytes contain JSON escapes. */
  private lengths: Uint16Array;
  private long = new Map<number, number>();
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
      let at = 0;
      for (const b of this.blocks) {
        this.blockStart.push(at);
        at += b.length;
      }
      this.current = this.blocks[this.blocks.length - 1] ?? Buffer.alloc(0);
      this.used = this.current.length;
      this.starts = parts.starts;
      this.lengths = parts.lengths;
      this.long = new Map(parts.long);
      this.n = parts.count;
      for (const e of parts.extra) this.intern(e);
      return;
    }
    // The first block is made when the first bytes come (a parser of the edges alone never needs one).
    this.current = Buffer.alloc(0);
    this.blocks.push(this.current);
    this.blockStart.push(0);
    this.starts = new Uint32Array(expected);
    this.lengths = new Uint16Array(expected);
  }

  /**
   * The pool's contents as plain data, for `postMessage` to another thread
   * (transfer {@link StringPoolParts.blocks} and the index arrays' buffers);
   * `new StringPool(0, parts)` makes the pool again. Call after {@link seal}.
   * Index arrays that are views into a larger reservation come as trimmed
   * copies (posted as it is, a view takes its whole buffer along).
   */
  parts(): StringPoolParts {
    const own = <T extends Uint32Array | Uint16Array>(a: T): T => (a.byteLength === a.buffer.byteLength ? a : (a.slice() as T));
    return {
      blocks: this.blocks,
      starts: own(this.starts),
      lengths: own(this.lengths),
      long: [...this.long],
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

  /** Bytes of the pool's blocks (the end of the last one that no string reaches takes no memory) and index arrays. */
  get byteSize(): number {
    return this.blocks.reduce((sum, b) => sum + b.length, 0) + this.n * 6;
  }

  /**
   * Makes room for `count` strings in all, when the parser knows a bound (the
   * bytes left in the file): pages of the index arrays that stay unused take
   * no memory, and no doubled or trimmed copy is left for the collector.
   */
  reserve(count: number): void {
    if (count <= this.starts.length) return;
    try {
      this.resize(count);
    } catch {
      // Too large to reserve: the arrays grow as they fill.
    }
  }

  /** Moves the index arrays to arrays of `size` entries (both made before either is replaced). */
  private resize(size: number): void {
    const starts = new Uint32Array(size);
    const lengths = new Uint16Array(size);
    starts.set(this.starts.subarray(0, this.n));
    lengths.set(this.lengths.subarray(0, this.n));
    this.starts = starts;
    this.lengths = lengths;
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
      const base = this.blockStart[this.blockStart.length - 1]!;
      const from = this.openString ? this.starts[i]! - base : this.used;
      const carried = this.used - from;
      const block = Buffer.allocUnsafe(Math.max(BLOCK_SIZE, carried + len));
      const at = base + this.current.length;
      if (at + block.length > 0xffffffff) throw new RangeError('the strings table is larger than 4 GiB');
      this.current.copy(block, 0, from, this.used);
      if (this.current.length === 0) this.blocks[this.blocks.length - 1] = block; // the empty first block (at 0)
      else {
        this.blocks.push(block);
        this.blockStart.push(at);
      }
      this.current = block;
      this.used = carried;
      if (this.openString) this.starts[i] = at;
    }
    const at = this.used;
    this.current.set(src.subarray(start, end), at);
    this.used += len;
    return at;
  }

  /** Starts a new string at byte `offset` of the current block (see {@link load}); returns its index. */
  open(offset: number): number {
    if (this.n === this.starts.length) this.resize(Math.max(1024, this.starts.length * 2));
    const i = this.n++;
    this.starts[i] = this.blockStart[this.blockStart.length - 1]! + offset;
    this.lengths[i] = 0;
    this.openString = true;
    return i;
  }

  /** Ends the string being read before byte `offset` of the current block; `escaped` when it holds JSON escapes. */
  close(offset: number, escaped: boolean): void {
    const i = this.n - 1;
    const length = this.blockStart[this.blockStart.length - 1]! + offset - this.starts[i]!;
    if (length >= LONG) this.long.set(i, length);
    this.lengths[i] = Math.min(length, LONG) | (escaped ? ESCAPED : 0);
    this.openString = false;
  }

  /** Trims the index arrays once loading is done (a reservation is kept as a view: see {@link reserve}; the last block stays whole, see {@link BLOCK_SIZE}). */
  seal(): void {
    this.starts = this.starts.subarray(0, this.n);
    this.lengths = this.lengths.subarray(0, this.n);
  }

  /** The block holding the bytes that start at position `at` (see {@link blockStart}). */
  private blockAt(at: number): number {
    return lowerBound(this.blockStart, at + 1) - 1;
  }

  /** Byte length of snapshot string `i` as stored (escaped form). */
  private storedLength(i: number): number {
    const l = this.lengths[i]! & LONG;
    return l === LONG ? this.long.get(i)! : l;
  }

  /** Byte length of string `i` as stored (escaped form). */
  byteLength(i: number): number {
    if (i >= this.n) return Buffer.byteLength(this.extra[i - this.n] ?? '');
    return this.storedLength(i);
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
   * The stored bytes (escaped form) of snapshot string `i`, as a view into
   * its block: for matching ASCII patterns without decoding or copying.
   * Undefined for strings added after loading.
   */
  rawView(i: number): Uint8Array | undefined {
    if (i >= this.n) return undefined;
    const at = this.starts[i]!;
    const b = this.blockAt(at);
    const block = this.blocks[b]!;
    // A plain view: element access on a Buffer is slower.
    return new Uint8Array(block.buffer, block.byteOffset + at - this.blockStart[b]!, this.storedLength(i));
  }

  /**
   * Calls `fn(block, end)` for each snapshot string of at least `minBytes`
   * stored bytes (escaped form), in index order: its last stored byte is
   * `block[end - 1]`. For scanning the ends of long strings without a view of each.
   */
  forEachLong(minBytes: number, fn: (block: Uint8Array, end: number) => void): void {
    const lengths = this.lengths;
    let b = 0;
    for (let i = 0; i < this.n; i++) {
      if ((lengths[i]! & LONG) < minBytes) continue;
      const at = this.starts[i]!;
      // Strings are stored in index order: the block usually stays or moves forward.
      if (at < this.blockStart[b]!) b = this.blockAt(at);
      while (b + 1 < this.blocks.length && this.blockStart[b + 1]! <= at) b++;
      fn(this.blocks[b]!, at - this.blockStart[b]! + this.storedLength(i));
    }
  }

  /**
   * Whether string `i` holds a line terminator (`\n`, `\r`, U+2028, U+2029),
   * escaped or not, which stops a `.` in a regular expression: found in the
   * stored bytes, without decoding.
   */
  hasLineTerminator(i: number): boolean {
    const raw = this.rawView(i);
    if (raw === undefined) return /[\n\r\u2028\u2029]/.test(this.get(i));
    const escaped = (this.lengths[i]! & ESCAPED) !== 0;
    for (let k = 0; k < raw.length; k++) {
      const c = raw[k]!;
      if (c < 0x80 && (c !== 0x5c || !escaped)) continue;
      if (c === 0x5c) {
        // An escape: \n, \r, \u000a, \u000d, \u2028, \u2029; any other one is skipped whole.
        const x = raw[k + 1];
        if (x === 0x6e || x === 0x72) return true;
        if (x === 0x75 && k + 5 < raw.length) {
          const hex = String.fromCharCode(raw[k + 2]!, raw[k + 3]!, raw[k + 4]!, raw[k + 5]!).toLowerCase();
          if (hex === '000a' || hex === '000d' || hex === '2028' || hex === '2029') return true;
        }
        k++;
      } else if (c === 0xe2 && raw[k + 1] === 0x80 && (raw[k + 2] === 0xa8 || raw[k + 2] === 0xa9)) {
        return true; // U+2028 or U+2029 as UTF-8
      }
    }
    return false;
  }

  private decode(i: number, maxBytes: number): string {
    const at = this.starts[i]!;
    const b = this.blockAt(at);
    const block = this.blocks[b]!;
    const start = at - this.blockStart[b]!;
    const stored = this.storedLength(i);
    const len = Math.min(stored, maxBytes);
    if ((this.lengths[i]! & ESCAPED) === 0) return block.toString('utf8', start, start + len);
    let end = start + len;
    if (len < stored) {
      // Do not cut an escape sequence in half (`\\` is one, so walk them from the start).
      for (let k = start; k < end; k++) {
        if (block[k] !== 92) continue;
        const next = k + (block[k + 1] === 117 ? 6 : 2);
        if (next > end) {
          end = k;
          break;
        }
        k = next - 1;
      }
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
    if (this.lengths[i]! & ESCAPED) return this.get(i) === s;
    const len = this.storedLength(i);
    if (len !== Buffer.byteLength(s)) return false;
    const at = this.starts[i]!;
    const b = this.blockAt(at);
    const start = at - this.blockStart[b]!;
    return this.blocks[b]!.toString('utf8', start, start + len) === s;
  }

  /** Index of the first snapshot string equal to `s`, or -1. Scans the table. */
  indexOf(s: string): number {
    // Not Buffer.from: small sizes come from Node's shared pool (see parser.ts).
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(s));
    bytes.write(s, 'utf8');
    const len = bytes.length;
    // Length words to look for: the plain one (escape bit clear), or LONG for long strings.
    const word = Math.min(len, LONG);
    const lengths = this.lengths;
    for (let i = 0; i < this.n; i++) {
      const raw = lengths[i]!;
      if (raw & ESCAPED) {
        // Escaped in the file: between its own length and six bytes (\uXXXX) per byte of `s`.
        const stored = this.storedLength(i);
        if (stored >= len && stored <= 6 * len && this.get(i) === s) return i;
        continue;
      }
      if (raw !== word || (word === LONG && this.long.get(i) !== len)) continue;
      const at = this.starts[i]!;
      const b = this.blockAt(at);
      const start = at - this.blockStart[b]!;
      if (this.blocks[b]!.compare(bytes, 0, len, start, start + len) === 0) return i;
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

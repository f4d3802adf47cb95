/**
 * Node and edge names in two bytes each, and one more for the few that need
 * it. A node's name and a named edge's name are string indexes; the name of
 * an `element` or `hidden` edge is a number (its index). The string table of
 * a snapshot holds a few million strings at most, and element indexes are
 * small, so nearly every name fits in 24 bits, and most in 16: the low 16
 * bits of every name sit in one array, and a bit per name marks the wide
 * ones (2^16 and more), whose next 8 bits follow in a short array of their
 * own, in order (about one name in ten in the benchmark's snapshots: 2.35
 * bytes per edge name instead of 3 bytes). A wide name's place there is its
 * rank among the wide ones: the count of wide names before its group of 32,
 * plus the marked bits below it in the group's word. The rare names of
 * {@link NAMES_APART_FROM} and more (a sparse array's large index, a string
 * table of more than 16 million strings) read 0xff in the high byte and are
 * kept apart, by node or edge.
 *
 * A module of its own, like ./edge-word.ts, so that the worker threads can
 * read and write names without loading the parser.
 */
import { fillRanks, rankOf } from './bits.js';
import { mappedBuffer } from './mapped.js';
import { lowerBound } from './search.js';

/** Names from this value up are kept apart (their high byte reads 0xff). */
export const NAMES_APART_FROM = 0xff0000;

/** Names below this value are narrow: their low 16 bits are all there is. */
export const WIDE_NAMES_FROM = 0x10000;

/** The names of a snapshot's nodes or edges, as plain typed arrays (they cross threads as they are). */
export interface NameArrays {
  /** The low 16 bits of every name. */
  low: Uint16Array;
  /** A bit per name (bit `i & 31` of word `i >>> 5`), set when the name is wide (2^16 or more). */
  wide: Int32Array;
  /** For each word of {@link wide}: how many wide names come before its 32 names. */
  ranks: Uint32Array;
  /** The next 8 bits of each wide name, in order; 0xff for the names kept apart. */
  high: Uint8Array;
  /** The nodes or edges whose names are kept apart, in ascending order. */
  apartIndexes: Uint32Array;
  /** Their names, in the same order. */
  apartNames: Uint32Array;
}

/** The name of node or edge `i`. */
export function nameAt(names: NameArrays, i: number): number {
  const word = names.wide[i >>> 5]!;
  const bit = 1 << (i & 31);
  if ((word & bit) === 0) return names.low[i]!;
  const h = names.high[rankOf(names.wide, names.ranks, i)]!;
  return h !== 0xff ? names.low[i]! | (h << 16) : apartName(names, i);
}

/** The name of node or edge `i`, one of those kept apart. */
function apartName(names: NameArrays, i: number): number {
  const apart = names.apartIndexes;
  const lo = lowerBound(apart, i);
  if (lo === apart.length || apart[lo] !== i) throw new Error(`name ${i} is marked as kept apart, but it is not there`);
  return names.apartNames[lo]!;
}

/** Every name in one array of 4 bytes a name. */
export function namesToArray(names: NameArrays): Uint32Array {
  const { low, wide, high } = names;
  const out = new Uint32Array(low.length);
  out.set(low);
  // The wide names, in order: their high bytes are in the same order.
  let k = 0;
  for (let g = 0; g < wide.length; g++) {
    for (let word = wide[g]!; word !== 0; word &= word - 1) {
      const i = (g << 5) + 31 - Math.clz32(word & -word);
      out[i] = out[i]! | (high[k++]! << 16);
    }
  }
  const { apartIndexes, apartNames } = names;
  for (let j = 0; j < apartIndexes.length; j++) out[apartIndexes[j]!] = apartNames[j]!;
  return out;
}

/**
 * Names as they are parsed, in ascending order of node or edge ({@link set}).
 */
export class NameWriter {
  readonly low: Uint16Array;
  readonly wide: Int32Array;
  /** Room for a high byte per name; only the pages written take memory (see ./mapped.ts). */
  private readonly highRoom: Uint8Array;
  private highCount = 0;
  private apartIndexes = new Uint32Array(16);
  private apartNames = new Uint32Array(16);
  private apartCount = 0;

  /** Room for `count` names; in shared memory when `shared`, for the worker threads to read. */
  constructor(
    count: number,
    private readonly shared = false,
  ) {
    const Buffer = shared ? SharedArrayBuffer : ArrayBuffer;
    this.low = new Uint16Array(new Buffer(2 * count));
    this.wide = new Int32Array(new Buffer(4 * ((count + 31) >>> 5)));
    if (count >= 1 << 20) {
      const room = mappedBuffer(count);
      this.highRoom = new Uint8Array(room.buffer, room.byteOffset, count);
    } else this.highRoom = new Uint8Array(count);
  }

  /** Sets name `i` to `v` (0 to 2^32 - 1); `i` follows every wide name so far. */
  set(i: number, v: number): void {
    if (v < WIDE_NAMES_FROM) this.low[i] = v;
    else if (v < NAMES_APART_FROM) {
      this.low[i] = v;
      this.setWide(i, v >>> 16);
    } else this.setApart(i, v);
  }

  /** Marks name `i` wide, with `high` as its next 8 bits; `i` follows every wide name so far. */
  private setWide(i: number, high: number): void {
    this.wide[i >>> 5]! |= 1 << (i & 31);
    this.highRoom[this.highCount++] = high;
  }

  /** Keeps name `v` (from {@link NAMES_APART_FROM} to 2^32 - 1) of node or edge `i`, which follows every wide name so far. */
  private setApart(i: number, v: number): void {
    if (this.apartCount === this.apartIndexes.length) {
      const indexes = new Uint32Array(this.apartCount * 2);
      const names = new Uint32Array(this.apartCount * 2);
      indexes.set(this.apartIndexes);
      names.set(this.apartNames);
      this.apartIndexes = indexes;
      this.apartNames = names;
    }
    this.apartIndexes[this.apartCount] = i;
    this.apartNames[this.apartCount++] = v;
    this.low[i] = 0xffff;
    this.setWide(i, 0xff);
  }

  /** The arrays, with the high bytes and the names kept apart in arrays of their exact length. */
  finish(): NameArrays {
    const wide = this.wide;
    const Buffer = this.shared ? SharedArrayBuffer : ArrayBuffer;
    const ranks = new Uint32Array(new Buffer(4 * wide.length));
    const before = fillRanks(wide, ranks);
    if (before !== this.highCount) throw new Error(`names: ${before} marked wide, but ${this.highCount} high bytes were written`);
    const high = new Uint8Array(new Buffer(this.highCount));
    high.set(this.highRoom.subarray(0, this.highCount));
    return {
      low: this.low,
      wide,
      ranks,
      high,
      apartIndexes: this.apartIndexes.slice(0, this.apartCount),
      apartNames: this.apartNames.slice(0, this.apartCount),
    };
  }
}

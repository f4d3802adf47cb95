/**
 * Node and edge names in three bytes each. A node's name and a named edge's
 * name are string indexes; the name of an `element` or `hidden` edge is a
 * number (its index). The string table of a snapshot holds a few million
 * strings at most, and element indexes are small, so nearly every name fits
 * in 24 bits: the low 16 bits sit in one array and the next 8 in another. The
 * rare names of {@link NAMES_APART_FROM} and more (a sparse array's large
 * index, a string table of more than 16 million strings) read 0xff in the
 * high byte and are kept apart, by node or edge.
 *
 * A module of its own, like ./edge-word.ts, so that the worker threads can
 * read and write names without loading the parser.
 */
import { lowerBound } from './search.js';

/** Names from this value up are kept apart (their high byte reads 0xff). */
export const NAMES_APART_FROM = 0xff0000;

/** The names of a snapshot's nodes or edges, as plain typed arrays (they cross threads as they are). */
export interface NameArrays {
  /** The low 16 bits of every name. */
  low: Uint16Array;
  /** The next 8 bits; 0xff for the names kept apart. */
  high: Uint8Array;
  /** The nodes or edges whose names are kept apart, in ascending order. */
  apartIndexes: Uint32Array;
  /** Their names, in the same order. */
  apartNames: Uint32Array;
}

/** The name of node or edge `i`. */
export function nameAt(names: NameArrays, i: number): number {
  const h = names.high[i]!;
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
  const { low, high } = names;
  const out = new Uint32Array(low.length);
  for (let e = 0; e < out.length; e++) out[e] = low[e]! | (high[e]! << 16);
  const { apartIndexes, apartNames } = names;
  for (let k = 0; k < apartIndexes.length; k++) out[apartIndexes[k]!] = apartNames[k]!;
  return out;
}

/**
 * Names as they are parsed, in ascending order of node or edge: the parser
 * writes a name below {@link NAMES_APART_FROM} straight into {@link low} and
 * {@link high}, and gives the others to {@link setApart}.
 */
export class NameWriter {
  readonly low: Uint16Array;
  readonly high: Uint8Array;
  private apartIndexes = new Uint32Array(16);
  private apartNames = new Uint32Array(16);
  private apartCount = 0;

  /** Room for `count` names; in shared memory when `shared`, for the worker threads to read. */
  constructor(count: number, shared = false) {
    const Buffer = shared ? SharedArrayBuffer : ArrayBuffer;
    this.low = new Uint16Array(new Buffer(2 * count));
    this.high = new Uint8Array(new Buffer(count));
  }

  /** Keeps name `v` (0 to 2^32 - 1) of node or edge `i`, which follows every one kept apart so far. */
  setApart(i: number, v: number): void {
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
    this.high[i] = 0xff;
  }

  /** The arrays, with the names kept apart in arrays of their exact length. */
  finish(): NameArrays {
    return {
      low: this.low,
      high: this.high,
      apartIndexes: this.apartIndexes.slice(0, this.apartCount),
      apartNames: this.apartNames.slice(0, this.apartCount),
    };
  }
}

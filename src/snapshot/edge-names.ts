/**
 * Edge names in three bytes each. An edge's name is a string index (named
 * edges) or a number (the index of `element` and `hidden` edges). The string
 * table of a snapshot holds a few million strings at most, and element
 * indexes are small, so nearly every name fits in 24 bits: the low 16 bits
 * sit in one array and the next 8 in another. The rare names of
 * {@link NAMES_APART_FROM} and more (a sparse array's large index, a string
 * table of more than 16 million strings) read 0xff in the high byte and are
 * kept apart, by edge.
 *
 * A module of its own, like ./edge-word.ts, so that the worker threads can
 * read and write edge names without loading the parser.
 */
import { lowerBound } from './search.js';

/** Names from this value up are kept apart (their high byte reads 0xff). */
export const NAMES_APART_FROM = 0xff0000;

/** The edge names of a snapshot, as plain typed arrays (they cross threads as they are). */
export interface EdgeNameArrays {
  /** The low 16 bits of every edge's name. */
  low: Uint16Array;
  /** The next 8 bits; 0xff for the names kept apart. */
  high: Uint8Array;
  /** The edges whose names are kept apart, in ascending order. */
  apartEdges: Uint32Array;
  /** Their names, in the same order. */
  apartNames: Uint32Array;
}

/** The name of edge `e`. */
export function edgeNameAt(names: EdgeNameArrays, e: number): number {
  const h = names.high[e]!;
  return h !== 0xff ? names.low[e]! | (h << 16) : apartName(names, e);
}

/** The name of edge `e`, one of those kept apart. */
function apartName(names: EdgeNameArrays, e: number): number {
  const edges = names.apartEdges;
  const lo = lowerBound(edges, e);
  if (lo === edges.length || edges[lo] !== e) throw new Error(`edge ${e} is marked as having its name kept apart, but it is not there`);
  return names.apartNames[lo]!;
}

/** Every edge's name in one array of 4 bytes an edge. */
export function edgeNamesToArray(names: EdgeNameArrays): Uint32Array {
  const { low, high } = names;
  const out = new Uint32Array(low.length);
  for (let e = 0; e < out.length; e++) out[e] = low[e]! | (high[e]! << 16);
  const { apartEdges, apartNames } = names;
  for (let k = 0; k < apartEdges.length; k++) out[apartEdges[k]!] = apartNames[k]!;
  return out;
}

/**
 * Edge names as they are parsed, edge by edge in ascending order: the parser
 * writes a name below {@link NAMES_APART_FROM} straight into {@link low} and
 * {@link high}, and gives the others to {@link setApart}.
 */
export class EdgeNameWriter {
  readonly low: Uint16Array;
  readonly high: Uint8Array;
  private apartEdges = new Uint32Array(16);
  private apartNames = new Uint32Array(16);
  private apartCount = 0;

  constructor(count: number) {
    this.low = new Uint16Array(count);
    this.high = new Uint8Array(count);
  }

  /** Keeps name `v` (0 to 2^32 - 1) of edge `e`, which follows every edge kept apart so far. */
  setApart(e: number, v: number): void {
    if (this.apartCount === this.apartEdges.length) {
      const edges = new Uint32Array(this.apartCount * 2);
      const names = new Uint32Array(this.apartCount * 2);
      edges.set(this.apartEdges);
      names.set(this.apartNames);
      this.apartEdges = edges;
      this.apartNames = names;
    }
    this.apartEdges[this.apartCount] = e;
    this.apartNames[this.apartCount++] = v;
    this.low[e] = 0xffff;
    this.high[e] = 0xff;
  }

  /** The arrays, with the names kept apart in arrays of their exact length. */
  finish(): EdgeNameArrays {
    return {
      low: this.low,
      high: this.high,
      apartEdges: this.apartEdges.slice(0, this.apartCount),
      apartNames: this.apartNames.slice(0, this.apartCount),
    };
  }
}

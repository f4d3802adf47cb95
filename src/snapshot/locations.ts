/**
 * The `locations` section, kept compact as it is parsed. V8 writes a row per
 * function or object whose code position it records: the node's offset in
 * `nodes`, a script id, a line and a column (0-based). Many rows share a
 * position (every instance of a class points to its constructor's: 721,328
 * rows hold 2,411 distinct positions in a 300 MB benchmark snapshot), so each
 * row keeps the node's ordinal and a place number, 8 bytes instead of 16, and
 * each distinct place keeps its three numbers once.
 */

/** A row's ordinal when its offset names no node (not a multiple of the node field count, or past the last node). */
export const NO_NODE = 0xffffffff;

export interface Locations {
  /** Two words per row: the node's ordinal (or {@link NO_NODE}) and its place number. */
  rows: Uint32Array;
  /** Script id, line and column of each place, three numbers each, as V8 writes them. */
  places: Float64Array;
}

export function noLocations(): Locations {
  return { rows: new Uint32Array(0), places: new Float64Array(0) };
}

/** Whether `v` is an integer in [0, limit). */
function isBelow(v: number, limit: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < limit;
}

/** Builds {@link Locations} from the section's numbers, a chunk at a time. */
export class LocationBuilder {
  private rows: Uint32Array;
  private rowCount = 0;
  private places = new Float64Array(3 * 256);
  private placeCount = 0;
  private readonly placeNumbers = new Map<number | string, number>();
  private readonly width: number;
  private readonly object: number;
  private readonly script: number;
  private readonly line: number;
  private readonly column: number;

  /** `fields` are `meta.location_fields`; node offsets are divided by `nodeFieldCount`, and name a node below `nodeCount`. */
  constructor(
    fields: readonly string[],
    private readonly nodeFieldCount: number,
    private readonly nodeCount: number,
  ) {
    this.width = fields.length;
    this.object = fields.indexOf('object_index');
    this.script = fields.indexOf('script_id');
    this.line = fields.indexOf('line');
    this.column = fields.indexOf('column');
    // V8 writes one row per node at most: room for that many up front, whose pages take
    // memory only as they fill, so that no grown copy is left for the garbage collector.
    let rows: Uint32Array;
    try {
      rows = new Uint32Array(2 * Math.max(256, nodeCount));
    } catch {
      rows = new Uint32Array(2 * 256);
    }
    this.rows = rows;
  }

  /**
   * Takes the complete rows among `data[0 .. length)` and returns how many
   * numbers they were; the caller keeps the rest for the next chunk. Without
   * a node field, every number is taken and none kept.
   */
  addRows(data: Float64Array, length: number): number {
    const width = this.width;
    if (width === 0 || this.object < 0) return length;
    const count = Math.floor(length / width);
    if (2 * (this.rowCount + count) > this.rows.length) {
      const grown = new Uint32Array(Math.max(2 * this.rows.length, 2 * (this.rowCount + count)));
      grown.set(this.rows.subarray(0, 2 * this.rowCount));
      this.rows = grown;
    }
    const rows = this.rows;
    const { object, script, line, column, nodeFieldCount, nodeCount } = this;
    let k = 2 * this.rowCount;
    // Rows in a run often share a position (objects of one class made one after another:
    // three rows in four in the 300 MB benchmark snapshot), so the last one is kept at hand.
    const last = this.last;
    let lastScript = last[0]!;
    let lastLine = last[1]!;
    let lastColumn = last[2]!;
    let lastPlace = last[3]!;
    for (let base = 0; base < count * width; base += width) {
      const ordinal = data[base + object]! / nodeFieldCount;
      rows[k++] = isBelow(ordinal, nodeCount) ? ordinal : NO_NODE;
      const s = script < 0 ? 0 : data[base + script]!;
      const l = line < 0 ? 0 : data[base + line]!;
      const c = column < 0 ? 0 : data[base + column]!;
      if (s !== lastScript || l !== lastLine || c !== lastColumn) {
        lastScript = s;
        lastLine = l;
        lastColumn = c;
        lastPlace = this.lookUp(s, l, c);
      }
      rows[k++] = lastPlace;
    }
    last[0] = lastScript;
    last[1] = lastLine;
    last[2] = lastColumn;
    last[3] = lastPlace;
    this.rowCount += count;
    return count * width;
  }

  /** The last row's script, line, column and place (none yet: NaN matches nothing). */
  private readonly last = Float64Array.of(NaN, NaN, NaN, 0);

  private lookUp(script: number, line: number, column: number): number {
    // One number for the usual positions (script ids below 2^11, lines and columns below
    // 2^21: 53 bits), a string for the others.
    const key =
      isBelow(script, 0x800) && isBelow(line, 0x200000) && isBelow(column, 0x200000)
        ? (script * 0x200000 + line) * 0x200000 + column
        : `${script},${line},${column}`;
    let p = this.placeNumbers.get(key);
    if (p === undefined) {
      p = this.placeCount++;
      if (3 * p + 3 > this.places.length) {
        const grown = new Float64Array(2 * this.places.length);
        grown.set(this.places);
        this.places = grown;
      }
      this.places[3 * p] = script;
      this.places[3 * p + 1] = line;
      this.places[3 * p + 2] = column;
      this.placeNumbers.set(key, p);
    }
    return p;
  }

  /** The rows (a view of the room reserved: copying it to trim would leave the whole array as garbage) and the places. */
  finish(): Locations {
    return { rows: this.rows.subarray(0, 2 * this.rowCount), places: this.places.slice(0, 3 * this.placeCount) };
  }
}

/**
 * The rows that name a node, sorted by node (and, for a node with more than
 * one, in file order): their ordinals and row numbers, for binary search.
 */
export function sortLocations(rows: Uint32Array, nodeCount: number): { ordinals: Uint32Array; rows: Uint32Array } {
  const count = rows.length >>> 1;
  let order: Uint32Array;
  if (nodeCount * count < 2 ** 53) {
    // Node and row in one number, sorted natively: several times quicker than a comparator.
    const keys = new Float64Array(count);
    let m = 0;
    for (let r = 0; r < count; r++) if (rows[2 * r] !== NO_NODE) keys[m++] = rows[2 * r]! * count + r;
    const sorted = keys.subarray(0, m).sort();
    order = new Uint32Array(m);
    for (let i = 0; i < m; i++) order[i] = sorted[i]! % count;
  } else {
    const kept: number[] = [];
    for (let r = 0; r < count; r++) if (rows[2 * r] !== NO_NODE) kept.push(r);
    kept.sort((a, b) => rows[2 * a]! - rows[2 * b]! || a - b);
    order = Uint32Array.from(kept);
  }
  const ordinals = new Uint32Array(order.length);
  for (let i = 0; i < order.length; i++) ordinals[i] = rows[2 * order[i]!]!;
  return { ordinals, rows: order };
}

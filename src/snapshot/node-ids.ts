/**
 * Node ids in little memory.
 *
 * V8 gives a heap object its id when a snapshot first meets it, two more
 * than the last one given (heap objects get odd ids, embedder objects even
 * ones), and lists the objects in about the order it met them: in the first
 * snapshot of a process nearly every node's id is its predecessor's plus two.
 * Such ids are kept as runs — where each run of "plus two" steps starts and
 * its first id, 8 bytes a run — instead of 4 bytes a node; a hint per block of
 * 1,024 nodes says which run the block starts in, so reading an id is a
 * lookup among the few runs of one block. Snapshots taken after others list
 * old and new objects mixed, with runs too short to pay: their ids stay one
 * array.
 */
const BLOCK_SHIFT = 10;

/** Runs are kept when they average this many nodes or more (8 bytes a run against 4 a node: a quarter of the array's memory at most). */
const MIN_MEAN_RUN = 8;

export class NodeIds {
  /** Runs by first id, odd ids first (see {@link buildIdOrder}); undefined until an id is looked up, null when runs overlap (duplicate ids). */
  private runsById: { order: Uint32Array; oddEnd: number } | null | undefined;

  private constructor(
    /** Number of nodes. */
    readonly length: number,
    /** The ids, when they are not kept as runs. */
    private readonly plain: Uint32Array | undefined,
    /** Ordinal where each run starts (ascending; the first is 0). */
    private readonly runStart: Uint32Array,
    /** Id of each run's first node. */
    private readonly runId: Uint32Array,
    /** The run holding the first node of each block. */
    private readonly blockRun: Uint32Array,
  ) {}

  /** Ids read from a snapshot, one per node in ordinal order. `ids` is not kept when the runs take its place. */
  static from(ids: Uint32Array): NodeIds {
    const n = ids.length;
    // Count the runs, giving up as soon as they are too many to pay.
    const most = Math.floor(n / MIN_MEAN_RUN);
    let runs = n === 0 ? 0 : 1;
    for (let i = 1; i < n && runs <= most; i++) if (ids[i] !== ids[i - 1]! + 2) runs++;
    const none = new Uint32Array(0);
    if (runs === 0 || runs > most) return new NodeIds(n, ids, none, none, none);
    const runStart = new Uint32Array(runs);
    const runId = new Uint32Array(runs);
    const blockRun = new Uint32Array(((n - 1) >>> BLOCK_SHIFT) + 1);
    let k = -1;
    for (let i = 0; i < n; i++) {
      if (i === 0 || ids[i] !== ids[i - 1]! + 2) {
        runStart[++k] = i;
        runId[k] = ids[i]!;
      }
      if ((i & ((1 << BLOCK_SHIFT) - 1)) === 0) blockRun[i >>> BLOCK_SHIFT] = k;
    }
    return new NodeIds(n, undefined, runStart, runId, blockRun);
  }

  /** Whether the ids are kept as runs (else as one array). */
  get compact(): boolean {
    return this.plain === undefined;
  }

  /** Bytes the ids take (runs: 8 a run, 4 more once an id has been looked up, and 4 a block). */
  get byteLength(): number {
    if (this.plain) return this.plain.byteLength;
    return this.runStart.byteLength + this.runId.byteLength + this.blockRun.byteLength + (this.runsById?.order.byteLength ?? 0);
  }

  /** The id of node `ordinal` (which must be in range). */
  at(ordinal: number): number {
    if (this.plain) return this.plain[ordinal]!;
    const k = this.runOf(ordinal);
    return this.runId[k]! + 2 * (ordinal - this.runStart[k]!);
  }

  /** The run holding node `ordinal`: the last run starting at or before it, among those of its block. */
  private runOf(ordinal: number): number {
    const b = ordinal >>> BLOCK_SHIFT;
    let lo = this.blockRun[b]!;
    let hi = b + 1 < this.blockRun.length ? this.blockRun[b + 1]! : this.runStart.length - 1;
    const start = this.runStart;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (start[mid]! <= ordinal) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Nodes in run `k`. */
  private runLength(k: number): number {
    return (k + 1 < this.runStart.length ? this.runStart[k + 1]! : this.length) - this.runStart[k]!;
  }

  /**
   * The ordinal of the node with this id, or -1; undefined when the ids are
   * one array or have duplicates (the caller searches a sorted copy then).
   */
  ordinalOf(id: number): number | undefined {
    if (this.plain) return undefined;
    if (this.runsById === undefined) this.runsById = this.buildIdOrder();
    if (this.runsById === null) return undefined;
    const { order, oddEnd } = this.runsById;
    // Runs of one parity cover disjoint ids; the last one starting at or below `id` is the only candidate.
    const odd = id % 2 === 1;
    const from = odd ? 0 : oddEnd;
    const to = odd ? oddEnd : order.length;
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.runId[order[mid]!]! <= id) lo = mid + 1;
      else hi = mid;
    }
    if (lo === from) return -1;
    const k = order[lo - 1]!;
    const step = (id - this.runId[k]!) / 2;
    return Number.isInteger(step) && step < this.runLength(k) ? this.runStart[k]! + step : -1;
  }

  /** The runs sorted by first id, odd first; null when two runs of one parity overlap (a snapshot with duplicate ids). */
  private buildIdOrder(): { order: Uint32Array; oddEnd: number } | null {
    const r = this.runStart.length;
    const firstIds = this.runId;
    const order = Uint32Array.from({ length: r }, (_, k) => k).sort((a, b) => {
      const pa = firstIds[a]! & 1;
      const pb = firstIds[b]! & 1;
      return pa !== pb ? pb - pa : firstIds[a]! - firstIds[b]!;
    });
    let oddEnd = 0;
    while (oddEnd < r && (firstIds[order[oddEnd]!]! & 1) === 1) oddEnd++;
    for (let j = 1; j < r; j++) {
      if (j === oddEnd) continue;
      const prev = order[j - 1]!;
      if (firstIds[order[j]!]! <= firstIds[prev]! + 2 * (this.runLength(prev) - 1)) return null;
    }
    return { order, oddEnd };
  }

  /** Every id, in ordinal order (the kept array itself when the ids are not runs). */
  toArray(): Uint32Array {
    if (this.plain) return this.plain;
    const out = new Uint32Array(this.length);
    const r = this.runStart.length;
    for (let k = 0; k < r; k++) {
      const end = k + 1 < r ? this.runStart[k + 1]! : this.length;
      for (let i = this.runStart[k]!, id = this.runId[k]!; i < end; i++, id += 2) out[i] = id;
    }
    return out;
  }
}

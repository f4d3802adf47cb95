/**
 * DevTools' shallow sizes on a second thread. The ownership pass reads only
 * the snapshot's arrays and takes about a sixth of the time of the
 * dominator search; when those arrays live in shared memory (the parser puts
 * them there), a worker runs it while the calling thread runs the
 * dominator search, which does not need the sizes. Before it, the worker
 * marks the nodes the page owns, which the dominator search needs only once
 * it has classified the edges by the other rules.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LARGE_SIZE, type LargeSizes, type NodeSizes, type OwnershipInput } from './ownership.js';
import { workerLost, type LifeWords } from './worker-life.js';

/** Below this many edges the pass is quicker than starting a worker. */
const MIN_EDGES = 2_000_000;
/** A worker whose progress count has not moved for this long is given up. */
const STALL_MS = 10_000;

export interface ShallowWorkerData {
  input: OwnershipInput;
  /** The 16-bit sizes, self sizes on entry, written in place. */
  small: Uint16Array;
  /** Room for the sizes kept apart: nodes and sizes, as many as the heap's total allows (see {@link ShallowJob.start}). */
  large: LargeSizes;
  /** Where page ownership starts (see `pageOwnedStarts`), and the flags to set; absent when not asked for. */
  owned: { starts: Uint32Array; flags: Uint8Array } | undefined;
  /** Int32 words: [0] sizes: 0 running, 1 done, 2 failed; [1] progress count; [2] owned flags, as [0]; [3] how many sizes were kept apart; [4] and [5] the worker's start and end ({@link SHALLOW_LIFE}). */
  state: SharedArrayBuffer;
}

/** The words of the state the worker sets as it starts and ends (see ./worker-life.ts). */
export const SHALLOW_LIFE: LifeWords = { started: 4, gone: 5 };

function isShared(a: ArrayBufferView): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

/** A worker computing shallow sizes into a shared array. */
export class ShallowJob {
  private constructor(
    private readonly worker: Worker,
    private readonly small: Uint16Array,
    private readonly large: LargeSizes,
    private readonly state: Int32Array,
    /** The page-owned flags the worker sets, when asked for. */
    readonly owned: Uint8Array | undefined,
  ) {}

  private givenUp = false;
  private readonly created = Date.now();

  /**
   * Starts the pass on a worker, writing into a shared copy of the 16-bit self
   * sizes, after marking the page-owned nodes from `ownedStarts` when given;
   * null when the snapshot is small, its arrays are not shared, or no worker
   * can start. `total` is the self sizes' sum (`HeapSnapshot.totalSize`).
   */
  static start(input: OwnershipInput, total: number, ownedStarts?: Uint32Array): ShallowJob | null {
    const { nodeName } = input;
    const arrays = [input.nodeType, nodeName.low, nodeName.wide, nodeName.ranks, nodeName.high, input.selfSizes.small, input.firstEdge, input.edgeWord];
    if (input.edgeWord.length < MIN_EDGES || !arrays.every(isShared)) return null;
    const url = new URL('./shallow-worker.js', import.meta.url);
    if (!existsSync(fileURLToPath(url))) return null;
    try {
      const n = input.nodeType.length;
      const small = new Uint16Array(new SharedArrayBuffer(2 * n));
      small.set(input.selfSizes.small);
      // Sizes are moved, never copied: their sum stays the heap's total, so at most
      // total / LARGE_SIZE of them reach LARGE_SIZE.
      const room = Math.floor(total / LARGE_SIZE) + 1;
      const large = { ordinals: new Uint32Array(new SharedArrayBuffer(4 * room)), sizes: new Float64Array(new SharedArrayBuffer(8 * room)) };
      const state = new SharedArrayBuffer(24);
      const owned = ownedStarts === undefined ? undefined : { starts: ownedStarts, flags: new Uint8Array(new SharedArrayBuffer((n + 7) >>> 3)) };
      const data: ShallowWorkerData = { input, small, large, owned, state };
      const worker = new Worker(url, { workerData: data, execArgv: [], stdout: false, stderr: false });
      worker.on('error', () => {}); // a failed worker is noticed by its state
      worker.unref();
      return new ShallowJob(worker, small, large, new Int32Array(state), owned?.flags);
    } catch {
      return null;
    }
  }

  /** Blocks until the worker is done; null when it failed or stalled (the caller computes the sizes itself). */
  joinSync(): NodeSizes | null {
    if (this.givenUp) return null;
    const ok = this.wait(0);
    void this.worker.terminate();
    if (!ok) return null;
    const count = Atomics.load(this.state, 3);
    return { small: this.small, large: { ordinals: this.large.ordinals.slice(0, count), sizes: this.large.sizes.slice(0, count) } };
  }

  /** Blocks until the page-owned flags are set; null when they were not asked for, or the worker failed or stalled. */
  joinOwnedSync(): Uint8Array | null {
    if (this.owned === undefined) return null;
    if (this.wait(2)) return this.owned;
    // Failed or stalled: the sizes are computed by the caller too.
    this.givenUp = true;
    void this.worker.terminate();
    return null;
  }

  /** Waits for state word `word` to leave 0: true when it says done. */
  private wait(word: number): boolean {
    let ticks = Atomics.load(this.state, 1);
    let stalledSince = Date.now();
    for (;;) {
      const s = Atomics.load(this.state, word);
      if (s !== 0) return s === 1;
      // (A worker sets its result, then ends: read it once more.)
      if (workerLost(this.state, SHALLOW_LIFE, this.created)) return Atomics.load(this.state, word) === 1;
      if (Atomics.wait(this.state, word, 0, 500) !== 'timed-out') continue;
      const now = Atomics.load(this.state, 1);
      if (now !== ticks) {
        ticks = now;
        stalledSince = Date.now();
      } else if (Date.now() - stalledSince > STALL_MS) {
        // A worker that never started or died: its arrays are abandoned, not reused.
        return false;
      }
    }
  }
}

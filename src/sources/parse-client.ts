/**
 * Parsing a snapshot of the current isolate on another thread while V8 is
 * still writing it.
 *
 * V8 serialises a snapshot on the calling thread, chunk by chunk, and the
 * live API must return synchronously. Parsing each chunk on that same thread
 * adds the whole parse to the call. Here the calling thread only copies each
 * chunk into a ring of shared memory (./parse-protocol.ts); a worker thread
 * parses it meanwhile, so parsing overlaps V8's serialisation. At the end the
 * caller sleeps in `Atomics.wait` until the worker has posted the parsed
 * arrays, which it takes with `receiveMessageOnPort` (no event loop turn),
 * the buffers transferred, not copied.
 *
 * The worker is started once, before the first snapshot (so that its handle
 * objects are not new in any later one), and kept, unref'd. When it cannot
 * start, snapshots are parsed on the calling thread; when it stops
 * answering, that snapshot fails and later ones are parsed on the calling
 * thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { SnapshotParser, type SnapshotData } from '../snapshot/parser.js';
import { SnapshotError } from '../snapshot/errors.js';
import { StringPool } from '../snapshot/strings.js';
import { workerLost } from '../snapshot/worker-life.js';
import {
  CONTROL_WORDS,
  ENDED,
  HEAD,
  LENGTHS,
  PARSE_LIFE,
  PROGRESS,
  SLOT_BYTES,
  SLOTS,
  STATE,
  State,
  TAIL,
  TO_CLIENT,
  TO_WORKER,
  type ParseAnswer,
} from './parse-protocol.js';

/** How long the worker may make no progress before it is given up. */
const STALL_MS = 120_000;
/** How long the first parse waits for the worker to start. */
const BOOT_MS = 10_000;

const encoder = new TextEncoder();

/** Receives the chunks of one snapshot and returns its parsed data. */
export interface ChunkParser {
  write(chunk: string | Uint8Array): void;
  end(): SnapshotData;
  /** Gives up the parse (the snapshot failed before its end). */
  abort?(): void;
}

/** A parse worker, started once and reused for every snapshot. */
export class ParseWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly ctrl: Int32Array;
  private readonly ring: Uint8Array;
  private head = 0;
  private failed: Error | null = null;
  private readonly created = Date.now();

  private constructor(url: URL) {
    const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
    const ring = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
    const { port1, port2 } = new MessageChannel();
    this.worker = new Worker(url, {
      workerData: { control, ring, port: port2 },
      transferList: [port2],
      // The caller's flags (--inspect, --cpu-prof, --heapsnapshot-…) are for the caller.
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
    // Errors are learnt through the shared state; this listener only keeps
    // an 'error' event from becoming an uncaught exception.
    this.worker.on('error', () => {});
    this.port = port1;
    this.port.unref();
    this.ctrl = new Int32Array(control);
    this.ring = new Uint8Array(ring);
  }

  /** Starts a parse worker, or returns null when its script is missing. */
  static start(): ParseWorker | null {
    const url = new URL('./parse-worker.js', import.meta.url);
    if (!existsSync(fileURLToPath(url))) return null;
    try {
      return new ParseWorker(url);
    } catch {
      return null;
    }
  }

  /** False once the worker has failed (the caller parses on its own thread then). */
  get usable(): boolean {
    return this.failed === null;
  }

  /** Stops the worker. */
  dispose(): void {
    this.failed ??= new Error('objgraph: the parse worker was stopped');
    this.port.close();
    void this.worker.terminate();
  }

  /**
   * Starts a parse; returns null (and the caller parses itself) when the
   * worker is not ready within the boot time or has failed.
   */
  begin(progress: boolean): ChunkParser | null {
    if (this.failed !== null) return null;
    const ctrl = this.ctrl;
    if (!this.waitFor(() => {
      const s = Atomics.load(ctrl, STATE);
      return s === State.Idle || s === State.Done;
    }, BOOT_MS)) {
      this.fail(new Error('objgraph: the parse worker did not start'));
      return null;
    }
    // An answer nobody read (a parse given up halfway) is not this parse's.
    while (receiveMessageOnPort(this.port) !== undefined);
    this.head = 0;
    Atomics.store(ctrl, HEAD, 0);
    Atomics.store(ctrl, TAIL, 0);
    Atomics.store(ctrl, ENDED, 0);
    Atomics.store(ctrl, PROGRESS, progress ? 1 : 0);
    Atomics.store(ctrl, STATE, State.Requested);
    Atomics.notify(ctrl, STATE);
    return this;
  }

  /**
   * Copies a chunk into the ring (waiting while the ring is full). Once the
   * worker has answered early (it met an error), the chunks are dropped:
   * `end()` reports the error.
   */
  write(chunk: string | Uint8Array): void {
    const ctrl = this.ctrl;
    if (Atomics.load(ctrl, STATE) === State.Done) return;
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    let at = 0;
    while (at < bytes.length) {
      if (((this.head - Atomics.load(ctrl, TAIL)) | 0) >= SLOTS) {
        const ok = this.waitFor(() => ((this.head - Atomics.load(ctrl, TAIL)) | 0) < SLOTS || Atomics.load(ctrl, STATE) === State.Done, STALL_MS);
        if (!ok) this.stalled();
        if (Atomics.load(ctrl, STATE) === State.Done) return;
      }
      const slot = this.head % SLOTS;
      const n = Math.min(SLOT_BYTES, bytes.length - at);
      this.ring.set(at === 0 && n === bytes.length ? bytes : bytes.subarray(at, at + n), slot * SLOT_BYTES);
      Atomics.store(ctrl, LENGTHS + slot, n);
      this.head = (this.head + 1) | 0;
      Atomics.store(ctrl, HEAD, this.head);
      Atomics.add(ctrl, TO_WORKER, 1);
      Atomics.notify(ctrl, TO_WORKER);
      at += n;
    }
  }

  /** Waits for the worker to finish and returns the parsed data (or throws its error). */
  end(): SnapshotData {
    const ctrl = this.ctrl;
    Atomics.store(ctrl, ENDED, 1);
    Atomics.add(ctrl, TO_WORKER, 1);
    Atomics.notify(ctrl, TO_WORKER);
    if (!this.waitFor(() => Atomics.load(ctrl, STATE) === State.Done, STALL_MS)) this.stalled();
    const got = receiveMessageOnPort(this.port);
    if (got === undefined) return this.stalled();
    const answer = got.message as ParseAnswer;
    if (!answer.ok) {
      if (answer.name === 'SnapshotError') {
        const err = new SnapshotError(answer.source, '', answer.offset);
        err.message = answer.message;
        throw err;
      }
      throw new Error(answer.message);
    }
    return { ...answer.data, strings: new StringPool(0, answer.strings) };
  }

  /** Ends a parse given up halfway: the worker finishes (with an error) and its answer is dropped. */
  abort(): void {
    const ctrl = this.ctrl;
    Atomics.store(ctrl, ENDED, 1);
    Atomics.add(ctrl, TO_WORKER, 1);
    Atomics.notify(ctrl, TO_WORKER);
    if (!this.waitFor(() => Atomics.load(ctrl, STATE) === State.Done, BOOT_MS)) {
      this.fail(new Error('objgraph: the parse worker did not finish a parse given up'));
      return;
    }
    while (receiveMessageOnPort(this.port) !== undefined);
  }

  /**
   * Sleeps until `ready()` or until the worker has made no progress for
   * `ms`. Progress is any event the worker signals.
   */
  private waitFor(ready: () => boolean, ms: number): boolean {
    const ctrl = this.ctrl;
    let deadline = Date.now() + ms;
    for (;;) {
      const seen = Atomics.load(ctrl, TO_CLIENT);
      if (ready()) return true;
      // A worker that ended, or never started, says so itself (this thread cannot hear its exit).
      if (workerLost(ctrl, PARSE_LIFE, this.created)) return false;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      // Slices of a second: a worker that died without a word is noticed by the deadline.
      if (Atomics.wait(ctrl, TO_CLIENT, seen, Math.min(left, 1000)) !== 'timed-out') deadline = Date.now() + ms;
    }
  }

  private stalled(): never {
    const err = new Error(
      Atomics.load(this.ctrl, PARSE_LIFE.gone) === 1
        ? 'objgraph: the parse worker stopped in the middle of a parse'
        : `objgraph: the parse worker made no progress for ${STALL_MS / 1000} s; it was stopped`,
    );
    this.fail(err);
    throw err;
  }

  private fail(err: Error): void {
    this.failed = err;
    this.port.close();
    void this.worker.terminate();
  }
}

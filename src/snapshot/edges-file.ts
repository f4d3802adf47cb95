/**
 * The `edges` array of a snapshot file, parsed on another thread.
 *
 * The edges are most of a snapshot's bytes (three numbers per edge, about
 * three edges per node). When a plain snapshot file is big enough, the main
 * parser skips them (`skipEdges`: it only looks for their closing bracket)
 * while a worker thread reads the same file from the end of the header,
 * finds the array and parses it into the three edge arrays, which it
 * transfers back. On two cores the parse takes about the time of the larger
 * of the two halves. Gzip-compressed files and streams are parsed on one
 * thread (they cannot be read from the middle).
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { SnapshotError } from './errors.js';
import { mappedBuffer } from './mapped.js';
import { SnapshotParser, type EdgeArrays, type SnapshotHeader } from './parser.js';
import { workerLost, type LifeWords } from './worker-life.js';

/** Files smaller than this are parsed on one thread (a worker costs tens of milliseconds to start). */
export const PARALLEL_MIN_BYTES = 48 * 1024 * 1024;

const BLOCK = 4 * 1024 * 1024;
/** A worker that reads no block for this long is given up. */
const STALL_MS = 60_000;
const KEY = Buffer.from('"edges"');

/** Where the parse of the edges starts: a known offset, or a search from an offset. */
export type EdgesAt = { start: number } | { searchFrom: number };

/** The edges a worker read, with the offset where it found the array. */
export interface EdgesFound {
  start: number;
  edges: EdgeArrays;
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Finds the `"edges": [` key of the top-level object at or after `from`, and
 * returns the offset of the byte after its `[`. Only the `nodes` array (digits,
 * commas) lies between the header and the edges in a V8 snapshot; the caller
 * checks the offset against the one its own parser saw.
 */
function findEdges(fd: number, path: string, from: number, block: Buffer): number {
  let pos = from;
  for (;;) {
    const n = readSync(fd, block, 0, block.length, pos);
    if (n < KEY.length) throw new SnapshotError(path, 'not a complete heap snapshot: the "edges" array is missing');
    const view = block.subarray(0, n);
    let k = view.indexOf(KEY);
    while (k >= 0) {
      // `"edges"`, white space, `:`, white space, `[`: within the next bytes.
      let j = k + KEY.length;
      while (j < n && isWs(view[j]!)) j++;
      if (j < n && view[j] === 58) {
        j++;
        while (j < n && isWs(view[j]!)) j++;
        if (j < n && view[j] === 91) return pos + j + 1;
      }
      if (j >= n && k > 0) break; // cut by the block's end: read again from the key
      k = view.indexOf(KEY, k + 1);
    }
    pos += k >= 0 ? k : n - KEY.length + 1;
  }
}

/** Parses the `edges` array of the snapshot file `path` (on the calling thread). */
export function readEdgesFromFile(
  path: string,
  header: SnapshotHeader,
  at: EdgesAt,
  onBlock?: () => void,
  onStart?: (start: number) => void,
): EdgesFound {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new SnapshotError(path, `cannot read: ${(e as Error).message}`);
  }
  try {
    const block = mappedBuffer(BLOCK);
    const start = 'start' in at ? at.start : findEdges(fd, path, at.searchFrom, block);
    onStart?.(start);
    const parser = SnapshotParser.forEdges(header, { source: path, offset: start });
    let pos = start;
    while (!parser.edgesComplete) {
      const n = readSync(fd, block, 0, block.length, pos);
      if (n === 0) break;
      parser.write(block.subarray(0, n));
      pos += n;
      onBlock?.();
    }
    return { start, edges: parser.edgesResult() };
  } finally {
    closeSync(fd);
  }
}

/** What the edges worker posts; `start` is -1 when it found no edges array. */
export type EdgesAnswer =
  | { ok: true; found: EdgesFound }
  | { ok: false; start: number; source: string; message: string; snapshotError: boolean; offset?: number | undefined };

/** The outcome of a worker: the edges it parsed from `start`, or the error it met there. */
export type EdgesOutcome = { start: number; edges: EdgeArrays } | { start: number; error: Error };

export interface EdgesWorkerData {
  path: string;
  header: SnapshotHeader;
  searchFrom: number;
  port: MessagePort;
  /** Int32 words: [0] 1 once answered; [1] blocks read; [2] and [3] the worker's start and end ({@link EDGES_LIFE}). */
  done: SharedArrayBuffer;
}

/** The words of `done` the worker sets as it starts and ends (see ./worker-life.ts). */
export const EDGES_LIFE: LifeWords = { started: 2, gone: 3 };

/** A worker parsing the edges of one file. */
export class EdgesJob {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly done: Int32Array;
  private readonly created = Date.now();
  private exited = false;

  private constructor(worker: Worker, port: MessagePort, done: Int32Array) {
    this.worker = worker;
    this.port = port;
    this.done = done;
    worker.once('exit', () => (this.exited = true));
  }

  /** Starts a worker on `path`, or returns null when it cannot start (the caller parses the edges itself). */
  static start(path: string, header: SnapshotHeader, searchFrom: number): EdgesJob | null {
    const url = new URL('./edges-worker.js', import.meta.url);
    if (!existsSync(fileURLToPath(url))) return null;
    try {
      const done = new SharedArrayBuffer(16);
      const { port1, port2 } = new MessageChannel();
      const data: EdgesWorkerData = { path, header, searchFrom, port: port2, done };
      const worker = new Worker(url, { workerData: data, transferList: [port2], execArgv: [], stdout: false, stderr: false });
      worker.on('error', () => {}); // learnt from the missing answer
      worker.unref();
      port1.unref();
      return new EdgesJob(worker, port1, new Int32Array(done));
    } catch {
      return null;
    }
  }

  /** Blocks until the worker has answered; null when it died without a word. */
  joinSync(): EdgesOutcome | null {
    let stalledSince = Date.now();
    for (;;) {
      const got = receiveMessageOnPort(this.port);
      if (got !== undefined) return this.finish(got.message as EdgesAnswer);
      if (Atomics.load(this.done, 0) === 1 || workerLost(this.done, EDGES_LIFE, this.created)) {
        // Answered, ended, or never started: its answer, if any, is on the port.
        const late = receiveMessageOnPort(this.port);
        return late === undefined ? this.abandon() : this.finish(late.message as EdgesAnswer);
      }
      // The worker sets word 0 after posting and counts the blocks it reads in
      // word 1; one that hangs is given up when the count stands still.
      const blocks = Atomics.load(this.done, 1);
      if (Atomics.wait(this.done, 0, 0, 1000) === 'timed-out') {
        if (Atomics.load(this.done, 1) !== blocks) stalledSince = Date.now();
        else if (Date.now() - stalledSince > STALL_MS) return this.abandon();
      }
    }
  }

  /** Waits (without blocking the event loop) until the worker has answered; null when it died. */
  async join(): Promise<EdgesOutcome | null> {
    const answer = await new Promise<EdgesAnswer | null>((resolve) => {
      const posted = receiveMessageOnPort(this.port);
      if (posted !== undefined) return resolve(posted.message as EdgesAnswer);
      // An exit before this point was recorded; one after it is heard here.
      // Either way its answer, if any, is read from the port first.
      const gone = (): void => {
        setImmediate(() => resolve((receiveMessageOnPort(this.port)?.message as EdgesAnswer | undefined) ?? null));
      };
      if (this.exited) return gone();
      this.port.once('message', (m: EdgesAnswer) => resolve(m));
      this.worker.once('exit', gone);
      // The worker itself keeps the event loop alive until it exits: its port alone would
      // not, once a worker that died has closed the other end.
      this.worker.ref();
      this.port.ref();
    });
    return answer === null ? this.abandon() : this.finish(answer);
  }

  /** Stops the worker (when the main parse failed first). */
  cancel(): void {
    this.port.close();
    void this.worker.terminate();
  }

  private finish(answer: EdgesAnswer): EdgesOutcome {
    this.cancel();
    if (answer.ok) return answer.found;
    let error: Error;
    if (answer.snapshotError) {
      error = new SnapshotError(answer.source, '', answer.offset);
      error.message = answer.message;
    } else error = new Error(answer.message);
    return { start: answer.start, error };
  }

  private abandon(): null {
    this.cancel();
    return null;
  }
}

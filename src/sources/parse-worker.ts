/**
 * The parse worker: parses the snapshot of the main thread's isolate while
 * V8 is still writing it. See ./parse-client.ts for why and
 * ./parse-protocol.ts for the shared memory it reads the chunks from.
 *
 * It runs one parse at a time, forever, and posts each result on its port
 * with the buffers transferred (no copy).
 */
import { workerData } from 'node:worker_threads';
import { SnapshotParser, type SnapshotData } from '../snapshot/parser.js';
import { SnapshotError } from '../snapshot/errors.js';
import type { StringPoolParts } from '../snapshot/strings.js';
import { writeText } from './write.js';
import { announceStart } from '../snapshot/worker-life.js';
import {
  ENDED,
  HEAD,
  LENGTHS,
  PROGRESS,
  SLOT_BYTES,
  SLOTS,
  STATE,
  State,
  TAIL,
  TO_CLIENT,
  TO_WORKER,
  PARSE_LIFE,
  type ParseAnswer,
  type ParseWorkerData,
} from './parse-protocol.js';

const { control, ring, port } = workerData as ParseWorkerData;
const ctrl = new Int32Array(control);
announceStart(ctrl, PARSE_LIFE, [TO_CLIENT]);
const bytes = new Uint8Array(ring);

function tellClient(): void {
  Atomics.add(ctrl, TO_CLIENT, 1);
  Atomics.notify(ctrl, TO_CLIENT);
}

function reportProgress(p: { done: number }): void {
  writeText(2, `objgraph: parse ${(p.done / 1048576).toFixed(0)} MB\n`);
}

/** Parses the chunks of one snapshot as the client writes them. */
function parseOne(): SnapshotData {
  const parser = new SnapshotParser({
    source: '<heap snapshot of this isolate>',
    onProgress: Atomics.load(ctrl, PROGRESS) === 1 ? reportProgress : undefined,
  });
  let tail = Atomics.load(ctrl, TAIL);
  for (;;) {
    const seen = Atomics.load(ctrl, TO_WORKER);
    // ENDED before HEAD: the client stores its last HEAD before ENDED, so
    // once ENDED is seen, the HEAD read after it counts every slot.
    const ended = Atomics.load(ctrl, ENDED) === 1;
    const head = Atomics.load(ctrl, HEAD);
    if (tail !== head) {
      const slot = tail % SLOTS;
      const start = slot * SLOT_BYTES;
      parser.write(bytes.subarray(start, start + Atomics.load(ctrl, LENGTHS + slot)));
      tail = (tail + 1) | 0;
      Atomics.store(ctrl, TAIL, tail);
      tellClient();
      continue;
    }
    if (ended) return parser.end();
    Atomics.wait(ctrl, TO_WORKER, seen);
  }
}

/**
 * `data` with each typed array that is a view into a larger buffer of its own
 * (the location rows are a view of an array sized by an upper bound) replaced
 * by a trimmed copy: posted as it is, a view takes its whole buffer along.
 */
function trimmed(data: SnapshotData): SnapshotData {
  const out: Record<string, unknown> = { ...data };
  for (const [key, v] of Object.entries(data)) {
    if (ArrayBuffer.isView(v)) out[key] = trim(v);
  }
  out.locations = { rows: trim(data.locations.rows), places: trim(data.locations.places) };
  return out as unknown as SnapshotData;
}

function trim<T extends ArrayBufferView>(v: T): T {
  // (Not a Buffer, whose `slice` is a view.)
  const partial = !Buffer.isBuffer(v) && v.buffer instanceof ArrayBuffer && v.byteLength !== v.buffer.byteLength;
  return partial ? ((v as unknown as Uint8Array).slice() as unknown as T) : v;
}

/** Every buffer of `data` that is wholly its own, for the transfer list (views into a shared pool are copied). */
function buffersOf(data: SnapshotData, parts: StringPoolParts): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView | undefined): void => {
    if (a !== undefined && a.buffer instanceof ArrayBuffer && a.byteLength === a.buffer.byteLength) out.add(a.buffer);
  };
  for (const v of Object.values(data)) if (ArrayBuffer.isView(v)) add(v);
  for (const v of Object.values(data.edgeNames)) add(v);
  for (const v of Object.values(data.nodeName)) add(v);
  add(data.locations.rows);
  add(data.locations.places);
  add(parts.starts);
  add(parts.lengths);
  for (const b of parts.blocks) add(b);
  return [...out];
}

Atomics.store(ctrl, STATE, State.Idle);
tellClient();
for (;;) {
  for (;;) {
    const state = Atomics.load(ctrl, STATE);
    if (state === State.Requested) break;
    Atomics.wait(ctrl, STATE, state);
  }
  Atomics.store(ctrl, STATE, State.Parsing);
  let answer: ParseAnswer;
  let transfer: ArrayBuffer[] = [];
  try {
    const data = trimmed(parseOne());
    const strings = data.strings.parts();
    transfer = buffersOf(data, strings);
    answer = { ok: true, data: { ...data, strings: undefined as never }, strings };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    answer = {
      ok: false,
      source: err instanceof SnapshotError ? err.source : '',
      name: err.name,
      message: err.message,
      offset: err instanceof SnapshotError ? err.offset : undefined,
    };
  }
  port.postMessage(answer, transfer);
  Atomics.store(ctrl, STATE, State.Done);
  tellClient();
}

/**
 * What the parse worker (./parse-worker.ts) and its client
 * (./parse-client.ts) share: the layout of the control words and of the
 * ring of byte slots through which snapshot chunks reach the worker.
 *
 * Control words (an Int32Array over a SharedArrayBuffer):
 * - `HEAD`: slots written by the client (a counter; slot = counter % SLOTS);
 * - `TAIL`: slots parsed by the worker;
 * - `ENDED`: 1 once the client has written the last chunk;
 * - `STATE`: see the `State` values;
 * - `PROGRESS`: 1 when the worker should report parse progress to stderr;
 * - `TO_WORKER` / `TO_CLIENT`: counters bumped (and notified) on every event,
 *   so that a waiter never misses one: it reads the counter, checks its
 *   condition, then waits for the counter to change;
 * - {@link PARSE_LIFE}: the worker's start and end (see ../snapshot/worker-life.ts);
 * - `LENGTHS + k`: the number of bytes in slot k.
 */
import type { LifeWords } from '../snapshot/worker-life.js';

export const SLOTS = 64;
export const SLOT_BYTES = 256 * 1024;

export const HEAD = 0;
export const TAIL = 1;
export const ENDED = 2;
export const STATE = 3;
export const PROGRESS = 4;
export const TO_WORKER = 5;
export const TO_CLIENT = 6;
export const PARSE_LIFE: LifeWords = { started: 7, gone: 8 };
export const LENGTHS = 9;
export const CONTROL_WORDS = LENGTHS + SLOTS;

/** Values of the `STATE` word. */
export const enum State {
  /** The worker is starting. */
  Booting = 0,
  /** The worker waits for a parse. */
  Idle = 1,
  /** The client asked for a parse. */
  Requested = 2,
  /** The worker is parsing. */
  Parsing = 3,
  /** The worker has posted the result (or the error) on its port. */
  Done = 4,
}

export interface ParseWorkerData {
  control: SharedArrayBuffer;
  ring: SharedArrayBuffer;
  port: import('node:worker_threads').MessagePort;
}

/** The worker's answer to one parse. */
export type ParseAnswer =
  | { ok: true; data: import('../snapshot/parser.js').SnapshotData & { strings: never }; strings: import('../snapshot/strings.js').StringPoolParts }
  | { ok: false; source: string; name: string; message: string; offset?: number | undefined };

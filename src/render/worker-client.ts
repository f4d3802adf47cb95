/**
 * Synchronous calls into the render worker.
 *
 * Graphviz-in-WebAssembly and the rasteriser load asynchronously, but the
 * live API is synchronous like objgraph. So the work runs in a
 * worker_thread and the caller blocks: it posts a request, then sleeps in
 * `Atomics.wait` on a SharedArrayBuffer that the worker sets and notifies
 * once it has posted the response on a MessagePort, which the caller reads
 * with `receiveMessageOnPort` (no event loop turn needed).
 *
 * The worker is started on first use and kept (unref'd: it never keeps the
 * process alive) so later renders skip loading WebAssembly. Its memory is
 * its own isolate's; the main isolate holds only the Worker handle, a port
 * and 4 bytes of shared memory. `disposeRenderer()` ends it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { RENDER_LIFE, type RenderRequest, type RenderResponse } from './worker-protocol.js';
import { START_MS, workerLost } from '../snapshot/worker-life.js';

/** Default time a synchronous render may take before it is abandoned. */
export const DEFAULT_TIMEOUT_MS = 120_000;

interface WorkerState {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  dead: boolean;
  error: Error | null;
  /** When it was started (`Date.now()`). */
  created: number;
}

let state: WorkerState | null = null;
let nextId = 1;

function workerUrl(): URL {
  return new URL('./worker.js', import.meta.url);
}

function start(): WorkerState {
  const url = workerUrl();
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(`objgraph render worker not found at ${fileURLToPath(url)} (is the package built?)`);
  }
  const signal = new SharedArrayBuffer(12);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(url, {
    workerData: { port: port2, signal },
    transferList: [port2],
    // The caller's flags (--inspect, --expose-gc, --heapsnapshot-…) are for the caller.
    execArgv: [],
    stdout: false,
    stderr: false,
  });
  const st: WorkerState = { worker, port: port1, flag: new Int32Array(signal), dead: false, error: null, created: Date.now() };
  worker.on('error', (err) => {
    st.dead = true;
    st.error = err instanceof Error ? err : new Error(String(err));
  });
  worker.on('exit', () => {
    st.dead = true;
    if (state === st) state = null;
  });
  worker.unref();
  port1.unref();
  return st;
}

/** Ends the render worker (it is started again on the next render). */
export function disposeRenderer(): void {
  const st = state;
  state = null;
  if (st) {
    st.dead = true;
    st.port.close();
    void st.worker.terminate();
  }
}

/**
 * Starts the render worker now and waits until Graphviz and the rasteriser
 * are loaded, so that the first render is fast and so that the few objects
 * the worker handle adds to the main isolate (a Worker, a MessagePort)
 * exist before a baseline is taken (e.g. by a growth tracker).
 */
export function warmUpRenderer(timeoutMs: number = DEFAULT_TIMEOUT_MS): void {
  callRenderer({ op: 'warm' }, timeoutMs);
}

/** True while a render worker is running (for tests and diagnostics). */
export function rendererRunning(): boolean {
  return state !== null && !state.dead;
}

/** Distributes Omit over the request union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * Sends one request to the render worker and blocks until the answer
 * arrives. Throws the worker's error, or a timeout error after `timeoutMs`.
 */
export function callRenderer(request: WithoutId<RenderRequest>, timeoutMs: number = DEFAULT_TIMEOUT_MS): RenderResponse & { ok: true } {
  if (state && state.dead) {
    // It died between calls (its error had no caller to go to): start afresh.
    disposeRenderer();
  }
  if (!state) state = start();
  const st = state;
  const id = nextId++;
  Atomics.store(st.flag, 0, 0);
  st.worker.postMessage({ ...request, id } as RenderRequest);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = receiveMessageOnPort(st.port);
    if (got) {
      const res = got.message as RenderResponse;
      if (res.id !== id) continue; // a late answer to an abandoned request
      if (!res.ok) throw new Error(res.error);
      return res;
    }
    if (workerLost(st.flag, RENDER_LIFE, st.created)) {
      // Blocked here, this thread cannot hear the worker's exit: the worker says it itself.
      disposeRenderer();
      const started = Atomics.load(st.flag, RENDER_LIFE.started) === 1;
      throw new Error(
        started
          ? 'objgraph render worker stopped before it answered'
          : `objgraph render worker did not start within ${START_MS / 1000} s (is something stopping worker threads, such as a --require preload in NODE_OPTIONS?)`,
      );
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      disposeRenderer();
      const why = st.error ? ` (${st.error.message})` : '';
      throw new Error(`objgraph render worker did not answer within ${timeoutMs} ms${why}; it was stopped`);
    }
    // Slices of at most a second, so a worker that died without a word is
    // noticed by the deadline and a missed notify costs one slice.
    Atomics.wait(st.flag, 0, 0, Math.min(left, 1000));
    Atomics.store(st.flag, 0, 0);
  }
}

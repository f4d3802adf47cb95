/**
 * The current isolate seen through an in-process `node:inspector` session,
 * driven synchronously, and its heap snapshots.
 *
 * Facts this module relies on (checked on Node 20, main thread and worker
 * threads alike; see test/live-inspector.test.ts):
 * - `v8.getHeapSnapshot()` builds the snapshot (after a full garbage
 *   collection) when called, and its stream serialises the whole snapshot
 *   during its first read, handing each chunk to the stream's `push()`; so
 *   the chunks are read synchronously, after the graph is built, and never
 *   appear in the snapshot they belong to;
 * - `session.post()` on an in-process session dispatches the command
 *   synchronously and calls its callback before `post` returns
 *   (`HeapProfiler.takeHeapSnapshot`, the fallback when the stream does not
 *   deliver synchronously, delivers its chunks during that same call).
 *
 * Console messages. While any session is connected, V8 keeps the arguments
 * of console calls for replay; every snapshot first discards them
 * (`Runtime.discardConsoleEntries`), so objects the program only logged are
 * not kept alive by the tool. The session is never disconnected: any session
 * disconnecting makes V8 forget every snapshot id it handed out.
 *
 * Observer effect. Everything this module keeps between calls hangs off one
 * object, {@link ToolRoot}; the session, the parse worker and the options
 * object of the fallback command are reachable from it. Their snapshot ids
 * are known ({@link LiveInspector.toolIds}), so the objects reachable only
 * through them can be excluded from results (see `./exclude.ts`). Per call,
 * `v8.getHeapSnapshot()` allocates its options `Uint8Array`, which a native
 * handle scope holds while V8 builds the graph (the fallback: Node's
 * `Session.post` allocates a message object pointing at our options object,
 * and its JSON text); `./exclude.ts` recognises them. Nothing here ever logs
 * to the console: with a session connected, V8 keeps console arguments alive
 * for replay.
 */
import { Session } from 'node:inspector';
import { getHeapSnapshot } from 'node:v8';
import { Readable } from 'node:stream';
import { ParseWorker } from './parse-client.js';

/** Thrown when the inspector refuses a command (message from V8). */
export class InspectorError extends Error {
  constructor(method: string, message: string) {
    super(`${method}: ${message}`);
    this.name = 'InspectorError';
  }
}

/** Receives snapshot chunks as V8 produces them. */
export type ChunkSink = (chunk: string | Uint8Array) => void;

interface RemoteObject {
  type: string;
  subtype?: string;
  objectId?: string;
  value?: unknown;
  unserializableValue?: string;
}

/** Everything the tool keeps alive between calls; one object so its id is known. */
interface ToolRoot {
  session: Session;
  /** Options object of every takeHeapSnapshot command; never reallocated. */
  snapshotParams: { reportProgress: boolean };
  /** The params object of collectGarbage / other parameterless commands. */
  emptyParams: Record<string, never>;
  /** Slot through which objects pass between JavaScript and the inspector. */
  slot: unknown;
  /** Result of the last command (written by the shared callback). */
  error: Error | null;
  result: unknown;
  answered: boolean;
  /** Receiver of snapshot chunks while a snapshot is being taken. */
  sink: ChunkSink | null;
  /** The thread that parses snapshots while V8 writes them, if it could start. */
  parseWorker: ParseWorker | null;
  /** Set when V8's snapshot stream has delivered its last chunk. */
  ended: boolean;
  /** Set when V8's snapshot stream has delivered a chunk. */
  delivered: boolean;
  /** What the sink threw while the stream was being read. */
  failure: Error | null;
  /** Stands in for `push` on V8's snapshot stream (made once). */
  push: (chunk: Uint8Array | null) => boolean;
  /** Remote object id of this ToolRoot, in a long-lived object group. */
  selfObjectId: string;
  /** Snapshot ids of the tool's own roots, once known. */
  ids: number[];
  /** Tracker states and other long-lived data registered by the faces. */
  states: unknown[];
  /** Results handed to the user whose snapshot ids are not known yet. */
  pendingResults: Array<WeakRef<object>>;
  /** Snapshot ids of results handed to the user (pruned when they are gone). */
  resultIds: number[];
  /** The one callback of every command, made once. */
  answer: (error: Error | null, result?: unknown) => void;
}

const PERSISTENT_GROUP = 'objgraph-js:persistent';
const TEMP_GROUP = 'objgraph-js:temp';
const GLOBAL_KEY = Symbol.for('objgraph-js.toolRoot');
const GET_SLOT = 'function () { return this.slot; }';
const SET_SLOT = 'function (value) { this.slot = value; }';

/** Synchronous facade over an in-process inspector session on the current isolate. */
export class LiveInspector {
  private readonly root: ToolRoot;

  constructor() {
    const session = new Session();
    session.connect();
    const root: ToolRoot = {
      session,
      snapshotParams: Object.freeze({ reportProgress: false }) as { reportProgress: boolean },
      emptyParams: Object.freeze({}) as Record<string, never>,
      slot: undefined,
      error: null,
      result: undefined,
      answered: false,
      sink: null,
      parseWorker: null,
      ended: false,
      delivered: false,
      failure: null,
      push: (chunk: Uint8Array | null): boolean => {
        if (chunk === null) root.ended = true;
        else if (root.sink !== null && root.failure === null) {
          root.delivered = true;
          // A throw here would be caught by the stream (and come back as an
          // 'error' event on a later tick) while V8 goes on writing: keep it
          // for readV8Snapshot() and let the remaining chunks pass unread.
          try {
            root.sink(chunk);
          } catch (e) {
            root.failure = e instanceof Error ? e : new Error(String(e));
          }
        }
        return true;
      },
      selfObjectId: '',
      ids: [],
      states: [],
      pendingResults: [],
      resultIds: [],
      answer: (error: Error | null, result?: unknown): void => {
        root.error = error;
        root.result = result;
        root.answered = true;
      },
    };
    this.root = root;
    // One listener for the life of the session: no closure is made per snapshot.
    session.on('HeapProfiler.addHeapSnapshotChunk', (message: { params: { chunk: string } }) => {
      const sink = root.sink;
      if (sink !== null) sink(message.params.chunk);
    });
    this.post('HeapProfiler.enable');
    // Node's stream module sets up its debug logger on first use; reading
    // the snapshot stream must not be that first use (the logger's state
    // would be new in the next snapshot).
    const warm = new Readable({ read(): void {} });
    warm.push(null);
    warm.read(0);
    // Started now, before any snapshot: its handle objects are old in every snapshot.
    root.parseWorker = ParseWorker.start();
    // Get a remote handle on the root once, through a global slot removed at once.
    const g = globalThis as unknown as Record<symbol, unknown>;
    g[GLOBAL_KEY] = root;
    let remote: RemoteObject;
    try {
      remote = (this.post('Runtime.evaluate', {
        expression: `globalThis[Symbol.for(${JSON.stringify(GLOBAL_KEY.description)})]`,
        objectGroup: PERSISTENT_GROUP,
        silent: true,
        includeCommandLineAPI: false,
      }) as { result: RemoteObject }).result;
    } finally {
      delete g[GLOBAL_KEY];
    }
    if (remote.objectId === undefined) throw new InspectorError('Runtime.evaluate', 'no handle on the tool root');
    root.selfObjectId = remote.objectId;
  }

  /** Sends one command and returns its result; throws InspectorError on failure. */
  post(method: string, params?: object): unknown {
    const root = this.root;
    root.answered = false;
    root.error = null;
    root.result = undefined;
    root.session.post(method, params ?? root.emptyParams, root.answer);
    if (!root.answered) {
      throw new InspectorError(method, 'the inspector did not answer synchronously');
    }
    const error = root.error as Error | null;
    const result = root.result;
    root.error = null;
    root.result = undefined;
    if (error !== null) throw new InspectorError(method, error.message);
    return result;
  }

  /**
   * Takes a heap snapshot, handing each chunk to `sink` as it arrives.
   * A full GC precedes the snapshot (V8 does it; `gc: true` asks for one more).
   *
   * The snapshot is read from `v8.getHeapSnapshot()`, synchronously: V8
   * serialises the whole snapshot into the stream during the stream's first
   * read, and the chunks reach `sink` as bytes, without the inspector
   * protocol's JSON round trip of each chunk (which costs a fifth more than
   * V8's own work). If a Node version ever delivers them later, the
   * inspector's `HeapProfiler.takeHeapSnapshot` is used instead.
   */
  takeSnapshot(sink: ChunkSink, gc = false): 'stream' | 'inspector' {
    const root = this.root;
    if (root.sink !== null) throw new Error('objgraph: a heap snapshot is already being taken');
    // While a session is connected, V8 keeps the arguments of every console
    // call for replay (up to 1000 messages): objects the program logged since
    // the last snapshot would stay alive because of us. Let them go first.
    this.post('Runtime.discardConsoleEntries');
    if (gc) this.post('HeapProfiler.collectGarbage');
    root.sink = sink;
    let via: 'stream' | 'inspector' = 'stream';
    try {
      if (!this.readV8Snapshot()) {
        via = 'inspector';
        this.post('HeapProfiler.takeHeapSnapshot', root.snapshotParams);
      }
    } finally {
      root.sink = null;
    }
    // V8 hands out ids only for objects a snapshot has seen: ours are known now.
    if (root.ids.length === 0) {
      root.ids = [this.knownId(root), this.knownId(root.session), this.knownId(root.snapshotParams)];
    }
    return via;
  }

  /**
   * Reads `v8.getHeapSnapshot()` to its end into the sink, synchronously.
   * False (and nothing delivered) when the stream did not produce its data
   * during its first read.
   */
  private readV8Snapshot(): boolean {
    const root = this.root;
    root.ended = false;
    // V8 builds the graph here; the stream object is made after it.
    const stream = getHeapSnapshot();
    // The stream hands each chunk to push(); ours passes it on at once
    // instead of queueing it (so the whole snapshot is never held at once).
    (stream as unknown as { push: unknown }).push = root.push;
    root.delivered = false;
    root.failure = null;
    stream.read(0);
    const failure = root.failure as Error | null;
    root.failure = null;
    if (failure !== null) throw failure;
    if (root.ended) return true;
    stream.destroy();
    if (root.delivered) throw new Error('objgraph: V8 delivered part of the heap snapshot asynchronously');
    return false;
  }

  /**
   * Snapshot ids of the tool's own roots (the root object, the session, the
   * snapshot options); empty until the first snapshot.
   */
  get toolIds(): readonly number[] {
    return this.root.ids;
  }

  /** The snapshot options object passed with every takeHeapSnapshot command. */
  get snapshotParams(): object {
    return this.root.snapshotParams;
  }

  /** Registers long-lived tool data so that it is reachable only through the tool root. */
  register(state: unknown): number {
    this.root.states.push(state);
    return this.root.states.length - 1;
  }

  /**
   * Marks an object the tool hands to the user (a result table, a Set of ids)
   * as the tool's own: later snapshots leave it, and what only it reaches,
   * out of every result, even while the user holds it. Held weakly.
   */
  rememberResult(value: object): void {
    this.root.pendingResults.push(new WeakRef(value));
  }

  /**
   * Snapshot ids of the results remembered so far. Call right after a
   * snapshot: results younger than it get their ids now.
   */
  resultIds(): number[] {
    const root = this.root;
    if (root.pendingResults.length > 0) {
      const pending = root.pendingResults;
      root.pendingResults = [];
      for (const ref of pending) {
        const value = ref.deref();
        if (value === undefined) continue;
        const id = this.knownId(value);
        if (id !== 0) root.resultIds.push(id);
        else root.pendingResults.push(ref);
      }
    }
    return root.resultIds;
  }

  /** Adds snapshot ids to the remembered results (objects made for the tool: options objects of calls). */
  rememberIds(ids: readonly number[]): void {
    const known = this.root.resultIds;
    for (const id of ids) if (!known.includes(id)) known.push(id);
  }

  /** Forgets the result ids for which `alive(id)` is false (their objects are gone). */
  pruneResultIds(alive: (id: number) => boolean): void {
    this.root.resultIds = this.root.resultIds.filter(alive);
  }

  /** Drops long-lived tool data registered earlier. */
  unregister(index: number): void {
    this.root.states[index] = undefined;
  }

  /** Long-lived tool data registered earlier. */
  registered(index: number): unknown {
    return this.root.states[index];
  }

  /**
   * The snapshot id of a live object or function (V8's HeapObjectsMap id: the
   * same id its node has in every snapshot of this isolate, never reused).
   */
  id(value: object): number {
    let id = this.knownId(value);
    if (id === 0) {
      // V8 only knows ids of objects some snapshot has seen (getHeapObjectId
      // answers 0 for younger ones): take one. Building it numbers every
      // object; the stream is never read, so V8 never serialises it. Nothing
      // holds the stream: V8's snapshot is freed when a garbage collection
      // collects it (at the latest, the one the next snapshot starts with).
      if (this.root.sink !== null) throw new Error('objgraph: a heap snapshot is already being taken');
      getHeapSnapshot();
      id = this.knownId(value);
    }
    return id;
  }

  /**
   * An inspector handle (in the temporary object group) on `value`, passed
   * through the tool root's slot. The caller clears the slot and releases the group.
   */
  private handleOf(value: object): RemoteObject {
    const root = this.root;
    root.slot = value;
    return (this.post('Runtime.callFunctionOn', {
      objectId: root.selfObjectId,
      functionDeclaration: GET_SLOT,
      objectGroup: TEMP_GROUP,
      silent: true,
    }) as { result: RemoteObject }).result;
  }

  /** The snapshot id of `value` if a snapshot has already seen it, else 0. Cheap. */
  knownId(value: object): number {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
      throw new TypeError('objgraph: id() needs an object or a function');
    }
    const root = this.root;
    try {
      const remote = this.handleOf(value);
      if (remote.objectId === undefined) throw new InspectorError('Runtime.callFunctionOn', 'no handle on the object');
      return this.heapObjectIdOfRemote(remote.objectId);
    } finally {
      root.slot = undefined;
      this.post('Runtime.releaseObjectGroup', { objectGroup: TEMP_GROUP });
    }
  }

  /**
   * The live value whose snapshot id is `id`, or undefined when no live heap
   * object has it (it was collected, or it is a V8 internal the inspector
   * does not hand out). Costs one heap walk in V8.
   */
  at(id: number): unknown {
    const root = this.root;
    try {
      let remote: RemoteObject;
      try {
        remote = (this.post('HeapProfiler.getObjectByHeapObjectId', {
          objectId: String(id),
          objectGroup: TEMP_GROUP,
        }) as { result: RemoteObject }).result;
      } catch (e) {
        if (e instanceof InspectorError) return undefined;
        throw e;
      }
      if (remote.objectId === undefined) {
        // Primitives come back by value.
        if (remote.unserializableValue !== undefined) return undefined;
        return remote.value;
      }
      this.post('Runtime.callFunctionOn', {
        objectId: root.selfObjectId,
        functionDeclaration: SET_SLOT,
        arguments: [{ objectId: remote.objectId }],
        silent: true,
      });
      const value = root.slot;
      return value;
    } finally {
      root.slot = undefined;
      this.post('Runtime.releaseObjectGroup', { objectGroup: TEMP_GROUP });
    }
  }

  /**
   * Every live object with `proto` on its prototype chain (V8's
   * `queryObjects`: one heap walk, whatever the number of objects), or an
   * empty array when the inspector refuses.
   */
  instancesOf(proto: object): unknown[] {
    const root = this.root;
    try {
      const remote = this.handleOf(proto);
      root.slot = undefined;
      if (remote.objectId === undefined) return [];
      let found: RemoteObject;
      try {
        found = (this.post('Runtime.queryObjects', { prototypeObjectId: remote.objectId, objectGroup: TEMP_GROUP }) as { objects: RemoteObject }).objects;
      } catch (e) {
        if (e instanceof InspectorError) return [];
        throw e;
      }
      if (found.objectId === undefined) return [];
      this.post('Runtime.callFunctionOn', {
        objectId: root.selfObjectId,
        functionDeclaration: SET_SLOT,
        arguments: [{ objectId: found.objectId }],
        silent: true,
      });
      const value = root.slot;
      return Array.isArray(value) ? value : [];
    } finally {
      root.slot = undefined;
      this.post('Runtime.releaseObjectGroup', { objectGroup: TEMP_GROUP });
    }
  }

  /** The worker that parses snapshots while V8 writes them, or null (parse on this thread). */
  get parseWorker(): ParseWorker | null {
    const w = this.root.parseWorker;
    return w !== null && w.usable ? w : null;
  }

  /** Disconnects the session and stops the parse worker (the instance is unusable afterwards). */
  dispose(): void {
    this.root.parseWorker?.dispose();
    this.root.parseWorker = null;
    try {
      this.post('Runtime.releaseObjectGroup', { objectGroup: PERSISTENT_GROUP });
    } finally {
      this.root.session.disconnect();
      if (shared === this) shared = null;
    }
  }

  private heapObjectIdOfRemote(objectId: string): number {
    const r = this.post('HeapProfiler.getHeapObjectId', { objectId }) as { heapSnapshotObjectId: string };
    return Number(r.heapSnapshotObjectId);
  }
}

let shared: LiveInspector | null = null;

/** The inspector of the current isolate, created on first use. */
export function liveInspector(): LiveInspector {
  if (shared === null) shared = new LiveInspector();
  return shared;
}

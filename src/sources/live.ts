/**
 * Heap snapshots of the current isolate, parsed as V8 writes them (by the
 * parse worker, ./parse-client.ts, or on this thread), with every node marked
 * as the program's, V8's or the tool's (see ./exclude.ts).
 */
import { SnapshotParser } from '../snapshot/parser.js';
import { snapshotFromData } from '../snapshot/load.js';
import type { HeapSnapshot } from '../snapshot/model.js';
import { liveInspector, type LiveInspector } from './inspector.js';
import { toolOwnedNodes, TOOL, VISIBLE } from './exclude.js';
import { writeText } from './write.js';
import type { ChunkParser, ParseWorker } from './parse-client.js';

export interface LiveSnapshot {
  snapshot: HeapSnapshot;
  /**
   * Per node ordinal: `VISIBLE` (0) for what the program holds, `TOOL` (1) for
   * the tool's own nodes, `V8_HELD` (3) for what only V8 holds (see ./exclude.ts).
   */
  toolOwned: Uint8Array;
  /** How many nodes are the tool's. */
  toolOwnedCount: number;
}

// Parser of the snapshot being taken. Created on the first chunk, i.e. after
// V8 has built the graph, so that it never appears in its own snapshot.
const pending: { parser: ChunkParser | null; progress: boolean; started: number; worker: ParseWorker | null } = {
  parser: null,
  progress: false,
  started: 0,
  worker: null,
};

function onChunk(chunk: string | Uint8Array): void {
  let parser = pending.parser;
  if (parser === null) {
    if (pending.progress) reportGraphBuilt();
    parser =
      pending.worker?.begin(pending.progress) ??
      new SnapshotParser({
        source: '<heap snapshot of this isolate>',
        onProgress: pending.progress ? reportProgress : undefined,
      });
    pending.parser = parser;
  }
  parser.write(chunk);
}

function reportGraphBuilt(): void {
  const ms = Date.now() - pending.started;
  writeText(2, `objgraph: V8 built the heap snapshot in ${ms} ms; reading it\n`);
}

function reportProgress(p: { phase: string; done: number; total: number | undefined }): void {
  writeText(2, `objgraph: ${p.phase} ${(p.done / 1048576).toFixed(0)} MB\n`);
}

/**
 * Takes and parses a heap snapshot of the current isolate. Synchronous.
 * Costs what V8's own snapshot costs (a full GC, then time and memory
 * proportional to the heap) plus parsing; `progress` reports both to stderr.
 *
 * `exclude` and `alsoExclude` are objects of the API call in flight (its
 * options object): they and what only they reach are the tool's. They are
 * separate fields, not an array, so that nothing is allocated before the
 * snapshot (anything allocated then is on the stack while V8 builds it).
 * Own data properties of `exclude` whose values are objects younger than
 * the snapshot id `newerThan` (made for this call) are the tool's as well.
 * Results the tool handed out earlier ({@link LiveInspector.rememberResult})
 * are the tool's too.
 */
export function takeLiveSnapshot(
  exclude?: object,
  alsoExclude?: object,
  progress = false,
  gc = false,
  inspector: LiveInspector = liveInspector(),
  newerThan = Infinity,
): LiveSnapshot {
  pending.progress = progress;
  pending.parser = null;
  pending.worker = inspector.parseWorker;
  if (progress) {
    pending.started = Date.now();
    writeText(2, 'objgraph: taking a heap snapshot (time and memory grow with the heap)\n');
  }
  let via: 'stream' | 'inspector';
  try {
    via = inspector.takeSnapshot(onChunk, gc);
  } catch (e) {
    // The worker, if it was parsing, waits for the end of the chunks.
    (pending.parser as ChunkParser | null)?.abort?.();
    pending.parser = null;
    pending.worker = null;
    throw e;
  }
  const parser = pending.parser as ChunkParser | null;
  pending.parser = null;
  pending.worker = null;
  if (parser === null) throw new Error('objgraph: V8 sent no heap snapshot');
  const snapshot = snapshotFromData(parser.end());
  const extraIds = inspector.resultIds().slice();
  const resultCount = extraIds.length;
  for (const o of [exclude, alsoExclude]) {
    if (isObject(o)) {
      const id = inspector.knownId(o);
      if (id !== 0) extraIds.push(id);
    }
  }
  // Values made for this call (`{ file: { write() {} } }`, a filter
  // function): they may sit in the caller's registers too.
  if (isObject(exclude) && !Array.isArray(exclude)) {
    for (const key of Object.keys(exclude)) {
      const d = Object.getOwnPropertyDescriptor(exclude, key);
      if (d === undefined || !('value' in d) || !isObject(d.value)) continue;
      const id = inspector.knownId(d.value);
      if (id !== 0 && id > newerThan) extraIds.push(id);
    }
  }
  // The call's own objects stay the tool's in later snapshots too: the
  // caller's frame may keep them in a register after the call returns.
  if (extraIds.length > resultCount) inspector.rememberIds(extraIds.slice(resultCount));
  // The options object of the inspector's command is on the stack only when
  // the snapshot was taken through the inspector.
  const params = via === 'inspector' ? inspector.toolIds[2] : undefined;
  const ex = toolOwnedNodes(snapshot, {
    toolIds: inspector.toolIds,
    ...(params === undefined ? {} : { paramsId: params }),
    extraIds,
    via,
    watermark: newerThan === Infinity ? 0 : newerThan,
  });
  if (resultCount > 0) inspector.pruneResultIds((id) => ex.found.has(id));
  if (progress) writeText(2, `objgraph: heap snapshot read: ${snapshot.nodeCount} nodes, ${(snapshot.byteLength / 1048576).toFixed(0)} MB\n`);
  return { snapshot, toolOwned: ex.mask, toolOwnedCount: ex.count };
}

function isObject(o: unknown): o is object {
  return (typeof o === 'object' && o !== null) || typeof o === 'function';
}

/**
 * The `exclude` mask the analysis functions take (`CensusOptions.exclude`):
 * non-zero for the tool's nodes and, unless `internals`, for what only V8 holds.
 */
export function exclusionMask(live: LiveSnapshot, internals = false): Uint8Array {
  const m = live.toolOwned;
  const out = new Uint8Array(m.length);
  if (internals) {
    for (let i = 0; i < m.length; i++) out[i] = m[i] === TOOL ? 1 : 0;
  } else {
    for (let i = 0; i < m.length; i++) out[i] = m[i] === VISIBLE ? 0 : 1;
  }
  return out;
}

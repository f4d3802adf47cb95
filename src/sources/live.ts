/**
 * Heap snapshots of the current isolate, parsed as the inspector streams them,
 * with the tool's own objects marked (see ./exclude.ts).
 */
import { SnapshotParser } from '../snapshot/parser.js';
import { snapshotFromData } from '../snapshot/load.js';
import type { HeapSnapshot } from '../snapshot/model.js';
import { liveInspector, type LiveInspector } from './inspector.js';
import { toolOwnedNodes } from './exclude.js';


export interface LiveSnapshot {
  snapshot: HeapSnapshot;
  /** `toolOwned[ordinal] === 1` for the tool's own nodes. */
  toolOwned: Uint8Array;
  /** How many nodes are the tool's. */
  toolOwnedCount: number;
}

// Parser of the snapshot being taken. Created on the first chunk, i.e. after
// V8 has built the graph, so that it never appears in its own snapshot.
const pending: { parser: SnapshotParser | null; progress: boolean } = { parser: null, progress: false };

function onChunk(chunk: string): void {
  let parser = pending.parser;
  if (parser === null) {
    parser = new SnapshotParser({
      source: '<inspector>',
      onProgress: pending.progress ? reportProgress : undefined,
    });
    pending.parser = parser;
  }
  parser.write(chunk);
}

function reportProgress(p: { phase: string; done: number; total: number | undefined }): void {
  process.stderr.write(`objgraph: ${p.phase} ${(p.done / 1048576).toFixed(0)} MB\n`);
}

/**
 * Takes and parses a heap snapshot of the current isolate. Synchronous.
 *
 * `exclude` and `alsoExclude` are objects of the API call in flight (its
 * options object): they and what only they reach are the tool's. They are
 * separate parameters, not an array, because anything allocated before the
 * snapshot is on the stack while V8 builds it.
 */
export function takeLiveSnapshot(
  exclude?: object,
  alsoExclude?: object,
  progress = false,
  gc = false,
  inspector: LiveInspector = liveInspector(),
): LiveSnapshot {
  pending.progress = progress;
  pending.parser = null;
  inspector.takeSnapshot(onChunk, gc);
  const parser = pending.parser as SnapshotParser | null;
  pending.parser = null;
  if (parser === null) throw new Error('objgraph: the inspector sent no heap snapshot');
  const snapshot = snapshotFromData(parser.end());
  const extraIds: number[] = [];
  for (const o of [exclude, alsoExclude]) {
    if ((typeof o === 'object' && o !== null) || typeof o === 'function') {
      const id = inspector.knownId(o);
      if (id !== 0) extraIds.push(id);
    }
  }
  const params = inspector.toolIds[2];
  const ex = toolOwnedNodes(snapshot, {
    toolIds: inspector.toolIds,
    ...(params === undefined ? {} : { paramsId: params }),
    extraIds,
  });
  return { snapshot, toolOwned: ex.mask, toolOwnedCount: ex.count };
}

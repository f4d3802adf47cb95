/**
 * Which nodes of a snapshot of the current isolate belong to the tool itself.
 *
 * A node is the tool's when every path from the snapshot root to it passes
 * through one of the *blocked* nodes:
 * - the tool's long-lived roots (its root object, its inspector session, the
 *   snapshot options object), whose ids the inspector source knows;
 * - the transient objects of the command that took the snapshot: Node's
 *   `Session.post` builds a message object (`{id, method, params}`, where
 *   `params` is our options object) and its JSON text, both held on the stack
 *   while V8 builds the graph;
 * - extra ids the caller names (the options object of the API call in flight).
 *
 * Nodes that the root cannot reach at all, blocked or not, stay visible: they
 * are part of the heap DevTools shows.
 *
 * Cost: two passes over the edges at most, typed arrays only.
 */

/** The flat arrays this module reads (a subset of the parser's SnapshotData). */
export interface GraphArrays {
  nodeCount: number;
  nodeType: Uint8Array;
  nodeTypeNames: readonly string[];
  nodeName: Uint32Array;
  nodeId: Uint32Array;
  firstEdge: Uint32Array;
  edgeType: Uint8Array;
  edgeTypeNames: readonly string[];
  edgeName: Uint32Array;
  edgeTo: Uint32Array;
  strings: {
    get(i: number): string;
    prefix(i: number, maxBytes: number): string;
    equals(i: number, s: string): boolean;
    indexOf(s: string): number;
  };
}

export interface ToolMarks {
  /** Snapshot ids of the tool's long-lived roots. */
  toolIds: readonly number[];
  /** Snapshot id of the options object passed with the snapshot command, if any. */
  paramsId?: number;
  /** Method name of the command that took the snapshot. */
  method?: string;
  /** More ids to treat as the tool's (e.g. the options object of the API call). */
  extraIds?: readonly number[];
}

/** Mask values. */
export const VISIBLE = 0;
export const TOOL = 1;
/** Reachable only through V8's compiled code (literal boilerplates, constant pools): no program can name it. */
export const CODE_ONLY = 3;

/** The result: `mask[ordinal]` is VISIBLE, TOOL or CODE_ONLY. */
export interface Exclusion {
  mask: Uint8Array;
  /** How many nodes are the tool's. */
  count: number;
}

const MESSAGE_PREFIX = '{"id":';

/** Computes the tool-owned nodes of `g`. The root is node 0. */
export function toolOwnedNodes(g: GraphArrays, marks: ToolMarks): Exclusion {
  const n = g.nodeCount;
  const { firstEdge, edgeTo, edgeType, nodeType } = g;
  const mask = new Uint8Array(n); // 1 blocked / tool, 2 reached from root
  const wanted = new Set<number>(marks.toolIds);
  if (marks.extraIds) for (const id of marks.extraIds) wanted.add(id);
  if (marks.paramsId !== undefined) wanted.add(marks.paramsId);
  let paramsOrdinal = -1;
  for (let i = 0; i < n; i++) {
    const id = g.nodeId[i]!;
    if (wanted.has(id)) {
      mask[i] = 1;
      if (id === marks.paramsId) paramsOrdinal = i;
    }
  }

  const tSynthetic = g.nodeTypeNames.indexOf('synthetic');
  const tString = g.nodeTypeNames.indexOf('string');
  const tCons = g.nodeTypeNames.indexOf('concatenated string');
  const tSliced = g.nodeTypeNames.indexOf('sliced string');
  const eProperty = g.edgeTypeNames.indexOf('property');
  const eInternal = g.edgeTypeNames.indexOf('internal');
  const method = marks.method ?? 'HeapProfiler.takeHeapSnapshot';
  const methodNeedle = `"method":${JSON.stringify(method)}`;

  // Transient command objects: the message object points at our params; the
  // JSON text is held by a synthetic root (stack or handle scope).
  for (let i = 0; i < n; i++) {
    const t = nodeType[i]!;
    const end = firstEdge[i + 1]!;
    if (t === tSynthetic) {
      for (let e = firstEdge[i]!; e < end; e++) {
        const to = edgeTo[e]!;
        const tt = nodeType[to]!;
        if (mask[to] === 0 && (tt === tString || tt === tCons || tt === tSliced)) {
          const chain = messageText(g, to, tString, tCons, tSliced, eInternal, methodNeedle);
          if (chain !== null) for (const c of chain) mask[c] = 1;
        }
      }
    } else if (paramsOrdinal >= 0) {
      for (let e = firstEdge[i]!; e < end; e++) {
        if (edgeTo[e] === paramsOrdinal && edgeType[e] === eProperty && g.strings.equals(g.edgeName[e]!, 'params')) {
          mask[i] = 1;
        }
      }
    }
  }

  // 1. Reach from the root without entering blocked nodes nor leaving code nodes.
  const tCode = g.nodeTypeNames.indexOf('code');
  const REACHED = 2;
  const stack = new Uint32Array(n);
  let sp = 0;
  if (n > 0 && mask[0] === 0) {
    mask[0] = REACHED;
    stack[sp++] = 0;
  }
  // Literal boilerplates hang off allocation sites; V8 makes them lazily, on
  // the second run of a literal, at times no program controls.
  const transitionInfo = g.strings.indexOf('transition_info');
  const spread = (value: number): void => {
    while (sp > 0) {
      const i = stack[--sp]!;
      if (value === REACHED && nodeType[i] === tCode) continue;
      const end = firstEdge[i + 1]!;
      for (let e = firstEdge[i]!; e < end; e++) {
        if (value === REACHED && edgeType[e] === eInternal && g.edgeName[e] === transitionInfo) continue;
        const to = edgeTo[e]!;
        if (mask[to] === 0) {
          mask[to] = value;
          stack[sp++] = to;
        }
      }
    }
  };
  spread(REACHED);
  // 2. What only compiled code reaches.
  for (let i = 0; i < n; i++) if (mask[i] === REACHED && nodeType[i] === tCode) stack[sp++] = i;
  spread(CODE_ONLY);
  // 3. The tool's nodes: blocked ones and what only they reach.
  for (let i = 0; i < n; i++) if (mask[i] === TOOL) stack[sp++] = i;
  spread(TOOL);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const m = mask[i]!;
    if (m === TOOL) count++;
    else if (m !== CODE_ONLY) mask[i] = VISIBLE;
  }
  return { mask, count };
}

/**
 * If string node `s` is (the start of) an inspector command's JSON text,
 * returns the nodes making it up (the node and its `first` parts).
 */
function messageText(
  g: GraphArrays,
  s: number,
  tString: number,
  tCons: number,
  tSliced: number,
  eInternal: number,
  needle: string,
): number[] | null {
  const chain: number[] = [];
  let cur = s;
  for (let depth = 0; depth < 8; depth++) {
    chain.push(cur);
    const t = g.nodeType[cur]!;
    if (t === tString) {
      const text = g.strings.prefix(g.nodeName[cur]!, 256);
      return text.startsWith(MESSAGE_PREFIX) && text.includes(needle) ? chain : null;
    }
    if (t !== tCons && t !== tSliced) return null;
    let next = -1;
    const end = g.firstEdge[cur + 1]!;
    for (let e = g.firstEdge[cur]!; e < end; e++) {
      if (g.edgeType[e] === eInternal && (g.strings.equals(g.edgeName[e]!, 'first') || g.strings.equals(g.edgeName[e]!, 'parent'))) {
        next = g.edgeTo[e]!;
        break;
      }
    }
    if (next < 0) return null;
    cur = next;
  }
  return null;
}

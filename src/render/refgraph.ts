/**
 * objgraph's `show_refs` / `show_backrefs` / `show_chain` over a heap
 * snapshot: a breadth-first walk that fills a {@link GraphBuilder} with
 * objgraph's rules (depth, ignore, filter, too many, highlight, extra info,
 * refcounts), using the logical references of `../analysis/edges.ts` so that
 * V8's internals (hidden classes, Contexts, tables, backing stores) do not get
 * in the way unless asked for. Also the text form of `whyAlive`.
 */
import type { HeapSnapshot } from '../snapshot/model.js';
import { HeapNode } from '../snapshot/views.js';
import {
  describeNode,
  isGlobalObject,
  isModuleRecord,
  isRootOrdinal,
  logicalReferences,
  logicalRetainers,
  type LogicalEdge,
} from '../analysis/edges.js';
import { chainNodes, collapseChain, type ChainLike, type WhyAlive } from '../analysis/paths.js';
import { Graph, GraphBuilder, type EdgeKind, type GraphDirection, type NodeInput } from './graph.js';
import { cutText, formatBytes } from './escape.js';

/** objgraph's graph options, shared by `showRefs`, `showBackrefs` and `showChain`. */
export interface GraphStyleOptions {
  /** A matching node is drawn blue (objgraph's `highlight`). */
  highlight?: ((node: HeapNode) => boolean) | undefined;
  /** An extra label line per node (objgraph's `extra_info`). */
  extraInfo?: ((node: HeapNode) => string | null | undefined) | undefined;
  /** Show the number of retainers after the class name (objgraph's `refcounts`). */
  refcounts?: boolean | undefined;
  /** Bare class names (default) or qualified with their source location. */
  shortnames?: boolean | undefined;
  /** Extra Graphviz node attributes (objgraph's `extra_node_attrs`). */
  extraNodeAttrs?: ((node: HeapNode) => Record<string, string | number | null | undefined> | null | undefined) | undefined;
  /** Self / retained size line. Default true (retained sizes build the dominator tree once). */
  sizes?: boolean | undefined;
  /** Show V8 internals as they are (hidden classes, code, Contexts, tables, backing stores). Default false. */
  internals?: boolean | undefined;
  /** Show `__proto__` references. Default false. */
  prototypes?: boolean | undefined;
  /** Title for the HTML page. */
  title?: string | undefined;
}

export interface RefGraphOptions extends GraphStyleOptions {
  /** objgraph's `max_depth`. Default 3. */
  maxDepth?: number | undefined;
  /** Nodes never drawn: ids or node views (objgraph's `extra_ignore`). */
  extraIgnore?: Iterable<number | HeapNode> | undefined;
  /** Only neighbours for which this holds are drawn (objgraph's `filter`). */
  filter?: ((node: HeapNode) => boolean) | undefined;
  /** Most edges drawn per node; the rest is counted in a red box. Default 10. */
  tooMany?: number | undefined;
  /** @internal Ordinals never drawn (the live face's own objects). */
  excludeOrdinal?: ((ordinal: number) => boolean) | undefined;
}

const KIND: Record<LogicalEdge['kind'], EdgeKind> = {
  property: 'property',
  element: 'element',
  context: 'context',
  internal: 'internal',
  hidden: 'hidden',
  shortcut: 'shortcut',
  weak: 'weak',
  entry: 'entry',
};

function startOrdinals(snap: HeapSnapshot, objs: HeapNode | Iterable<HeapNode>): number[] {
  const list = objs instanceof HeapNode ? [objs] : [...objs];
  const out: number[] = [];
  for (const n of list) {
    if (!(n instanceof HeapNode)) throw new TypeError('objgraph: graphs start at node views (HeapNode)');
    if (n.snapshot !== snap) throw new Error('objgraph: a start node belongs to another snapshot');
    if (!out.includes(n.ordinal)) out.push(n.ordinal);
  }
  return out;
}

/** Builds the label and flags of one node. */
function nodeInput(snap: HeapSnapshot, o: number, depth: number, root: boolean, direction: GraphDirection, options: GraphStyleOptions): NodeInput {
  const view = new HeapNode(snap, o);
  const className = options.shortnames === false ? snap.qualifiedClassName(o) : snap.className(o);
  const sizes = options.sizes !== false;
  let retainers: number | null = null;
  if (options.refcounts === true) {
    retainers = logicalRetainers(snap, o, { internals: options.internals, prototypes: options.prototypes }).filter((e) => !e.weak).length;
  }
  const extra = options.extraInfo ? options.extraInfo(view) : null;
  const attrs = options.extraNodeAttrs ? options.extraNodeAttrs(view) : null;
  return {
    key: String(snap.idOf(o)),
    id: snap.idOf(o),
    className,
    depth,
    description: describeNode(snap, o),
    extraInfo: extra == null ? null : String(extra),
    retainers,
    selfSize: sizes ? snap.shallowSizeOf(o) : null,
    retainedSize: sizes ? snap.retainedSizes()[o]! : null,
    root,
    highlight: options.highlight ? options.highlight(view) === true : false,
    module: direction === 'backrefs' ? isGlobalObject(snap, o) || isModuleRecord(snap, o) : false,
    ...(attrs ? { attrs } : {}),
    details: {
      type: snap.nodeTypeName(o),
      name: snap.strings.prefix(snap.nodeNameAt(o), 200),
      edges: snap.firstEdge[o + 1]! - snap.firstEdge[o]!,
    },
  };
}

/**
 * objgraph's `_show_graph` over a snapshot. Breadth-first from `objs`; a node
 * at depth `maxDepth` is drawn but not expanded; `showBackrefs` does not
 * expand roots (GC roots, global objects, module records); after `tooMany`
 * edges of one node the rest are counted in an "N more references" box.
 */
export function buildRefGraph(snap: HeapSnapshot, objs: HeapNode | Iterable<HeapNode>, direction: GraphDirection, options: RefGraphOptions = {}): Graph {
  const maxDepth = options.maxDepth ?? 3;
  if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new RangeError(`maxDepth must be a non-negative integer, got ${maxDepth}`);
  const tooMany = options.tooMany ?? 10;
  if (!Number.isInteger(tooMany) || tooMany < 0) throw new RangeError(`tooMany must be a non-negative integer, got ${tooMany}`);
  const starts = startOrdinals(snap, objs);
  const ignore = new Set<number>();
  for (const x of options.extraIgnore ?? []) {
    const o = typeof x === 'number' ? snap.ordinalOf(x) : x.snapshot === snap ? x.ordinal : snap.ordinalOf(x.id);
    if (o >= 0) ignore.add(o);
  }
  const exclude = options.excludeOrdinal;
  const logical = { internals: options.internals, prototypes: options.prototypes };
  const refs = direction === 'refs';

  const depthOf = new Map<number, number>();
  const queue: number[] = [];
  for (const o of starts) {
    depthOf.set(o, 0);
    queue.push(o);
  }
  const order: number[] = [];
  const edges: Array<{ owner: number; other: number; edge: LogicalEdge }> = [];
  const more: Array<[number, number]> = [];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    order.push(v);
    const depth = depthOf.get(v)!;
    if (depth >= maxDepth) continue;
    if (!refs && isRootOrdinal(snap, v)) continue;
    const neighbours = refs ? logicalReferences(snap, v, logical) : logicalRetainers(snap, v, logical);
    let drawn = 0;
    let skipped = 0;
    for (const le of neighbours) {
      const w = refs ? le.to : le.from;
      if (ignore.has(w) || (exclude !== undefined && exclude(w))) continue;
      if (options.filter && !options.filter(new HeapNode(snap, w))) continue;
      if (drawn >= tooMany) {
        skipped++;
        continue;
      }
      drawn++;
      edges.push({ owner: v, other: w, edge: le });
      if (!depthOf.has(w)) {
        depthOf.set(w, depth + 1);
        queue.push(w);
      }
    }
    if (skipped > 0) more.push([v, skipped]);
  }

  const b = new GraphBuilder({ direction, maxDepth, title: options.title ?? null });
  const startSet = new Set(starts);
  for (const o of order) b.addNode(nodeInput(snap, o, depthOf.get(o)!, startSet.has(o), direction, options));
  const moreOf = new Map(more);
  const keyOf = (o: number): string => String(snap.idOf(o));
  const byOwner = new Map<number, typeof edges>();
  for (const e of edges) {
    const list = byOwner.get(e.owner);
    if (list) list.push(e);
    else byOwner.set(e.owner, [e]);
  }
  for (const o of order) {
    for (const { edge } of byOwner.get(o) ?? []) {
      b.addEdge({
        from: keyOf(edge.from),
        to: keyOf(edge.to),
        label: edge.label,
        kind: KIND[edge.kind],
        owner: keyOf(o),
        ...(edge.kind === 'property' && edge.label !== null && /^[A-Za-z_$][\w$]*$/.test(edge.label) ? { weight: 2 } : {}),
      });
    }
    const n = moreOf.get(o);
    if (n !== undefined) b.addMoreBox(keyOf(o), n);
  }
  return b.build();
}

export interface ChainGraphOptions extends GraphStyleOptions {
  /** Draw as a backrefs graph (the targets red, at depth 0), as objgraph's default. Default true. */
  backrefs?: boolean | undefined;
}

/**
 * objgraph's `show_chain`: only the chains' nodes and the references between
 * consecutive ones (V8 internals collapsed as in the chains' steps). With
 * `backrefs` (default) each chain's last node is the red target; otherwise its
 * first.
 */
export function buildChainGraph(snap: HeapSnapshot, chains: readonly ChainLike[], options: ChainGraphOptions = {}): Graph {
  const backrefs = options.backrefs !== false;
  const lists = chains.map(chainNodes).filter((c) => c.length > 0);
  if (lists.length === 0) throw new Error('showChain: no chain to draw (every chain is empty or not found)');
  for (const c of lists) for (const n of c) if (n.snapshot !== snap) throw new Error('showChain: a chain belongs to another snapshot');
  const direction: GraphDirection = backrefs ? 'backrefs' : 'refs';
  // Steps between consecutive nodes: take the chain's own edges when given, else the first raw edge between them.
  const stepsOf = (chain: ChainLike, nodes: HeapNode[]): ReturnType<typeof collapseChain> => {
    const c = chain as { found?: boolean; edges?: Array<{ index: number }>; chain?: { found: boolean; edges?: Array<{ index: number }> } };
    const given = c.chain ? (c.chain.found ? c.chain.edges : undefined) : c.found ? c.edges : undefined;
    const ordinals = nodes.map((n) => n.ordinal);
    const edgeIdx = given ? given.map((e) => e.index) : ordinals.slice(1).map((to, i) => edgeBetween(snap, ordinals[i]!, to));
    return collapseChain(snap, ordinals, edgeIdx);
  };
  const depthOf = new Map<number, number>();
  const order: number[] = [];
  const targets = new Set<number>();
  const allSteps: Array<{ from: number; to: number; label: string | null; kind: EdgeKind; owner: number }> = [];
  chains.forEach((chain) => {
    const nodes = chainNodes(chain);
    if (nodes.length === 0) return;
    const steps = stepsOf(chain, nodes);
    // Nodes the collapsed steps still visit, in reference order.
    const visible = [steps.length ? steps[0]!.from.ordinal : nodes[0]!.ordinal, ...steps.map((s) => s.to.ordinal)];
    const n = visible.length;
    visible.forEach((o, i) => {
      const depth = backrefs ? n - 1 - i : i;
      const old = depthOf.get(o);
      if (old === undefined || depth < old) depthOf.set(o, depth);
    });
    targets.add(backrefs ? visible[n - 1]! : visible[0]!);
    for (const s of steps) {
      allSteps.push({ from: s.from.ordinal, to: s.to.ordinal, label: s.label, kind: KIND[s.kind], owner: backrefs ? s.to.ordinal : s.from.ordinal });
    }
  });
  for (const [o] of [...depthOf.entries()].sort((a, b) => a[1] - b[1])) order.push(o);
  // objgraph: max_depth = the longest chain's length - 1 (here counted after collapsing).
  let maxDepth = 0;
  for (const d of depthOf.values()) maxDepth = Math.max(maxDepth, d);
  const b = new GraphBuilder({ direction, maxDepth: Math.max(maxDepth, 0), title: options.title ?? null });
  for (const o of order) b.addNode(nodeInput(snap, o, depthOf.get(o)!, targets.has(o), direction, options));
  const keyOf = (o: number): string => String(snap.idOf(o));
  const seen = new Set<string>();
  for (const o of order) {
    for (const s of allSteps) {
      if (s.owner !== o) continue;
      const k = `${s.from}>${s.to}>${s.label}`;
      if (seen.has(k)) continue;
      seen.add(k);
      b.addEdge({ from: keyOf(s.from), to: keyOf(s.to), label: s.label, kind: s.kind, owner: keyOf(o) });
    }
  }
  return b.build();
}

/** The first non-weak raw edge from `from` to `to` (a weak one if that is all there is). */
function edgeBetween(snap: HeapSnapshot, from: number, to: number): number {
  let weak = -1;
  for (let e = snap.firstEdge[from]!; e < snap.firstEdge[from + 1]!; e++) {
    if (snap.edgeTarget(e) !== to) continue;
    if (snap.edgeTypeOf(e) !== snap.edgeTypes.weak) return e;
    if (weak < 0) weak = e;
  }
  if (weak >= 0) return weak;
  throw new Error(`showChain: ${snap.className(from)} @${snap.idOf(from)} does not refer to ${snap.className(to)} @${snap.idOf(to)}`);
}

// ---- whyAlive as text ---------------------------------------------------------

function nodeText(n: HeapNode): string {
  const snap = n.snapshot;
  const desc = describeNode(snap, n.ordinal);
  return cutText(`${n.className} @${n.id}${desc ? ` ${desc}` : ''}`, 100);
}

/**
 * `whyAlive` as text:
 *
 * ```
 * Session @80777 is alive: 96 B self, 96 B retained.
 *
 * Shortest path from a root (3 steps):
 *   (GC roots) @3                                   retains 12 MiB
 *   …
 * ```
 */
export function formatWhyAlive(why: WhyAlive): string {
  const lines: string[] = [];
  const size = (self: number, retained: number | null): string =>
    retained === null ? `${formatBytes(self)} self` : `${formatBytes(self)} self, ${formatBytes(retained)} retained`;
  lines.push(`${nodeText(why.node)} is alive: ${size(why.selfSize, why.retainedSize)}.`);
  lines.push('');
  const chain = why.chain;
  if (!chain.found) {
    lines.push(
      chain.reason === 'max depth'
        ? `No path from a root within ${chain.maxDepth} steps (${chain.visited} objects searched).`
        : `No path from a root: it is unreachable, or held only weakly (${chain.visited} objects searched).`,
    );
  } else {
    lines.push(`Shortest path from a root (${chain.steps.length} step${chain.steps.length === 1 ? '' : 's'}):`);
    for (const s of why.path) {
      const head = s.via ? `  ${s.via.path} -> ` : '  ';
      const text = head + nodeText(s.node);
      const sizes = s.retainedSize === null ? formatBytes(s.selfSize) : `retains ${formatBytes(s.retainedSize)}`;
      lines.push(text.padEnd(72) + ' ' + sizes);
    }
  }
  if (why.dominators.length > 0 || why.retainedSize !== null) {
    lines.push('');
    if (why.dominators.length === 0) {
      lines.push('Dominators: none below the roots (several roots hold it, or a root holds it directly).');
    } else {
      lines.push('Dominators (releasing any one frees it), nearest first:');
      for (const d of why.dominators) {
        const mark = why.culprit !== null && d.node.equals(why.culprit) ? '*' : ' ';
        lines.push(`${mark} ${nodeText(d.node)}`.padEnd(72) + ` retains ${formatBytes(d.retainedSize)}`);
      }
      if (why.culprit !== null) lines.push(`* nearest object you can name: ${nodeText(why.culprit)}`);
    }
  }
  return lines.join('\n') + '\n';
}

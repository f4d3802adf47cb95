/**
 * The graph functions of the faces over one snapshot: `findRefChain`,
 * `findBackrefChain`, `showRefs`, `showBackrefs`, `showChain`, `whyAlive`,
 * `showWhyAlive`, and where a drawn graph goes (objgraph's `_show_graph` /
 * `_present_graph`, minus the need for Graphviz).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeapSnapshot } from '../snapshot/model.js';
import type { HeapNode } from '../snapshot/views.js';
import {
  findBackrefChain as findBackrefChainIn,
  findRefChain as findRefChainIn,
  whyAlive as whyAliveIn,
  type Chain,
  type ChainLike,
  type ChainOptions,
  type NodePredicate,
  type WhyAlive,
  type WhyAliveOptions,
} from '../analysis/paths.js';
import { buildChainGraph, buildRefGraph, formatWhyAlive, type ChainGraphOptions, type RefGraphOptions } from '../render/refgraph.js';
import type { Graph, RenderOptions } from '../render/graph.js';
import { emitText } from '../sources/write.js';

/** Anything with a `write(string)`: a stream, `process.stdout`, a test sink. */
export interface TextSink {
  write(chunk: string): unknown;
}

/** Where a drawn graph goes. */
export interface GraphOutputOptions {
  /** Write the graph there; the format comes from the extension (`.dot`, `.svg`, `.png`, `.html`, `.json`). */
  filename?: string | undefined;
  /** A stream that receives the DOT text (objgraph's `output`); excludes `filename`. */
  output?: TextSink | undefined;
  /** Where the "Graph written to …" line goes. Default `process.stdout`. */
  file?: TextSink | undefined;
  /** Options for the writers (legend, font, renderer, scale…). */
  render?: RenderOptions | undefined;
  /**
   * With neither `filename` nor `output`: write a PNG to the temp folder and
   * say where (objgraph's behaviour, default), or `false` to only return the graph.
   */
  show?: boolean | undefined;
}

export type ShowGraphOptions = RefGraphOptions & GraphOutputOptions;
export type ShowChainOptions = ChainGraphOptions & GraphOutputOptions;

/**
 * Sends a graph where objgraph would: to `output` as DOT, to `filename` in
 * the format of its extension, or (neither given) to a PNG in the temp folder.
 * Says where on `file` (except for `output`). Returns the graph.
 */
export function presentGraph(graph: Graph, options: GraphOutputOptions = {}): Graph {
  const { filename, output } = options;
  if (filename !== undefined && output !== undefined) throw new Error('Cannot specify both output and filename.');
  if (output !== undefined) {
    emitText(output, graph.toDot(options.render));
    return graph;
  }
  if (filename === undefined && options.show === false) return graph;
  const file = options.file ?? process.stdout;
  const target = filename ?? join(mkdtempSync(join(tmpdir(), 'objgraph-')), 'graph.png');
  const written = graph.save(target, options.render);
  emitText(file, `Graph written to ${written} (${graph.objectCount} nodes)\n`);
  return graph;
}

function graphOptions(options: ShowGraphOptions): RefGraphOptions {
  const { filename: _f, output: _o, file: _file, render: _r, show: _s, ...rest } = options;
  return rest;
}

function chainGraphOptions(options: ShowChainOptions): ChainGraphOptions {
  const { filename: _f, output: _o, file: _file, render: _r, show: _s, ...rest } = options;
  return rest;
}

export function findRefChain(snap: HeapSnapshot, start: HeapNode, predicate: NodePredicate, options?: ChainOptions): Chain {
  return findRefChainIn(snap, start, predicate, options);
}

export function findBackrefChain(snap: HeapSnapshot, start: HeapNode, predicate?: NodePredicate, options?: ChainOptions): Chain {
  return findBackrefChainIn(snap, start, predicate, options);
}

export function showRefs(snap: HeapSnapshot, objs: HeapNode | Iterable<HeapNode>, options: ShowGraphOptions = {}): Graph {
  return presentGraph(buildRefGraph(snap, objs, 'refs', graphOptions(options)), options);
}

export function showBackrefs(snap: HeapSnapshot, objs: HeapNode | Iterable<HeapNode>, options: ShowGraphOptions = {}): Graph {
  return presentGraph(buildRefGraph(snap, objs, 'backrefs', graphOptions(options)), options);
}

/** Splits `showChain(...chains, options?)` arguments: a trailing plain options object. */
export function splitChainArgs(args: ReadonlyArray<ChainLike | ShowChainOptions>): { chains: ChainLike[]; options: ShowChainOptions } {
  const list = [...args];
  const last = list[list.length - 1];
  let options: ShowChainOptions = {};
  if (last !== undefined && !Array.isArray(last) && !('found' in (last as object)) && !('chain' in (last as object))) {
    options = list.pop() as ShowChainOptions;
  }
  return { chains: list as ChainLike[], options };
}

export function showChain(snap: HeapSnapshot, chains: readonly ChainLike[], options: ShowChainOptions = {}): Graph {
  return presentGraph(buildChainGraph(snap, chains, chainGraphOptions(options)), options);
}

export function whyAlive(snap: HeapSnapshot, node: HeapNode, options?: WhyAliveOptions): WhyAlive {
  return whyAliveIn(snap, node, options);
}

export interface ShowWhyAliveOptions extends WhyAliveOptions {
  /** Where the text goes. Default `process.stdout`. */
  file?: TextSink | undefined;
}

/** Prints {@link whyAlive}'s answer and returns it. */
export function showWhyAlive(snap: HeapSnapshot, node: HeapNode, options: ShowWhyAliveOptions = {}): WhyAlive {
  const { file, ...rest } = options;
  const why = whyAliveIn(snap, node, rest);
  emitText(file, formatWhyAlive(why));
  return why;
}

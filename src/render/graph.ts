/**
 * The reference graph as a value: what `showRefs`, `showBackrefs` and
 * `showChain` return. Plain data (`graph.nodes`, `graph.edges`) plus its
 * writers: DOT text, SVG, PNG and a self-contained HTML page.
 *
 * The traversal (built on the snapshot engine) fills a {@link GraphBuilder};
 * tests build graphs by hand the same way, as objgraph's own tests do.
 *
 * @example
 * const b = new GraphBuilder({ direction: 'refs', maxDepth: 3 });
 * b.addNode({ key: '1', id: 1, className: 'Array', description: '3 items', depth: 0, root: true });
 * b.addNode({ key: '2', id: 2, className: 'Array', description: '0 items', depth: 1 });
 * b.addEdge({ from: '1', to: '2', label: '0', kind: 'element' });
 * const graph = b.build();
 * graph.save('refs.png');
 */
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import {
  cutText,
  formatBytes,
  MAX_EDGE_LABEL_LENGTH,
  MAX_LABEL_LINES,
  MAX_LINE_LENGTH,
} from './escape.js';
import { toDot, type DotOptions } from './dot.js';
import { dotToSvg, type SvgOptions } from './svg.js';
import { dotToPng, type PngOptions } from './png.js';
import { graphToHtml, type HtmlOptions } from './html.js';

/** Which way the graph was drawn: objgraph's `show_refs` or `show_backrefs`. */
export type GraphDirection = 'refs' | 'backrefs';

/**
 * What an edge is. The first seven are V8's heap snapshot edge types;
 * `entry` is a decoded Map/Set/WeakMap entry, `more` the edge to a
 * "N more references" box, `other` anything else.
 */
export type EdgeKind =
  | 'property'
  | 'element'
  | 'context'
  | 'internal'
  | 'hidden'
  | 'shortcut'
  | 'weak'
  | 'entry'
  | 'more'
  | 'other';

export const EDGE_KINDS: readonly EdgeKind[] = [
  'property',
  'element',
  'context',
  'internal',
  'hidden',
  'shortcut',
  'weak',
  'entry',
  'more',
  'other',
];

/** How an edge's line is drawn. Defaults come from its kind. */
export type EdgeStyle = 'solid' | 'dashed' | 'dotted' | 'bold';
const EDGE_STYLES: readonly string[] = ['solid', 'dashed', 'dotted', 'bold'];

/** Extra facts about a node shown on the interactive page (not in the DOT). */
export type NodeDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface GraphNode {
  /** Unique within the graph; `[A-Za-z0-9_]+` (the snapshot id as a string for heap nodes). */
  readonly key: string;
  /** The Graphviz node name: `o<key>` for objects, `too_many_o<key>` for "more" boxes. */
  readonly dotId: string;
  /** V8's snapshot object id, or null for pseudo-nodes. */
  readonly id: number | null;
  /** The class name (objgraph's type name); cut to a sane length. */
  readonly className: string;
  /** The label, one entry per line, each cut to a sane length. */
  readonly label: readonly string[];
  readonly selfSize: number | null;
  readonly retainedSize: number | null;
  /** Distance from the graph's starting objects (0 for them). */
  readonly depth: number;
  /** One of the objects the graph was drawn for: red font. */
  readonly root: boolean;
  /** Matched the `highlight` predicate: blue fill. */
  readonly highlight: boolean;
  /** A place where `showBackrefs` stopped (global object, module record): green fill. */
  readonly module: boolean;
  /** A "N more references" / "N more backreferences" box. */
  readonly moreBox: boolean;
  /** For a more box: how many neighbours were left out. */
  readonly moreCount: number | null;
  /** Extra Graphviz node attributes (objgraph's `extra_node_attrs`), written sorted. */
  readonly attrs: Readonly<Record<string, string>>;
  /** Extra facts for the interactive page (node type, name, distance, …). */
  readonly details: NodeDetails;
}

export interface GraphEdge {
  /** Key of the node holding the reference (the arrow's tail). */
  readonly from: string;
  /** Key of the node referred to (the arrow's head). */
  readonly to: string;
  /** Property name, index, variable name, entry key… (cut to a sane length), or null. */
  readonly label: string | null;
  readonly kind: EdgeKind;
  readonly style: EdgeStyle;
  /** A Graphviz colour, or null for the default (black). */
  readonly color: string | null;
  /** Graphviz `weight` (layout only), or null. */
  readonly weight: number | null;
  /** The node whose expansion found this edge: `from` for refs, `to` for backrefs. Orders the DOT. */
  readonly owner: string;
}

export interface GraphData {
  readonly direction: GraphDirection;
  readonly maxDepth: number;
  readonly title: string | null;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Options for every output format. */
export interface RenderOptions extends DotOptions, SvgOptions, PngOptions, HtmlOptions {}

/** What `graph.save()` can write, chosen by the file name's extension. */
export type SaveFormat = 'dot' | 'svg' | 'png' | 'html' | 'json';

const FORMAT_BY_EXTENSION: Readonly<Record<string, SaveFormat>> = {
  '.dot': 'dot',
  '.gv': 'dot',
  '.svg': 'svg',
  '.png': 'png',
  '.html': 'html',
  '.htm': 'html',
  '.json': 'json',
};

/** The format `graph.save(path)` would write, or null for an unknown extension. */
export function formatForPath(path: string): SaveFormat | null {
  return FORMAT_BY_EXTENSION[extname(path).toLowerCase()] ?? null;
}

/** A reference graph: plain data plus its writers. Immutable. */
export class Graph implements GraphData {
  readonly direction: GraphDirection;
  readonly maxDepth: number;
  readonly title: string | null;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];

  /** Checks the data (unique keys, edges between known nodes) and freezes it. */
  constructor(data: GraphData) {
    if (data.direction !== 'refs' && data.direction !== 'backrefs') {
      throw new TypeError(`Graph: direction must be 'refs' or 'backrefs', got ${String(data.direction)}`);
    }
    if (!Number.isInteger(data.maxDepth) || data.maxDepth < 0) {
      throw new RangeError(`Graph: maxDepth must be a non-negative integer, got ${data.maxDepth}`);
    }
    const keys = new Set<string>();
    const dotIds = new Set<string>();
    for (const n of data.nodes) {
      if (keys.has(n.key)) throw new Error(`Graph: duplicate node key ${JSON.stringify(n.key)}`);
      if (dotIds.has(n.dotId)) throw new Error(`Graph: duplicate DOT id ${JSON.stringify(n.dotId)}`);
      if (!DOT_ID.test(n.dotId)) throw new Error(`Graph: bad DOT id ${JSON.stringify(n.dotId)}`);
      for (const name of Object.keys(n.attrs)) checkAttrName(name);
      keys.add(n.key);
      dotIds.add(n.dotId);
    }
    for (const e of data.edges) {
      for (const end of [e.from, e.to, e.owner]) {
        if (!keys.has(end)) throw new Error(`Graph: edge ${e.from} -> ${e.to} names unknown node ${JSON.stringify(end)}`);
      }
      if (e.owner !== e.from && e.owner !== e.to) {
        throw new Error(`Graph: edge ${e.from} -> ${e.to} has owner ${e.owner}, which is neither end`);
      }
      // A Graph may be rebuilt from JSON: what goes into DOT unquoted is checked as GraphBuilder checks it.
      if (!EDGE_KINDS.includes(e.kind)) throw new TypeError(`Graph: unknown edge kind ${JSON.stringify(e.kind)}`);
      if (!EDGE_STYLES.includes(e.style)) throw new TypeError(`Graph: unknown edge style ${JSON.stringify(e.style)}`);
      if (e.color !== null && !COLOR.test(e.color)) throw new TypeError(`Graph: bad colour ${JSON.stringify(e.color)}`);
      if (e.weight !== null && !(Number.isInteger(e.weight) && e.weight >= 0)) throw new RangeError('Graph: weight must be a non-negative integer');
    }
    this.direction = data.direction;
    this.maxDepth = data.maxDepth;
    this.title = data.title;
    this.nodes = Object.freeze(data.nodes.map((n) => Object.freeze({ ...n, label: Object.freeze([...n.label]), attrs: Object.freeze({ ...n.attrs }), details: Object.freeze({ ...n.details }) })));
    this.edges = Object.freeze(data.edges.map((e) => Object.freeze({ ...e })));
    Object.freeze(this);
  }

  /** The node with this key, if any. */
  node(key: string): GraphNode | undefined {
    return this.nodes.find((n) => n.key === key);
  }

  /** Number of real object nodes (objgraph's "(N nodes)": more boxes not counted). */
  get objectCount(): number {
    let n = 0;
    for (const node of this.nodes) if (!node.moreBox) n++;
    return n;
  }

  /** The graph as DOT text in objgraph's conventions (plus a legend unless `legend: false`). */
  toDot(options: DotOptions = {}): string {
    return toDot(this, options);
  }

  /** SVG text, laid out by Graphviz (WebAssembly, or the system `dot` with `renderer: 'dot'`). Synchronous. */
  toSvg(options: DotOptions & SvgOptions = {}): string {
    return dotToSvg(this.toDot(options), options);
  }

  /** PNG bytes (rasterised from the SVG with a bundled font). Synchronous. */
  toPng(options: DotOptions & PngOptions = {}): Buffer {
    return dotToPng(this.toDot(options), options);
  }

  /** One self-contained HTML page: the SVG, pan/zoom, search by class, details on click. Synchronous. */
  toHtml(options: RenderOptions = {}): string {
    const svg = this.toSvg(options);
    return graphToHtml(this, svg, options);
  }

  /** Plain data (what `JSON.stringify(graph)` writes). */
  toJSON(): GraphData {
    return {
      direction: this.direction,
      maxDepth: this.maxDepth,
      title: this.title,
      nodes: this.nodes,
      edges: this.edges,
    };
  }

  /**
   * Writes the graph to `path`, the format chosen by the extension:
   * `.dot`/`.gv`, `.svg`, `.png`, `.html`/`.htm` or `.json`. Synchronous.
   * Returns the absolute path written.
   */
  save(path: string, options: RenderOptions = {}): string {
    const format = formatForPath(path);
    if (format === null) {
      throw new Error(
        `Cannot save a graph to ${JSON.stringify(path)}: unknown extension ${JSON.stringify(extname(path))} ` +
          `(use .dot, .svg, .png, .html or .json)`,
      );
    }
    const data = this.render(format, options);
    const abs = resolve(path);
    writeFileSync(abs, data);
    return abs;
  }

  /** The graph in one of the save formats, as text or bytes. */
  render(format: SaveFormat, options: RenderOptions = {}): string | Buffer {
    switch (format) {
      case 'dot':
        return this.toDot(options);
      case 'svg':
        return this.toSvg(options);
      case 'png':
        return this.toPng(options);
      case 'html':
        return this.toHtml(options);
      case 'json':
        return JSON.stringify(this.toJSON(), null, 1) + '\n';
    }
  }
}

const KEY = /^[A-Za-z0-9_]{1,200}$/;
const DOT_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ATTR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function checkKey(key: string): void {
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new TypeError(`GraphBuilder: node key must match [A-Za-z0-9_]{1,200}, got ${JSON.stringify(key)}`);
  }
}

function checkAttrName(name: string): void {
  if (!ATTR_NAME.test(name)) {
    throw new TypeError(`Graph: extra node attribute name must be a plain identifier, got ${JSON.stringify(name)}`);
  }
}

/** What the traversal knows about one node. */
export interface NodeInput {
  key: string;
  id?: number | null;
  className: string;
  /** Distance from the starting objects. */
  depth: number;
  /**
   * The label lines. When omitted they are composed objgraph-style from
   * `className` (+ ` [retainers]`), `description`, `extraInfo` and the sizes.
   */
  label?: readonly string[];
  /** Short safe description: `3 items`, a string value, `fn @ file.js:12`. */
  description?: string | null;
  /** objgraph's `extra_info(obj)` line. */
  extraInfo?: string | null;
  /** objgraph's `refcounts`: here the number of retainers, shown as ` [N]` after the class name. */
  retainers?: number | null;
  selfSize?: number | null;
  retainedSize?: number | null;
  root?: boolean;
  highlight?: boolean;
  module?: boolean;
  /** objgraph's `extra_node_attrs`: `undefined`/`null` values are dropped. */
  attrs?: Readonly<Record<string, string | number | null | undefined>>;
  details?: NodeDetails;
}

/** What the traversal knows about one edge. */
export interface EdgeInput {
  from: string;
  to: string;
  label?: string | number | null;
  kind?: EdgeKind;
  /** Overrides the kind's line style. */
  style?: EdgeStyle;
  /** Overrides the kind's colour. */
  color?: string | null;
  weight?: number | null;
  /** Defaults to `from` for a refs graph and `to` for a backrefs graph. */
  owner?: string;
}

export interface GraphBuilderOptions {
  direction: GraphDirection;
  /** objgraph's `max_depth`: drives the white→grey gradient. */
  maxDepth: number;
  title?: string | null;
}

/** Line style and colour of each edge kind unless the edge says otherwise. */
export const EDGE_KIND_STYLE: Readonly<Record<EdgeKind, { style: EdgeStyle; color: string | null }>> = {
  property: { style: 'solid', color: null },
  element: { style: 'solid', color: null },
  context: { style: 'solid', color: null },
  entry: { style: 'solid', color: null },
  other: { style: 'solid', color: null },
  internal: { style: 'solid', color: 'grey50' },
  hidden: { style: 'solid', color: 'grey50' },
  shortcut: { style: 'dotted', color: 'grey50' },
  weak: { style: 'dashed', color: null },
  more: { style: 'dotted', color: 'red' },
};

const COLOR = /^(#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?|[A-Za-z][A-Za-z0-9]{0,30}|[0-9.]+,[0-9.]+,[0-9.]+)$/;

/** Label lines for a node, objgraph-style: type [refcount], repr, extra info; plus sizes. */
export function composeLabel(input: {
  className: string;
  description?: string | null;
  extraInfo?: string | null;
  retainers?: number | null;
  selfSize?: number | null;
  retainedSize?: number | null;
}): string[] {
  const lines: string[] = [];
  lines.push(input.retainers != null ? `${input.className} [${input.retainers}]` : input.className);
  if (input.description != null && input.description !== '') lines.push(input.description);
  if (input.extraInfo != null && input.extraInfo !== '') lines.push(input.extraInfo);
  if (input.selfSize != null) {
    lines.push(
      input.retainedSize != null
        ? `${formatBytes(input.selfSize)} / ${formatBytes(input.retainedSize)}`
        : formatBytes(input.selfSize),
    );
  } else if (input.retainedSize != null) {
    lines.push(`? / ${formatBytes(input.retainedSize)}`);
  }
  return lines;
}

function cutLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines.slice(0, MAX_LABEL_LINES)) out.push(cutText(String(line), MAX_LINE_LENGTH));
  if (lines.length > MAX_LABEL_LINES) out[MAX_LABEL_LINES - 1] = '\u2026';
  return out;
}

/**
 * Collects nodes and edges in the order the traversal finds them (that
 * order is the DOT's order), then {@link build}s an immutable {@link Graph}.
 */
export class GraphBuilder {
  private readonly options: GraphBuilderOptions;
  private readonly nodes: GraphNode[] = [];
  private readonly edges: GraphEdge[] = [];
  private readonly byKey = new Map<string, GraphNode>();

  constructor(options: GraphBuilderOptions) {
    if (options.direction !== 'refs' && options.direction !== 'backrefs') {
      throw new TypeError(`GraphBuilder: direction must be 'refs' or 'backrefs'`);
    }
    if (!Number.isInteger(options.maxDepth) || options.maxDepth < 0) {
      throw new RangeError(`GraphBuilder: maxDepth must be a non-negative integer, got ${options.maxDepth}`);
    }
    this.options = { ...options };
  }

  get direction(): GraphDirection {
    return this.options.direction;
  }

  hasNode(key: string): boolean {
    return this.byKey.has(key);
  }

  getNode(key: string): GraphNode | undefined {
    return this.byKey.get(key);
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Adds an object node. Throws on a duplicate or malformed key. */
  addNode(input: NodeInput): GraphNode {
    checkKey(input.key);
    if (this.byKey.has(input.key)) throw new Error(`GraphBuilder: node ${input.key} added twice`);
    if (!Number.isInteger(input.depth) || input.depth < 0) {
      throw new RangeError(`GraphBuilder: depth must be a non-negative integer, got ${input.depth}`);
    }
    const className = cutText(String(input.className), MAX_LINE_LENGTH);
    const lines = input.label ?? composeLabel({ ...input, className });
    const attrs: Record<string, string> = {};
    if (input.attrs) {
      for (const name of Object.keys(input.attrs).sort()) {
        const value = input.attrs[name];
        if (value === undefined || value === null) continue;
        checkAttrName(name);
        attrs[name] = cutText(String(value), 1000);
      }
    }
    const node: GraphNode = {
      key: input.key,
      dotId: 'o' + input.key,
      id: input.id ?? null,
      className,
      label: cutLines(lines),
      selfSize: input.selfSize ?? null,
      retainedSize: input.retainedSize ?? null,
      depth: input.depth,
      root: input.root ?? false,
      highlight: input.highlight ?? false,
      module: input.module ?? false,
      moreBox: false,
      moreCount: null,
      attrs,
      details: cutDetails(input.details ?? {}),
    };
    this.push(node);
    return node;
  }

  /** Adds an edge between two nodes already added. */
  addEdge(input: EdgeInput): GraphEdge {
    const kind = input.kind ?? 'other';
    if (!EDGE_KINDS.includes(kind)) throw new TypeError(`GraphBuilder: unknown edge kind ${JSON.stringify(kind)}`);
    for (const end of [input.from, input.to]) {
      if (!this.byKey.has(end)) throw new Error(`GraphBuilder: edge names unknown node ${JSON.stringify(end)}`);
    }
    const owner = input.owner ?? (this.options.direction === 'refs' ? input.from : input.to);
    if (owner !== input.from && owner !== input.to) {
      throw new Error(`GraphBuilder: edge owner ${owner} must be one of its ends`);
    }
    const defaults = EDGE_KIND_STYLE[kind];
    const color = input.color === undefined ? defaults.color : input.color;
    if (color !== null && !COLOR.test(color)) throw new TypeError(`GraphBuilder: bad colour ${JSON.stringify(color)}`);
    if (input.weight != null && !(Number.isInteger(input.weight) && input.weight >= 0)) {
      throw new RangeError(`GraphBuilder: weight must be a non-negative integer`);
    }
    const edge: GraphEdge = {
      from: input.from,
      to: input.to,
      label: input.label == null ? null : cutText(String(input.label), MAX_EDGE_LABEL_LENGTH),
      kind,
      style: input.style ?? defaults.style,
      color,
      weight: input.weight ?? null,
      owner,
    };
    this.edges.push(edge);
    return edge;
  }

  /**
   * Adds objgraph's red "N more references" (refs) or "N more
   * backreferences" (backrefs) box for `ownerKey`, with its dotted edge.
   */
  addMoreBox(ownerKey: string, count: number): GraphNode {
    const owner = this.byKey.get(ownerKey);
    if (!owner) throw new Error(`GraphBuilder: more box for unknown node ${JSON.stringify(ownerKey)}`);
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`GraphBuilder: more box count must be a positive integer`);
    const refs = this.options.direction === 'refs';
    const node: GraphNode = {
      key: 'too_many_' + ownerKey,
      dotId: 'too_many_' + owner.dotId,
      id: null,
      className: '',
      label: [`${count} more ${refs ? 'references' : 'backreferences'}`],
      selfSize: null,
      retainedSize: null,
      depth: owner.depth + 1,
      root: false,
      highlight: false,
      module: false,
      moreBox: true,
      moreCount: count,
      attrs: {},
      details: {},
    };
    if (this.byKey.has(node.key)) throw new Error(`GraphBuilder: node ${ownerKey} already has a more box`);
    this.push(node);
    this.addEdge({
      from: refs ? ownerKey : node.key,
      to: refs ? node.key : ownerKey,
      kind: 'more',
      owner: ownerKey,
    });
    return node;
  }

  build(): Graph {
    return new Graph({
      direction: this.options.direction,
      maxDepth: this.options.maxDepth,
      title: this.options.title == null ? null : cutText(this.options.title, 200),
      nodes: this.nodes,
      edges: this.edges,
    });
  }

  private push(node: GraphNode): void {
    this.nodes.push(node);
    this.byKey.set(node.key, node);
  }
}

function cutDetails(details: NodeDetails): NodeDetails {
  const out: Record<string, string | number | boolean | null> = {};
  let n = 0;
  for (const [k, v] of Object.entries(details)) {
    if (n++ >= 32) break;
    out[cutText(k, 60)] = typeof v === 'string' ? cutText(v, 1000) : v;
  }
  return out;
}

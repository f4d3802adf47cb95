/**
 * DOT text in objgraph's conventions.
 *
 * Statement shapes and order follow objgraph's `_show_graph`: the header,
 * one `[fontcolor=red]` line per root, then per node in discovery order its
 * label, its HSV fill (white → grey with depth), a white font when the fill
 * is dark, the edges found while expanding it, and its red "N more
 * references" box. Additions: edge labels from V8's edge names, weak edges
 * dashed, internal/hidden edges grey, a font that ships with the package,
 * and a legend.
 */
import type { GraphData, GraphEdge, GraphNode } from './graph.js';
import { dotQuote, formatG } from './escape.js';

export interface DotOptions {
  /** Add a legend cluster explaining colours and edge styles. Default true. */
  legend?: boolean;
  /** Font family named in the DOT; the PNG renderer ships DejaVu Sans. */
  fontName?: string;
}

/** The font the DOT names, shipped by the `dejavu-fonts-ttf` package and used for PNGs. */
export const DEFAULT_FONT = 'DejaVu Sans';

type HSV = readonly [number, number, number];

/** objgraph's `_gradient`: linear interpolation by depth, safe for maxDepth 0. */
export function gradient(start: HSV, end: HSV, depth: number, maxDepth: number): HSV {
  if (maxDepth === 0) return start;
  const t = depth / maxDepth;
  return [
    start[0] + (end[0] - start[0]) * t,
    start[1] + (end[1] - start[1]) * t,
    start[2] + (end[2] - start[2]) * t,
  ];
}

const WHITE: HSV = [0, 0, 1];
const GREY: HSV = [0, 0, 0.3];
const RED_BRIGHT: HSV = [0, 1, 1];
const RED_DARK: HSV = [0, 1, 0.3];

/** The fill of an object node: depth gradient, green for modules, blue for highlights. */
export function nodeFill(node: Pick<GraphNode, 'depth' | 'module' | 'highlight'>, maxDepth: number): HSV {
  let [h, s, v] = gradient(WHITE, GREY, node.depth, maxDepth);
  if (node.module) {
    h = 0.3;
    s = 1;
  }
  if (node.highlight) {
    h = 0.6;
    s = 0.6;
    v = 0.5 + v * 0.5;
  }
  return [h, s, v];
}

function hsv(c: HSV): string {
  return `"${formatG(c[0])},${formatG(c[1])},${formatG(c[2])}"`;
}

const STYLE_ATTR: Record<GraphEdge['style'], string | null> = {
  solid: null,
  dashed: 'style=dashed',
  dotted: 'style=dotted',
  bold: 'style=bold',
};

function colorValue(color: string): string {
  // Colours are checked by the builder; names stay bare as objgraph writes them.
  return /^[A-Za-z][A-Za-z0-9]*$/.test(color) ? color : dotQuote(color);
}

function edgeLine(e: GraphEdge, byKey: Map<string, GraphNode>): string {
  const from = byKey.get(e.from)!.dotId;
  const to = byKey.get(e.to)!.dotId;
  if (e.kind === 'more') {
    // objgraph: `o1->too_many_o1[color=red,style=dotted,len=0.25,weight=10];`
    return `  ${from}->${to}[color=red,style=dotted,len=0.25,weight=10];`;
  }
  const attrs: string[] = [];
  if (e.label !== null) attrs.push(`label=${dotQuote(e.label)}`);
  if (e.weight !== null) attrs.push(`weight=${e.weight}`);
  const style = STYLE_ATTR[e.style];
  if (style) attrs.push(style);
  if (e.color !== null) {
    const c = colorValue(e.color);
    attrs.push(`color=${c}`);
    if (e.label !== null) attrs.push(`fontcolor=${c}`);
  }
  return attrs.length ? `  ${from} -> ${to} [${attrs.join(',')}];` : `  ${from} -> ${to};`;
}

/** Writes `graph` as DOT text. */
export function toDot(graph: GraphData, options: DotOptions = {}): string {
  const font = options.fontName ?? DEFAULT_FONT;
  const out: string[] = [];
  out.push('digraph ObjectGraph {');
  out.push(`  node[shape=box, style=filled, fillcolor=white, fontname=${dotQuote(font)}];`);
  out.push(`  edge[fontname=${dotQuote(font)}];`);

  const byKey = new Map<string, GraphNode>();
  for (const n of graph.nodes) byKey.set(n.key, n);
  const edgesByOwner = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) {
    let list = edgesByOwner.get(e.owner);
    if (!list) edgesByOwner.set(e.owner, (list = []));
    list.push(e);
  }

  for (const n of graph.nodes) {
    if (n.root && !n.moreBox) out.push(`  ${n.dotId}[fontcolor=red];`);
  }

  // More boxes are written right after their owner's edges, as objgraph does.
  const moreBoxOf = new Map<string, GraphNode>();
  for (const e of graph.edges) {
    if (e.kind !== 'more') continue;
    const box = byKey.get(e.from === e.owner ? e.to : e.from)!;
    if (box.moreBox) moreBoxOf.set(e.owner, box);
  }
  const written = new Set<string>();

  for (const n of graph.nodes) {
    if (n.moreBox) continue;
    let labelStmt = `  ${n.dotId}[label=${dotQuote(n.label.join('\n'))}`;
    for (const name of Object.keys(n.attrs).sort()) labelStmt += `, ${name}=${dotQuote(n.attrs[name]!)}`;
    out.push(labelStmt + '];');
    const fill = nodeFill(n, graph.maxDepth);
    out.push(`  ${n.dotId}[fillcolor=${hsv(fill)}];`);
    if (fill[2] < 0.5) out.push(`  ${n.dotId}[fontcolor=white];`);
    for (const e of edgesByOwner.get(n.key) ?? []) out.push(edgeLine(e, byKey));
    const box = moreBoxOf.get(n.key);
    if (box) {
      out.push(...moreBoxLines(box, graph.maxDepth));
      written.add(box.key);
    }
  }
  // A more box whose owner edge is missing (hand-built data): still draw it.
  for (const n of graph.nodes) {
    if (n.moreBox && !written.has(n.key)) out.push(...moreBoxLines(n, graph.maxDepth));
  }

  if (options.legend ?? true) out.push(...legendLines(graph, font));
  out.push('}');
  return out.join('\n') + '\n';
}

function moreBoxLines(box: GraphNode, maxDepth: number): string[] {
  const fill = gradient(RED_BRIGHT, RED_DARK, box.depth, maxDepth);
  return [
    `  ${box.dotId}[label=${dotQuote(box.label.join('\n'))},shape=box,height=0.25,color=red,fillcolor=${hsv(fill)},fontsize=6];`,
    `  ${box.dotId}[fontcolor=white];`,
  ];
}

/**
 * A legend cluster: what the colours and line styles mean. Entries for
 * highlights, more boxes, modules and each edge style appear only when the
 * graph uses them.
 */
function legendLines(graph: GraphData, font: string): string[] {
  const refs = graph.direction === 'refs';
  const has = (p: (n: GraphNode) => boolean): boolean => graph.nodes.some(p);
  const edgeHas = (p: (e: GraphEdge) => boolean): boolean => graph.edges.some(p);
  const L: string[] = [];
  L.push('  subgraph cluster_legend {');
  L.push(`    label="Legend"; fontname=${dotQuote(font)}; fontsize=10; color=grey70; style=dashed;`);
  L.push('    node[fontsize=9, height=0.3]; edge[fontsize=9];');
  // Entries stack top to bottom, chained by invisible edges.
  const entries: string[] = [];
  const entry = (name: string, attrs: string): void => {
    L.push(`    ${name}[${attrs}];`);
    entries.push(name);
  };
  entry('legend_root', 'label="red text: the objects asked about", fontcolor=red');
  const deep = gradient(WHITE, GREY, graph.maxDepth, graph.maxDepth);
  entry(
    'legend_depth',
    `label=${dotQuote(`white to grey: ${refs ? 'references' : 'referrers'} 0 to ${graph.maxDepth} steps away`)}, fillcolor=${hsv(deep)}${deep[2] < 0.5 ? ', fontcolor=white' : ''}`,
  );
  if (has((n) => n.selfSize !== null || n.retainedSize !== null)) {
    entry('legend_sizes', 'label="class\\ndescription\\nself size / retained size"');
  }
  if (has((n) => n.highlight)) {
    entry('legend_highlight', `label="blue: highlighted", fillcolor=${hsv(nodeFill({ depth: 0, module: false, highlight: true }, graph.maxDepth))}`);
  }
  if (has((n) => n.module)) {
    entry('legend_module', `label="green: global or module, not expanded", fillcolor=${hsv(nodeFill({ depth: 0, module: true, highlight: false }, graph.maxDepth))}`);
  }
  if (has((n) => n.moreBox)) {
    entry('legend_more', `label=${dotQuote(`red: more ${refs ? 'references' : 'backreferences'} than tooMany`)}, color=red, fillcolor="0,1,1", fontcolor=white`);
  }
  const samples: Array<[string, string]> = [['reference', '']];
  if (edgeHas((e) => e.kind === 'internal' || e.kind === 'hidden')) samples.push(['internal (V8)', ',color=grey50,fontcolor=grey50']);
  if (edgeHas((e) => e.style === 'dashed')) samples.push(['weak: does not retain', ',style=dashed']);
  if (edgeHas((e) => e.kind === 'shortcut')) samples.push(['shortcut', ',style=dotted,color=grey50,fontcolor=grey50']);
  samples.forEach(([text, attrs], i) => {
    L.push(`    legend_e${i}a[label="", shape=point, width=0.05]; legend_e${i}b[label="", shape=point, width=0.05];`);
    L.push(`    { rank=same; legend_e${i}a -> legend_e${i}b [label=${dotQuote(text)}${attrs},minlen=3]; }`);
    entries.push(`legend_e${i}a`);
  });
  L.push(`    ${entries.join(' -> ')} [style=invis];`);
  L.push('  }');
  return L;
}

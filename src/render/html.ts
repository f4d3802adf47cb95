/**
 * One self-contained HTML page for a reference graph: the SVG inline, pan
 * (drag) and zoom (wheel), a search box that highlights nodes by class name,
 * and a details panel (id, class, sizes, edges) when a node is clicked.
 *
 * Nothing is fetched: a Content-Security-Policy allows no network at all and
 * only this page's own script and style (by hash). Heap text reaches the
 * page only XML-escaped inside the SVG (Graphviz) and as JSON in a
 * `<script type="application/json">` with `<`, `>` and `&` written as
 * `\u` escapes; the page's script puts it on screen with `textContent`.
 */
import { createHash } from 'node:crypto';
import type { GraphData } from './graph.js';
import { escapeHtml, jsonForScript } from './escape.js';
import { svgElement } from './svg.js';

export interface HtmlOptions {
  /** Page title; defaults to the graph's title or "references"/"backreferences". */
  title?: string;
}

/** The graph data the page's script reads (keyed by Graphviz node name). */
export interface PageData {
  title: string;
  direction: GraphData['direction'];
  maxDepth: number;
  nodes: Array<{
    dotId: string;
    key: string;
    id: number | null;
    className: string;
    label: readonly string[];
    selfSize: number | null;
    retainedSize: number | null;
    depth: number;
    root: boolean;
    highlight: boolean;
    module: boolean;
    moreBox: boolean;
    moreCount: number | null;
    details: Readonly<Record<string, string | number | boolean | null>>;
  }>;
  edges: Array<{ from: string; to: string; label: string | null; kind: string }>;
}

export function pageData(graph: GraphData, title: string): PageData {
  const dotIdOf = new Map(graph.nodes.map((n) => [n.key, n.dotId]));
  return {
    title,
    direction: graph.direction,
    maxDepth: graph.maxDepth,
    nodes: graph.nodes.map((n) => ({
      dotId: n.dotId,
      key: n.key,
      id: n.id,
      className: n.className,
      label: n.label,
      selfSize: n.selfSize,
      retainedSize: n.retainedSize,
      depth: n.depth,
      root: n.root,
      highlight: n.highlight,
      module: n.module,
      moreBox: n.moreBox,
      moreCount: n.moreCount,
      details: n.details,
    })),
    edges: graph.edges.map((e) => ({ from: dotIdOf.get(e.from)!, to: dotIdOf.get(e.to)!, label: e.label, kind: e.kind })),
  };
}

const STYLE = `
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:14px "DejaVu Sans",system-ui,sans-serif;color:#222;background:#fff}
body{display:flex;flex-direction:column}
header{display:flex;gap:8px;align-items:center;padding:6px 10px;border-bottom:1px solid #ccc;background:#f6f6f6}
header h1{font-size:15px;margin:0 12px 0 0;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:40%}
header input{font:inherit;padding:3px 6px;width:16em}
header button{font:inherit}
#count{color:#555;min-width:7em}
#main{flex:1;display:flex;min-height:0}
#viewport{flex:1;overflow:hidden;position:relative;cursor:grab;touch-action:none;background:#fff}
#viewport.dragging{cursor:grabbing}
#stage{position:absolute;left:0;top:0;transform-origin:0 0}
#stage svg{display:block}
g.node{cursor:pointer}
g.node.match>polygon,g.node.match>ellipse{stroke:#ff5a00;stroke-width:4px}
g.node.selected>polygon,g.node.selected>ellipse{stroke:#0050ff;stroke-width:4px}
#stage.searching g.node:not(.match),#stage.searching g.edge{opacity:.3}
#details{width:340px;overflow:auto;border-left:1px solid #ccc;padding:8px 12px;background:#fafafa}
#details h2{font-size:16px;margin:4px 0 8px;word-break:break-all}
#details table{border-collapse:collapse;width:100%}
#details th{text-align:left;font-weight:normal;color:#666;padding:2px 8px 2px 0;vertical-align:top;white-space:nowrap}
#details td{padding:2px 0;word-break:break-all}
#details h3{font-size:14px;margin:12px 0 4px}
#details ul{margin:0;padding-left:18px}
#details li button{font:inherit;border:0;background:none;color:#0645ad;cursor:pointer;padding:0;text-align:left;word-break:break-all}
#details pre{white-space:pre-wrap;word-break:break-all;background:#fff;border:1px solid #ddd;padding:4px;margin:4px 0}
`;

const SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('graph-data').textContent);
  var byDotId = Object.create(null);
  data.nodes.forEach(function (n) { byDotId[n.dotId] = n; n.out = []; n.in = []; });
  data.edges.forEach(function (e) {
    if (byDotId[e.from]) byDotId[e.from].out.push(e);
    if (byDotId[e.to]) byDotId[e.to].in.push(e);
  });
  var viewport = document.getElementById('viewport');
  var stage = document.getElementById('stage');
  var svg = stage.querySelector('svg');
  var details = document.getElementById('details');
  var search = document.getElementById('search');
  var count = document.getElementById('count');
  var gByDotId = Object.create(null);
  Array.prototype.forEach.call(svg.querySelectorAll('g.node'), function (g) {
    var t = g.querySelector('title');
    var id = t ? t.textContent : '';
    if (byDotId[id]) { gByDotId[id] = g; g.setAttribute('data-node', id); }
  });
  // Size the SVG in CSS pixels from its viewBox; the stage transform does the rest.
  var vb = svg.viewBox && svg.viewBox.baseVal;
  var W = vb && vb.width ? vb.width : svg.getBoundingClientRect().width;
  var H = vb && vb.height ? vb.height : svg.getBoundingClientRect().height;
  svg.setAttribute('width', String(W));
  svg.setAttribute('height', String(H));

  var k = 1, tx = 0, ty = 0;
  function apply() { stage.style.transform = 'translate(' + tx + 'px,' + ty + 'px) scale(' + k + ')'; }
  function fit() {
    var r = viewport.getBoundingClientRect();
    k = Math.min(1, (r.width - 20) / W, (r.height - 20) / H);
    if (!(k > 0)) k = 1;
    tx = (r.width - W * k) / 2; ty = Math.max(10, (r.height - H * k) / 2);
    apply();
  }
  function zoomAt(mx, my, factor) {
    var nk = Math.min(20, Math.max(0.02, k * factor));
    tx = mx - (mx - tx) * nk / k; ty = my - (my - ty) * nk / k; k = nk; apply();
  }
  function centerOn(g) {
    var r = viewport.getBoundingClientRect(), b = g.getBoundingClientRect();
    tx += r.left + r.width / 2 - (b.left + b.width / 2);
    ty += r.top + r.height / 2 - (b.top + b.height / 2);
    apply();
  }
  viewport.addEventListener('wheel', function (e) {
    e.preventDefault();
    var r = viewport.getBoundingClientRect();
    zoomAt(e.clientX - r.left, e.clientY - r.top, Math.exp(-e.deltaY * 0.0015));
  }, { passive: false });
  var drag = null;
  viewport.addEventListener('pointerdown', function (e) {
    if (e.button !== 0) return;
    var g = e.target && e.target.closest ? e.target.closest('g.node[data-node]') : null;
    drag = { x: e.clientX, y: e.clientY, tx: tx, ty: ty, moved: false, node: g ? g.getAttribute('data-node') : null };
  });
  window.addEventListener('pointermove', function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && dx * dx + dy * dy < 16) return;
    drag.moved = true; viewport.classList.add('dragging');
    tx = drag.tx + dx; ty = drag.ty + dy; apply();
  });
  window.addEventListener('pointerup', function () {
    if (!drag) return;
    var d = drag; drag = null; viewport.classList.remove('dragging');
    if (!d.moved && d.node) select(d.node);
  });

  function fmtBytes(b) {
    if (b === null || b === undefined) return '\\u2014';
    if (b < 1024) return b + ' B';
    var u = ['KiB', 'MiB', 'GiB', 'TiB'], v = b / 1024, i = 0;
    while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
    return (v < 10 ? v.toFixed(1) : Math.round(v)) + ' ' + u[i] + ' (' + b + ' B)';
  }
  function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); return e; }
  function row(table, name, value) {
    var tr = el('tr'); tr.appendChild(el('th', name)); tr.appendChild(el('td', value)); table.appendChild(tr);
  }
  function nodeName(n) { return n.moreBox ? n.label.join(' ') : n.className + (n.id !== null ? ' @' + n.id : ''); }
  function edgeList(title, edges, otherEnd) {
    details.appendChild(el('h3', title + ' (' + edges.length + ')'));
    var ul = el('ul');
    edges.forEach(function (e) {
      var other = byDotId[otherEnd(e)];
      var li = el('li');
      var text = (e.label !== null ? e.label : '') + ' [' + e.kind + '] ' + (other ? nodeName(other) : '?');
      var b = el('button', text);
      b.addEventListener('click', function () { if (other) { select(other.dotId); centerOn(gByDotId[other.dotId]); } });
      li.appendChild(b); ul.appendChild(li);
    });
    details.appendChild(ul);
  }
  var selected = null;
  function select(dotId) {
    var n = byDotId[dotId]; if (!n) return;
    if (selected && gByDotId[selected]) gByDotId[selected].classList.remove('selected');
    selected = dotId; if (gByDotId[dotId]) gByDotId[dotId].classList.add('selected');
    details.textContent = '';
    details.hidden = false;
    details.appendChild(el('h2', n.moreBox ? n.label.join(' ') : n.className));
    var t = el('table'); t.id = 'details-table';
    row(t, 'id', n.id === null ? '\\u2014' : n.id);
    row(t, 'class', n.className);
    row(t, 'self size', fmtBytes(n.selfSize));
    row(t, 'retained size', fmtBytes(n.retainedSize));
    row(t, 'depth', n.depth);
    var flags = [];
    if (n.root) flags.push('root'); if (n.highlight) flags.push('highlighted');
    if (n.module) flags.push('global/module'); if (n.moreBox) flags.push(n.moreCount + ' not drawn');
    if (flags.length) row(t, 'flags', flags.join(', '));
    Object.keys(n.details).forEach(function (key) { row(t, key, n.details[key]); });
    details.appendChild(t);
    var pre = el('pre', n.label.join('\\n')); details.appendChild(pre);
    edgeList('References', n.out, function (e) { return e.to; });
    edgeList('Referrers', n.in, function (e) { return e.from; });
  }
  var matches = [], current = -1;
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    matches = []; current = -1;
    data.nodes.forEach(function (n) {
      var g = gByDotId[n.dotId]; if (!g) return;
      var hit = q !== '' && !n.moreBox && (n.className.toLowerCase().indexOf(q) >= 0 || (n.id !== null && String(n.id) === q));
      g.classList.toggle('match', hit);
      if (hit) matches.push(n.dotId);
    });
    stage.classList.toggle('searching', q !== '');
    count.textContent = q === '' ? '' : matches.length + (matches.length === 1 ? ' match' : ' matches');
  }
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && matches.length) {
      current = (current + 1) % matches.length;
      centerOn(gByDotId[matches[current]]); select(matches[current]);
    }
  });
  document.getElementById('fit').addEventListener('click', fit);
  document.getElementById('zoom-in').addEventListener('click', function () { var r = viewport.getBoundingClientRect(); zoomAt(r.width / 2, r.height / 2, 1.25); });
  document.getElementById('zoom-out').addEventListener('click', function () { var r = viewport.getBoundingClientRect(); zoomAt(r.width / 2, r.height / 2, 0.8); });
  window.addEventListener('resize', fit);
  fit();
  document.body.setAttribute('data-ready', 'true');
})();
`;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** Builds the page from the graph and its SVG (Graphviz output). */
export function graphToHtml(graph: GraphData, svg: string, options: HtmlOptions = {}): string {
  const title =
    options.title ??
    graph.title ??
    `${graph.direction === 'refs' ? 'references' : 'backreferences'} (${graph.nodes.filter((n) => !n.moreBox).length} nodes)`;
  const data = pageData(graph, title);
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(SCRIPT)}'`,
    `style-src 'sha256-${sha256(STYLE)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="objgraph">
<title>${escapeHtml('objgraph: ' + title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<input id="search" type="search" placeholder="Search class name or id" autocomplete="off" aria-label="Search class name or id">
<span id="count" role="status"></span>
<button id="zoom-out" type="button" title="Zoom out">&minus;</button>
<button id="zoom-in" type="button" title="Zoom in">+</button>
<button id="fit" type="button">Fit</button>
</header>
<div id="main">
<div id="viewport"><div id="stage">
${svgElement(svg)}
</div></div>
<aside id="details" hidden></aside>
</div>
<script type="application/json" id="graph-data">${jsonForScript(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/**
 * DOT → SVG, synchronously: Graphviz compiled to WebAssembly (@viz-js/viz)
 * in the render worker by default, or the system `dot` with
 * `renderer: 'dot'`.
 */
import { spawnSync } from 'node:child_process';
import { callRenderer, DEFAULT_TIMEOUT_MS } from './worker-client.js';

export type Renderer = 'wasm' | 'dot';

export interface SvgOptions {
  /** `'wasm'` (default: bundled Graphviz, nothing to install) or `'dot'` (the Graphviz on PATH). */
  renderer?: Renderer;
  /** How long a render may take, in milliseconds (default 120 000). */
  timeoutMs?: number;
}

/** Lays out DOT text and returns SVG text. */
export function dotToSvg(dot: string, options: SvgOptions = {}): string {
  const renderer = options.renderer ?? 'wasm';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (renderer === 'dot') return runDot(dot, 'svg', timeoutMs).toString('utf8');
  if (renderer !== 'wasm') throw new TypeError(`Unknown renderer ${JSON.stringify(renderer)} (use 'wasm' or 'dot')`);
  const res = callRenderer({ op: 'svg', dot }, timeoutMs);
  if (typeof res.svg !== 'string') throw new Error('objgraph render worker returned no SVG');
  return res.svg;
}

/** Runs the system Graphviz `dot -T<format>` on DOT text. */
export function runDot(dot: string, format: 'svg' | 'png', timeoutMs: number = DEFAULT_TIMEOUT_MS): Buffer {
  const result = spawnSync('dot', [`-T${format}`], {
    input: dot,
    maxBuffer: 1 << 30,
    timeout: timeoutMs,
    windowsHide: true,
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(
        "renderer 'dot' was asked for, but Graphviz's `dot` is not on PATH; " +
          "leave `renderer` unset to use the bundled WebAssembly Graphviz",
      );
    }
    throw new Error(`dot -T${format} failed: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const err = result.stderr.toString('utf8').trim().slice(0, 2000);
    throw new Error(`dot -T${format} failed (exit code ${String(result.status ?? result.signal)}): ${err}`);
  }
  return result.stdout;
}

/**
 * The `<svg>…</svg>` element of Graphviz's output, without the XML
 * declaration, DOCTYPE and leading comments, for inlining into HTML.
 */
export function svgElement(svg: string): string {
  const start = svg.indexOf('<svg');
  const end = svg.lastIndexOf('</svg>');
  if (start < 0 || end < start) throw new Error('not an SVG document: no <svg> element');
  return svg.slice(start, end + '</svg>'.length);
}

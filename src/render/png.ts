/**
 * DOT/SVG → PNG, synchronously, with @resvg/resvg-js in the render worker
 * and the DejaVu Sans font shipped by the `dejavu-fonts-ttf` package: no
 * system font is loaded, so text renders the same on a machine that has none.
 */
import { createRequire } from 'node:module';
import { callRenderer, DEFAULT_TIMEOUT_MS } from './worker-client.js';
import { runDot, type Renderer } from './svg.js';
import { DEFAULT_FONT } from './dot.js';
import type { PngParams } from './worker-protocol.js';

export interface PngOptions {
  renderer?: Renderer;
  timeoutMs?: number;
  /** Zoom over Graphviz's natural size (1 = 96 dpi). Default 1. */
  scale?: number;
  /** Longest side in pixels; bigger pictures are scaled down to fit. Default 16 000. */
  maxSide?: number;
}

const require = createRequire(import.meta.url);

/** Paths of the bundled font files (DejaVu Sans regular and bold). */
export function bundledFontFiles(): string[] {
  return [
    require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  ];
}

function params(options: PngOptions): PngParams {
  const scale = options.scale ?? 1;
  const maxSide = options.maxSide ?? 16_000;
  if (!(scale > 0 && scale <= 16)) throw new RangeError(`PNG scale must be in (0, 16], got ${scale}`);
  if (!(maxSide >= 16 && maxSide <= 32_000)) throw new RangeError(`PNG maxSide must be in [16, 32000], got ${maxSide}`);
  return { scale, maxSide, fontFiles: bundledFontFiles(), fontFamily: DEFAULT_FONT };
}

function toBuffer(png: Uint8Array | undefined): Buffer {
  if (!png) throw new Error('objgraph render worker returned no PNG');
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
}

/** Lays out DOT text and rasterises it to PNG bytes. */
export function dotToPng(dot: string, options: PngOptions = {}): Buffer {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if ((options.renderer ?? 'wasm') === 'dot') return runDot(dot, 'png', timeoutMs);
  return toBuffer(callRenderer({ op: 'png', dot, png: params(options) }, timeoutMs).png);
}

/** Rasterises SVG text to PNG bytes with the bundled font. */
export function svgToPng(svg: string, options: Omit<PngOptions, 'renderer'> = {}): Buffer {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return toBuffer(callRenderer({ op: 'svg2png', svg, png: params(options) }, timeoutMs).png);
}

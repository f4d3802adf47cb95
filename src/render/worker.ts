/**
 * The render worker: Graphviz (WebAssembly, @viz-js/viz) and the PNG
 * rasteriser (@resvg/resvg-js) live here, in their own isolate, so their
 * memory and code never appear in the main isolate's heap (whose snapshots
 * the library takes). The main thread blocks on a SharedArrayBuffer until a
 * response is posted: see worker-client.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { RENDER_LIFE, type PngParams, type RenderRequest, type RenderResponse } from './worker-protocol.js';
import { announceStart } from '../snapshot/worker-life.js';

interface VizInstance {
  render(
    src: string,
    options?: { format?: string },
  ): { status: 'success' | 'failure'; output?: string; errors: Array<{ level?: string; message: string }> };
}

const data = workerData as { port: MessagePort; signal: SharedArrayBuffer };
const port = data.port;
const flag = new Int32Array(data.signal);
announceStart(flag, RENDER_LIFE, [0]);

let vizPromise: Promise<VizInstance> | null = null;

function viz(): Promise<VizInstance> {
  if (!vizPromise) {
    vizPromise = import('@viz-js/viz').then((m) => m.instance() as Promise<VizInstance>);
    vizPromise.catch(() => {
      vizPromise = null;
    });
  }
  return vizPromise;
}

type ResvgModule = typeof import('@resvg/resvg-js');
let resvgModule: ResvgModule | null = null;

async function resvg(): Promise<ResvgModule> {
  if (!resvgModule) resvgModule = await import('@resvg/resvg-js');
  return resvgModule;
}

async function layout(dot: string): Promise<{ svg: string; warnings: string[] }> {
  const v = await viz();
  const result = v.render(dot, { format: 'svg' });
  const warnings = result.errors.filter((e) => e.level === 'warning').map((e) => e.message.trim());
  if (result.status !== 'success' || typeof result.output !== 'string') {
    const msg = result.errors.filter((e) => e.level !== 'warning').map((e) => e.message.trim()).join('; ');
    throw new Error(`Graphviz could not lay out the graph: ${msg || 'unknown error'}`);
  }
  return { svg: result.output, warnings };
}

async function rasterise(svg: string, p: PngParams): Promise<Uint8Array> {
  const { Resvg } = await resvg();
  const font = {
    loadSystemFonts: false,
    fontFiles: p.fontFiles,
    defaultFontFamily: p.fontFamily,
    sansSerifFamily: p.fontFamily,
    serifFamily: p.fontFamily,
    monospaceFamily: p.fontFamily,
  };
  const probe = new Resvg(svg, { font, fitTo: { mode: 'original' }, logLevel: 'off' });
  const side = Math.max(probe.width, probe.height, 1);
  const zoom = Math.min(p.scale, p.maxSide / side);
  const r = zoom === 1 ? probe : new Resvg(svg, { font, fitTo: { mode: 'zoom', value: zoom }, logLevel: 'off' });
  const png = r.render().asPng();
  // A fresh buffer of our own, so it can be transferred without a copy on the other side.
  const out = new Uint8Array(png.length);
  out.set(png);
  return out;
}

async function handle(req: RenderRequest): Promise<RenderResponse> {
  switch (req.op) {
    case 'ping':
      return { id: req.id, ok: true };
    case 'warm':
      await viz();
      await resvg();
      return { id: req.id, ok: true };
    case 'svg': {
      const { svg, warnings } = await layout(req.dot);
      return { id: req.id, ok: true, svg, warnings };
    }
    case 'png': {
      const { svg, warnings } = await layout(req.dot);
      return { id: req.id, ok: true, png: await rasterise(svg, req.png), warnings };
    }
    case 'svg2png':
      return { id: req.id, ok: true, png: await rasterise(req.svg, req.png) };
  }
}

parentPort!.on('message', (req: RenderRequest) => {
  void (async () => {
    let res: RenderResponse;
    try {
      res = await handle(req);
    } catch (err) {
      res = { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    try {
      const transfer = res.ok && res.png ? [res.png.buffer as ArrayBuffer] : [];
      port.postMessage(res, transfer);
    } catch (err) {
      port.postMessage({ id: req.id, ok: false, error: `render worker could not send its result: ${String(err)}` });
    }
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  })();
});

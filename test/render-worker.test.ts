import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callRenderer, disposeRenderer, rendererRunning, warmUpRenderer } from '../src/render/worker-client.js';
import { seedGraph } from './render-helpers.js';

const graphModule = fileURLToPath(new URL('../src/render/graph.js', import.meta.url));

function runChild(code: string, args: string[] = [], timeout = 30_000): { status: number | null; stdout: string; stderr: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [...args, '--input-type=module', '-e', code], { encoding: 'utf8', timeout });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

test('rendering is synchronous: values, not promises', () => {
  const g = seedGraph();
  const svg = g.toSvg();
  const png = g.toPng();
  assert.equal(typeof svg, 'string');
  assert.ok(Buffer.isBuffer(png));
  assert.ok(rendererRunning());
});

test('the worker does not keep the process alive', () => {
  // If the worker (or its port) were ref'd, the child would never exit and spawnSync would time out.
  const r = runChild(
    `import { GraphBuilder } from ${JSON.stringify(graphModule)};
     const b = new GraphBuilder({ direction: 'refs', maxDepth: 1 });
     b.addNode({ key: '1', className: 'A', depth: 0 });
     const svg = b.build().toSvg(); const png = b.build().toPng();
     process.stdout.write(svg.includes('<svg') && png.length > 100 ? 'ok' : 'bad');`,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'ok');
  assert.ok(r.ms < 20_000, `child took ${r.ms} ms to exit`);
});

test('Graphviz and the rasteriser stay out of the main isolate', () => {
  // The main heap grows by about the result only, however large Graphviz's WebAssembly memory is.
  const r = runChild(
    `import { GraphBuilder } from ${JSON.stringify(graphModule)};
     const b = new GraphBuilder({ direction: 'refs', maxDepth: 3 });
     for (let i = 0; i < 60; i++) b.addNode({ key: String(i), className: 'C' + i, depth: Math.min(3, i % 4) });
     for (let i = 1; i < 60; i++) b.addEdge({ from: String(Math.floor(i / 3)), to: String(i), label: 'p' + i });
     const g = b.build();
     gc(); const before = process.memoryUsage();
     let keep = 0;
     for (let i = 0; i < 3; i++) { keep += g.toSvg().length + g.toPng().length; }
     gc(); const after = process.memoryUsage();
     process.stdout.write(JSON.stringify({ heap: after.heapUsed - before.heapUsed, ext: after.external - before.external, ab: after.arrayBuffers - before.arrayBuffers, keep }));`,
    ['--expose-gc'],
  );
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout) as { heap: number; ext: number; ab: number; keep: number };
  assert.ok(m.keep > 1000);
  assert.ok(m.heap < 2 * 1024 * 1024, `main heap grew by ${m.heap} bytes`);
  assert.ok(m.ab < 2 * 1024 * 1024, `main array buffers grew by ${m.ab} bytes`);
  // Loading Graphviz here would add its WebAssembly memory (~19 MB) to external memory.
  assert.ok(m.ext < 4 * 1024 * 1024, `main external memory grew by ${m.ext} bytes`);
});

test('disposeRenderer ends the worker; the next render starts a new one', () => {
  seedGraph().toSvg();
  assert.ok(rendererRunning());
  disposeRenderer();
  assert.ok(!rendererRunning());
  assert.match(seedGraph().toSvg(), /<svg/);
  assert.ok(rendererRunning());
  disposeRenderer();
  warmUpRenderer();
  assert.ok(rendererRunning());
});

test('errors come back as exceptions; a stuck render times out instead of hanging', () => {
  assert.equal(callRenderer({ op: 'ping' }).ok, true);
  assert.throws(() => callRenderer({ op: 'svg', dot: 'graph {' }), /syntax error/);
  assert.throws(() => callRenderer({ op: 'svg2png', svg: 'not svg at all', png: { scale: 1, maxSide: 100, fontFiles: [], fontFamily: 'x' } }), /./);
  // Enough work that 1 ms cannot be enough: the caller gets an error and a fresh worker next time.
  const big = 'digraph {' + Array.from({ length: 3000 }, (_, i) => `n${i} -> n${(i * 7) % 3000};`).join('') + '}';
  assert.throws(() => callRenderer({ op: 'svg', dot: big }, 1), /did not answer within 1 ms/);
  assert.ok(!rendererRunning());
  assert.equal(callRenderer({ op: 'ping' }).ok, true);
});

test('a render worker that never starts, or dies, is an error within seconds, not after the two-minute timeout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'objgraph-render-'));
  try {
    const client = JSON.stringify(fileURLToPath(new URL('../src/render/worker-client.js', import.meta.url)));
    const code = `import { callRenderer } from ${client};
      try { callRenderer({ op: 'ping' }); console.log('answered'); } catch (e) { console.log(e.message); }`;
    // A preload that throws in every worker thread: the worker never runs its script.
    const never = join(dir, 'never.cjs');
    writeFileSync(never, "if (!require('node:worker_threads').isMainThread) throw new Error('no workers here');\n");
    const r1 = spawnSync(process.execPath, ['--require', never, '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: `--require ${never}` } });
    assert.equal(r1.status, 0, r1.stderr);
    assert.match(r1.stdout, /render worker did not start within 5 s/);
    // A worker that dies once started, while the caller waits on it.
    const dies = join(dir, 'dies.cjs');
    writeFileSync(
      dies,
      `const wt = require('node:worker_threads');
       if (!wt.isMainThread) {
         const on = wt.MessagePort.prototype.on;
         wt.MessagePort.prototype.on = function (event, listener) {
           return on.call(this, event, event === 'message' ? () => { throw new Error('gone'); } : listener);
         };
       }\n`,
    );
    const r2 = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: `--require ${dies}` } });
    assert.equal(r2.status, 0, r2.stderr);
    assert.match(r2.stdout, /render worker stopped before it answered/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

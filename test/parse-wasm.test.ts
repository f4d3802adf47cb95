import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SnapshotParser } from '../src/index.js';
import type { SnapshotData } from '../src/snapshot/parser.js';
import { WasmNumbers } from '../src/snapshot/numbers.js';
import { syntheticSnapshot, type SyntheticEdge, type SyntheticNode } from './synthetic.js';

/** A deterministic pseudo-random sequence (xorshift32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

/**
 * A snapshot whose numbers have every length from 1 to 20 digits (self sizes
 * up to 10^20, ids up to 2^32 - 2, names and edge targets of all sizes), with
 * locations, and samples that include negative numbers.
 */
function numbersSnapshot(): string {
  const rnd = random(12345);
  const nodes: SyntheticNode[] = [{ type: 'synthetic', name: '', id: 1, size: 0 }];
  for (let i = 1; i < 4000; i++) {
    const digits = 1 + (i % 20);
    const size = Math.floor(rnd() * 10 ** digits);
    nodes.push({ type: i % 3 === 0 ? 'string' : 'object', name: `n${i % 700}`, id: (i % 5 === 0 ? 0xfffffffe - 2 * i : 2 * i + 1) >>> 0, size });
  }
  const edges: SyntheticEdge[] = [];
  for (let i = 0; i < 12000; i++) {
    const from = Math.floor(rnd() * nodes.length);
    const to = Math.floor(rnd() * nodes.length);
    edges.push(i % 4 === 0 ? [from, 'element', Math.floor(rnd() * 10 ** (1 + (i % 9))), to] : [from, 'property', `p${i % 900}`, to]);
  }
  const locations: number[] = [];
  for (let i = 0; i < 6000; i++) locations.push(Math.floor(rnd() * 10 ** (1 + (i % 12))));
  const samples: number[] = [];
  for (let i = 0; i < 3000; i++) samples.push((i % 7 === 0 ? -1 : 1) * Math.floor(rnd() * 10 ** (1 + (i % 6))));
  return syntheticSnapshot(nodes, edges)
    .replace('"locations":[]', `"locations":[${locations.join(',')}]`)
    .replace('"samples":[]', `"samples":[${samples.join(',')}]`);
}

/** The same text with the separators of the number arrays varied: spaces, tabs, CR LF, V8's newlines. */
function reseparated(text: string, seed: number): string {
  const rnd = random(seed);
  const seps = [',', ',\n', ', ', ' ,\t', ',\r\n', '\n,', ',  '];
  return text.replace(/("(?:nodes|edges|locations|samples)":\[)([^\]]*)\]/g, (_, key: string, body: string) => {
    const values = body.split(',');
    let out = values[0]!;
    for (let k = 1; k < values.length; k++) out += seps[Math.floor(rnd() * seps.length)]! + values[k]!;
    return `${key}${out}]`;
  });
}

function parse(bytes: Uint8Array, chunk: number, wasm: boolean): SnapshotData {
  const parser = new SnapshotParser({ wasm });
  for (let i = 0; i < bytes.length; i += chunk) parser.write(bytes.subarray(i, i + chunk));
  return parser.end();
}

/** How many numbers the WebAssembly scanner parsed while `fn` ran. */
function scannedNumbers(fn: () => void): number {
  const original = WasmNumbers.prototype.scan;
  let numbers = 0;
  WasmNumbers.prototype.scan = function (this: WasmNumbers, buf: Uint8Array, i: number, end: number, n: number) {
    const at = original.call(this, buf, i, end, n);
    numbers += this.count - n;
    return at;
  };
  try {
    fn();
  } finally {
    WasmNumbers.prototype.scan = original;
  }
  return numbers;
}

const fields = ['nodeType', 'nodeName', 'nodeId', 'nodeSelfSize', 'largeSelfSizes', 'firstEdge', 'edgeNames', 'edgeWord', 'locations', 'samples'] as const;

test('the WebAssembly scanner is available on this Node.js', () => {
  assert.ok(WasmNumbers.create() !== null, 'WebAssembly with SIMD should be there');
});

test('the WebAssembly scanner and the JavaScript loop parse the same numbers, whatever the separators, lengths and chunks', () => {
  const base = numbersSnapshot();
  const texts = [base, reseparated(base, 1), reseparated(base, 2), JSON.stringify(JSON.parse(base), null, 1)];
  for (const [t, text] of texts.entries()) {
    const bytes = Buffer.from(text);
    const expected = parse(bytes, bytes.length, false);
    assert.ok(expected.largeSelfSizes.sizes.some((v) => v > 0xffffffff), 'sizes beyond 32 bits were read');
    assert.equal(expected.locations.rows.length, 2 * 1500, '6,000 location numbers, four a row');
    assert.ok(expected.samples.some((v) => v < 0), 'negative samples were read');
    const values = expected.nodeCount * 7 + expected.edgeCount * 3 + 6000 + expected.samples.length;
    for (const chunk of [97, 4096, 65536, bytes.length]) {
      let got: SnapshotData | undefined;
      const scanned = scannedNumbers(() => (got = parse(bytes, chunk, true)));
      // Chunks of 97 bytes are too short for it; numbers of 16 digits and more are left to JavaScript.
      if (chunk >= 4096) assert.ok(scanned > values / 2, `the scanner parsed ${scanned} of ${values} numbers (text ${t}, chunks of ${chunk})`);
      for (const f of fields) assert.deepEqual(got![f], expected[f], `${f}: text ${t}, chunks of ${chunk}`);
    }
  }
  assert.equal(scannedNumbers(() => parse(Buffer.from(base), 65536, false)), 0, 'wasm: false parses in JavaScript only');
});

test('a bad byte deep in an array is reported at the same byte with and without the scanner', () => {
  const text = numbersSnapshot();
  const start = text.indexOf('"edges":[') + 9;
  for (const at of [start + 5000, start + 5001, text.indexOf(']', start) - 3]) {
    const bytes = Buffer.from(text.slice(0, at) + '-' + text.slice(at + 1));
    const messages = [true, false].map((wasm) => {
      try {
        parse(bytes, 65536, wasm);
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    });
    assert.match(messages[0]!, new RegExp(`unexpected '-' in the "edges" array \\(at byte ${at}\\)`));
    assert.equal(messages[0], messages[1]);
  }
});

test('the generated scanner module is what its script makes', () => {
  const script = fileURLToPath(new URL('../../scripts/numbers-wasm.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

/** Runs every ```js block of docs/graphs.md in a child process and checks the `// value` comments of console.log lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..');
const indexUrl = pathToFileURL(path.join(here, '..', 'src', 'index.js')).href;
const doc = readFileSync(path.join(root, 'docs', 'graphs.md'), 'utf8');
const blocks = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

test('docs/graphs.md has runnable examples', () => {
  assert.ok(blocks.length >= 5, `${blocks.length} blocks`);
});

blocks.forEach((block, i) => {
  test(`docs/graphs.md example ${i + 1} runs and prints what its comments say`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'objgraph-docs-'));
    try {
      // Each console.log line with a `// expected` comment also prints a marker to compare.
      const expected: string[] = [];
      const source = block
        .replace(/from 'objgraph'/g, `from ${JSON.stringify(indexUrl)}`)
        .split('\n')
        .map((line) => {
          const m = /^(\s*)console\.log\((.*)\);\s*\/\/ (.*)$/.exec(line);
          if (!m) return line;
          expected.push(m[3]!.trim());
          return `${m[1]}process.stdout.write('@@' + String(${m[2]}) + '\\n');`;
        })
        .join('\n');
      const file = path.join(dir, 'example.mjs');
      writeFileSync(file, source);
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 120_000, cwd: dir });
      assert.equal(r.status, 0, `example ${i + 1} failed:\n${r.stderr}\n${source}`);
      const got = r.stdout.split('\n').filter((l) => l.startsWith('@@')).map((l) => l.slice(2));
      assert.deepEqual(got, expected, r.stdout);
      if (block.includes('filename:')) assert.match(r.stdout, /Graph written to .* \(\d+ nodes\)/);
      if (block.includes('showWhyAlive(')) assert.match(r.stdout, /is alive: .*\n\nShortest path from a root/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

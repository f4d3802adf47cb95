/** Runs every ```js block of docs/graphs.md in a child process and checks the `// value` comments of console.log lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { examples, runExample } from './docs-runner.js';

const blocks = examples('graphs.md');

test('docs/graphs.md has runnable examples', () => {
  assert.ok(blocks.length >= 5, `${blocks.length} blocks`);
});

blocks.forEach((block, i) => {
  test(`docs/graphs.md example ${i + 1} runs and prints what its comments say`, () => {
    const { stdout } = runExample(block, `docs/graphs.md example ${i + 1}`);
    if (block.includes('filename:')) assert.match(stdout, /Graph written to .* \(\d+ nodes\)/);
    if (block.includes('showWhyAlive(')) assert.match(stdout, /is alive: .*\n\nShortest path from a root/);
  });
});

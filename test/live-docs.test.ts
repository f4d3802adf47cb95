/**
 * Runs every ```js block of docs/live-api.md in a child process: it must exit
 * cleanly, its `console.log(x); // value` lines must print `value`, and the
 * comment lines after each `// prints:` must appear in its output, in order,
 * as whole lines (numbers and runs of spaces may differ, `…` is anything).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { examples, runExample } from './docs-runner.js';

const blocks = examples('live-api.md');

/** The expected lines after each `// prints:` of a block. */
function printsBlocks(block: string): string[][] {
  const out: string[][] = [];
  let current: string[] | null = null;
  for (const line of block.split('\n')) {
    if (/^\s*\/\/ prints:\s*$/.test(line)) {
      current = [];
      out.push(current);
    } else if (current !== null && /^\s*\/\/ /.test(line)) {
      current.push(line.replace(/^\s*\/\/ /, ''));
    } else {
      current = null;
    }
  }
  return out;
}

/** A whole-line pattern: digit runs match any number, space runs any spaces, … anything. */
export function linePattern(expected: string): RegExp {
  let re = '';
  for (const token of expected.match(/…|\d+| +|[^\d …]+/g) ?? []) {
    if (token === '…') re += '.*';
    else if (/^\d+$/.test(token)) re += '\\d+';
    else if (/^ +$/.test(token)) re += ' +';
    else re += token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

test('docs/live-api.md has an example per function', () => {
  assert.ok(blocks.length >= 10, `${blocks.length} blocks`);
  const all = blocks.join('\n');
  for (const fn of ['showMostCommonTypes', 'mostCommonTypes', 'showGrowth', 'growth', 'getNewIds', 'byType', 'count', 'id', 'at', 'atAddrs', 'typestats', 'getLeakingObjects', 'isProperModule', 'isRoot', 'Tracker']) {
    assert.match(all, new RegExp(`\\b${fn}\\(|new ${fn}\\(`), fn);
  }
});

test('the prints: pattern matches objgraph lines and nothing looser', () => {
  assert.ok(linePattern('Session      200      +200').test('Session        3        +3'));
  assert.ok(!linePattern('Session      200      +200').test('Session        3        -3'));
  assert.ok(linePattern('Function …').test('Function           6198'));
  assert.ok(!linePattern('Object 1').test('Objects 1'));
});

blocks.forEach((block, i) => {
  test(`docs/live-api.md example ${i + 1} runs and prints what its comments say`, () => {
    const { stdout } = runExample(block, `docs/live-api.md example ${i + 1}`);
    const lines = stdout.split('\n');
    for (const expected of printsBlocks(block)) {
      let at = 0;
      for (const line of expected) {
        const re = linePattern(line);
        const found = lines.findIndex((l, k) => k >= at && re.test(l));
        assert.ok(found >= 0, `example ${i + 1}: no line like ${JSON.stringify(line)} after line ${at} in:\n${stdout}`);
        at = found + 1;
      }
    }
  });
});

/**
 * Runs the ```js blocks of a Markdown page in child processes: each
 * `console.log(expr); // expected` line must print the expected text.
 */
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

/** The ```js blocks of `docs/<page>`. */
export function examples(page: string): string[] {
  const doc = readFileSync(path.join(root, 'docs', page), 'utf8');
  return [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

export interface ExampleRun {
  stdout: string;
  source: string;
}

/** Runs one example; asserts it exits cleanly and prints what its comments say. */
export function runExample(block: string, label: string, nodeArgs: string[] = []): ExampleRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'objgraph-docs-'));
  try {
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
    const r = spawnSync(process.execPath, [...nodeArgs, file], { encoding: 'utf8', timeout: 120_000, cwd: dir });
    assert.equal(r.status, 0, `${label} failed:\n${r.stderr}\n${source}`);
    const got = r.stdout.split('\n').filter((l) => l.startsWith('@@')).map((l) => l.slice(2));
    assert.deepEqual(got, expected, r.stdout);
    return { stdout: r.stdout, source };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Declares one test per example of `docs/<page>`. */
export function testExamples(page: string, minimum: number): void {
  const blocks = examples(page);
  test(`docs/${page} has runnable examples`, () => {
    assert.ok(blocks.length >= minimum, `${blocks.length} blocks`);
  });
  blocks.forEach((block, i) => {
    test(`docs/${page} example ${i + 1} runs and prints what its comments say`, () => {
      runExample(block, `docs/${page} example ${i + 1}`);
    });
  });
}

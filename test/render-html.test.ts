/**
 * The interactive page in real headless Chromium (Debian's package),
 * driven by playwright-core.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { GraphBuilder, type Graph } from '../src/render/graph.js';
import { decodePng, pixelStats } from './render-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Chromium is needed; in CI it is installed here, elsewhere a missing one fails loudly. */
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.env.CI) {
    execSync('apt-get update && apt-get install -y chromium', { stdio: 'inherit', timeout: 900_000 });
    if (existsSync(CHROMIUM)) return;
  }
  assert.fail(
    `Chromium not found at ${CHROMIUM}: the HTML page tests need Debian's chromium package ` +
      '(install it with `apt-get update && apt-get install -y chromium`; with CI set, this test installs it itself)',
  );
}

const EVIL = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

function leakGraph(): Graph {
  const b = new GraphBuilder({ direction: 'backrefs', maxDepth: 3, title: 'why is Session @42 alive? </title><script>window.__pwned=3</script>' });
  b.addNode({ key: '42', id: 42, className: 'Session', description: 'Session {user, cart}', selfSize: 48, retainedSize: 10_240, depth: 0, root: true, details: { type: 'object', distance: 4 } });
  b.addNode({ key: '7', id: 7, className: 'Map', description: '1000 items', selfSize: 32, retainedSize: 2_000_000, depth: 1, highlight: true });
  b.addNode({ key: '5', id: 5, className: '(closure)', description: 'handler @ server.js:12', selfSize: 64, retainedSize: 128, depth: 1 });
  b.addNode({ key: '3', id: 3, className: 'system / Context', depth: 2 });
  b.addNode({ key: '1', id: 1, className: 'global', depth: 3, module: true });
  b.addNode({ key: '66', id: 66, className: EVIL, description: EVIL + 'x'.repeat(1 << 20), depth: 2 });
  b.addEdge({ from: '7', to: '42', label: '"sess-1"', kind: 'entry' });
  b.addEdge({ from: '5', to: '42', label: 'session', kind: 'context' });
  b.addMoreBox('42', 12);
  b.addEdge({ from: '3', to: '7', label: 'sessionCache', kind: 'context' });
  b.addEdge({ from: '66', to: '5', label: EVIL, kind: 'weak' });
  b.addEdge({ from: '1', to: '3', label: 'context', kind: 'internal' });
  return b.build();
}

test('the HTML page works in headless Chromium: visible graph, search, details, pan/zoom, no errors', async (t) => {
  ensureChromium();
  const dir = mkdtempSync(join(tmpdir(), 'objgraph-html-'));
  let context: BrowserContext | undefined;
  // The browser first: while it runs, it still writes to its profile in `dir`.
  t.after(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  });
  const graph = leakGraph();
  const svg = graph.toSvg();
  const file = graph.save(join(dir, 'leak.html'));
  const html = graph.toHtml();
  // The page is self-contained: nothing to fetch.
  assert.doesNotMatch(html, /<(script|link|img|iframe)[^>]+(src|href)=/i);
  assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org\/)/);
  assert.equal(html.split('</script>').length - 1, 2, 'exactly our two script elements close');

  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1200, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const requests: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });

  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  assert.equal(await page.title(), 'objgraph: why is Session @42 alive? </title><script>window.__pwned=3</script>');
  assert.equal(await page.locator('h1').textContent(), 'why is Session @42 alive? </title><script>window.__pwned=3</script>');

  // Graphviz's SVG is well-formed XML by the browser's own parser.
  const parseError = await page.evaluate(
    `(() => { const doc = new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml');
      const err = doc.querySelector('parsererror'); return err ? err.textContent : null; })()`,
  );
  assert.equal(parseError, null);

  // The graph is visible and has every node.
  const svgBox = await page.locator('#stage svg').boundingBox();
  assert.ok(svgBox && svgBox.width > 100 && svgBox.height > 100, `svg box ${JSON.stringify(svgBox)}`);
  assert.ok(await page.locator('#stage svg').isVisible());
  assert.equal(await page.locator('g.node[data-node]').count(), graph.nodes.length);

  // Heap text is shown as text, never run.
  assert.equal(await page.evaluate('window.__pwned'), undefined);
  const evilText = await page.locator('g.node[data-node="o66"] text').first().textContent();
  assert.ok(evilText?.startsWith('</script><script>window.__pwned=1</script>'), evilText ?? '');

  // Search by class name highlights the node.
  await page.fill('#search', 'sess');
  assert.equal(await page.locator('#count').textContent(), '1 match');
  const matches = await page.locator('g.node.match').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-node')));
  assert.deepEqual(matches, ['o42']);
  const stroke = await page.locator('g.node.match > polygon').first().evaluate((p) => (globalThis as unknown as { getComputedStyle(e: unknown): { stroke: string } }).getComputedStyle(p).stroke);
  assert.equal(stroke, 'rgb(255, 90, 0)');
  await page.fill('#search', 'MAP');
  assert.deepEqual(await page.locator('g.node.match').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-node'))), ['o7']);
  await page.fill('#search', 'nothing-like-this');
  assert.equal(await page.locator('#count').textContent(), '0 matches');
  await page.fill('#search', '');
  assert.equal(await page.locator('g.node.match').count(), 0);

  // Click on a node: its details.
  assert.ok(await page.locator('#details').isHidden());
  await page.locator('g.node[data-node="o42"]').click();
  await page.waitForSelector('#details:not([hidden])');
  const rows = await page.locator('#details-table tr').evaluateAll((trs) =>
    Object.fromEntries(trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent])),
  );
  assert.equal(rows['id'], '42');
  assert.equal(rows['class'], 'Session');
  assert.equal(rows['self size'], '48 B');
  assert.equal(rows['retained size'], '10 KiB (10240 B)');
  assert.equal(rows['flags'], 'root');
  assert.equal(rows['distance'], '4');
  assert.equal(await page.locator('#details h2').textContent(), 'Session');
  const details = (await page.locator('#details').textContent()) ?? '';
  assert.match(details, /Referrers \(3\)/);
  assert.match(details, /"sess-1" \[entry\] Map @7/);
  assert.match(details, /session \[context\] \(closure\) @5/);
  assert.ok(await page.locator('g.node[data-node="o42"]').evaluate((g) => g.classList.contains('selected')));

  // Following an edge from the panel selects the other node.
  await page.locator('#details li button', { hasText: 'Map @7' }).click();
  assert.equal(await page.locator('#details h2').textContent(), 'Map');

  // The hostile node's details are text too.
  await page.locator('g.node[data-node="o66"]').click();
  assert.equal(await page.locator('#details h2').textContent(), graph.node('66')!.className);
  assert.equal(await page.evaluate('window.__pwned'), undefined);

  // Zoom with the wheel, pan by dragging.
  const transform = (): Promise<string> => page.locator('#stage').evaluate((s) => (s as unknown as { style: { transform: string } }).style.transform);
  const t0 = await transform();
  await page.mouse.move(600, 400);
  await page.mouse.wheel(0, -400);
  await page.waitForFunction(`document.getElementById('stage').style.transform !== ${JSON.stringify(t0)}`);
  const scaleOf = (s: string): number => Number(/scale\(([^)]+)\)/.exec(s)![1]);
  const t1 = await transform();
  assert.ok(scaleOf(t1) > scaleOf(t0), `${t0} -> ${t1}`);
  await page.mouse.move(300, 300);
  await page.mouse.down();
  await page.mouse.move(400, 350, { steps: 5 });
  await page.mouse.up();
  const t2 = await transform();
  const tr = (s: string): number[] => /translate\(([-\d.e]+)px, ?([-\d.e]+)px\)/.exec(s)!.slice(1).map(Number);
  assert.ok(Math.abs(tr(t2)[0]! - tr(t1)[0]! - 100) < 1 && Math.abs(tr(t2)[1]! - tr(t1)[1]! - 50) < 1, `${t1} -> ${t2}`);
  await page.click('#fit');

  // A screenshot, checked to be far from blank.
  const shot = await page.screenshot({ fullPage: false });
  writeFileSync(join(dir, 'shot.png'), shot);
  if (process.env.OBJGRAPH_KEEP_SCREENSHOT) writeFileSync(process.env.OBJGRAPH_KEEP_SCREENSHOT, shot);
  const stats = pixelStats(decodePng(shot));
  assert.ok(stats.distinct > 50, `screenshot has only ${stats.distinct} colours`);
  assert.ok(stats.white < stats.total * 0.97, 'screenshot is almost all white');
  assert.ok(stats.dark > 500, `screenshot has only ${stats.dark} dark pixels`);

  assert.deepEqual(problems, []);
  assert.deepEqual(requests, []);
});

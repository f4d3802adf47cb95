import { test } from 'node:test';
import assert from 'node:assert/strict';
import { svgToPng } from '../src/render/png.js';
import { decodePng, pixelStats, seedGraph } from './render-helpers.js';

test('seed example to PNG: a real PNG of sensible size, with text, red root and grey boxes', () => {
  const png = seedGraph({ sizes: true }).toPng({ legend: false });
  assert.ok(Buffer.isBuffer(png));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.ok(width >= 150 && width <= 1500, `width ${width}`);
  assert.ok(height >= 150 && height <= 1500, `height ${height}`);
  const img = decodePng(png);
  assert.equal(img.width, width);
  assert.equal(img.height, height);
  const s = pixelStats(img);
  assert.ok(s.distinct > 20, `only ${s.distinct} colours`);
  assert.ok(s.white > s.total * 0.3, 'background is white');
  assert.ok(s.dark > 200, `only ${s.dark} dark pixels: no text or lines`);
  assert.ok(s.red > 20, `only ${s.red} red pixels: the root's label is not red`);
  // Depth-1 boxes are filled light grey (HSV 0,0,0.766667 = #c3c3c3).
  let grey = 0;
  for (let i = 0; i < s.total; i++) {
    const [r, g, b] = [img.rgba[i * 4]!, img.rgba[i * 4 + 1]!, img.rgba[i * 4 + 2]!];
    if (Math.abs(r - 195) <= 2 && r === g && g === b) grey++;
  }
  assert.ok(grey > 1000, `only ${grey} grey fill pixels`);
});

test('text renders with the bundled font and no system fonts', () => {
  const svg = (family: string, text: string): string =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60"><rect width="300" height="60" fill="white"/>` +
    `<text x="10" y="40" font-family="${family}" font-size="30" fill="black">${text}</text></svg>`;
  const dark = (png: Buffer): number => pixelStats(decodePng(png)).dark;
  const blank = dark(svgToPng(svg('DejaVu Sans', '')));
  assert.equal(blank, 0);
  const hello = dark(svgToPng(svg('DejaVu Sans', 'Hello')));
  assert.ok(hello > 150, `"Hello" drew ${hello} dark pixels`);
  // Families that are not bundled fall back to the bundled one rather than to nothing.
  assert.ok(dark(svgToPng(svg('Times,serif', 'Hello'))) > 150);
  assert.ok(dark(svgToPng(svg('NoSuchFont', 'Hello'))) > 150);
});

test('scale and maxSide control the size', () => {
  const base = decodePng(seedGraph().toPng({ legend: false }));
  const double = decodePng(seedGraph().toPng({ legend: false, scale: 2 }));
  assert.ok(Math.abs(double.width - 2 * base.width) <= 2, `${double.width} vs 2×${base.width}`);
  const small = decodePng(seedGraph().toPng({ legend: false, maxSide: 100 }));
  assert.ok(Math.max(small.width, small.height) <= 100 && Math.max(small.width, small.height) >= 98);
  assert.throws(() => seedGraph().toPng({ scale: 0 }), RangeError);
});

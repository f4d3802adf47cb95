/**
 * Helpers for the render tests: a small PNG decoder (to look at real
 * pixels), an XML well-formedness checker (for SVG), and the seed graph.
 */
import { inflateSync } from 'node:zlib';
import { GraphBuilder, type Graph } from '../src/render/graph.js';

// ---------------------------------------------------------------- PNG

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  rgba: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Decodes an 8-bit, non-interlaced RGB/RGBA/grey PNG, checking signature and CRCs. */
export function decodePng(png: Uint8Array): DecodedPng {
  for (let i = 0; i < 8; i++) if (png[i] !== SIGNATURE[i]) throw new Error('not a PNG: bad signature');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let off = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Uint8Array[] = [];
  let sawEnd = false;
  let first = true;
  while (off < png.length) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    const body = png.subarray(off + 8, off + 8 + len);
    const crc = view.getUint32(off + 8 + len);
    if (crc32(png.subarray(off + 4, off + 8 + len)) !== crc) throw new Error(`PNG chunk ${type}: bad CRC`);
    if (first && type !== 'IHDR') throw new Error('PNG: first chunk is not IHDR');
    first = false;
    if (type === 'IHDR') {
      const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
      width = v.getUint32(0);
      height = v.getUint32(4);
      const bitDepth = body[8]!;
      colorType = body[9]!;
      const interlace = body[12]!;
      if (bitDepth !== 8 || interlace !== 0 || ![0, 2, 4, 6].includes(colorType)) {
        throw new Error(`PNG: unsupported bitDepth ${bitDepth} colorType ${colorType} interlace ${interlace}`);
      }
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') {
      sawEnd = true;
      break;
    }
    off += 12 + len;
  }
  if (!sawEnd) throw new Error('PNG: no IEND');
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : colorType === 4 ? 2 : 1;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) throw new Error(`PNG: pixel data has ${raw.length} bytes, expected ${height * (stride + 1)}`);
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = out.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? row[x - channels]! : 0;
      const b = prev[x]!;
      const c = x >= channels ? prev[x - channels]! : 0;
      let v = src[x]!;
      switch (filter) {
        case 0:
          break;
        case 1:
          v += a;
          break;
        case 2:
          v += b;
          break;
        case 3:
          v += (a + b) >> 1;
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          throw new Error(`PNG: bad filter ${filter}`);
      }
      row[x] = v & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = out.subarray(i * channels, i * channels + channels);
    if (channels >= 3) {
      rgba[i * 4] = s[0]!;
      rgba[i * 4 + 1] = s[1]!;
      rgba[i * 4 + 2] = s[2]!;
      rgba[i * 4 + 3] = channels === 4 ? s[3]! : 255;
    } else {
      rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = s[0]!;
      rgba[i * 4 + 3] = channels === 2 ? s[1]! : 255;
    }
  }
  return { width, height, rgba };
}

/** Colour statistics: distinct opaque colours, and the share of pixels of each kind. */
export function pixelStats(img: DecodedPng): { distinct: number; dark: number; white: number; red: number; total: number } {
  const seen = new Set<number>();
  let dark = 0;
  let white = 0;
  let red = 0;
  const total = img.width * img.height;
  for (let i = 0; i < total; i++) {
    const r = img.rgba[i * 4]!;
    const g = img.rgba[i * 4 + 1]!;
    const b = img.rgba[i * 4 + 2]!;
    const a = img.rgba[i * 4 + 3]!;
    seen.add((r << 24) | (g << 16) | (b << 8) | a);
    if (a > 200 && r < 80 && g < 80 && b < 80) dark++;
    if (a > 200 && r > 245 && g > 245 && b > 245) white++;
    if (a > 200 && r > 200 && g < 60 && b < 60) red++;
  }
  return { distinct: seen.size, dark, white, red, total };
}

// ---------------------------------------------------------------- XML

const ENTITY = /^&(amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});/;
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Throws unless `xml` is well-formed XML (balanced elements, quoted
 * attributes, known entities, only XML characters). Enough for Graphviz's SVG.
 */
export function assertWellFormedXml(xml: string): { elements: number; root: string } {
  const bad = NOT_XML_CHAR.exec(xml);
  if (bad) throw new Error(`not XML: character U+${bad[0].charCodeAt(0).toString(16)} at ${bad.index}`);
  const stack: string[] = [];
  let i = 0;
  let elements = 0;
  let root = '';
  const text = (s: string, at: number): void => {
    for (let j = 0; j < s.length; j++) {
      if (s[j] === '<') throw new Error(`not XML: raw < at ${at + j}`);
      if (s[j] === '&' && !ENTITY.test(s.slice(j, j + 12))) throw new Error(`not XML: bad entity at ${at + j}: ${s.slice(j, j + 12)}`);
    }
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) {
      text(xml.slice(i), i);
      break;
    }
    text(xml.slice(i, lt), i);
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) throw new Error('not XML: unterminated comment');
      if (xml.slice(lt + 4, end).includes('--')) throw new Error(`not XML: -- inside a comment at ${lt}`);
      i = end + 3;
    } else if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt);
      if (end < 0) throw new Error('not XML: unterminated processing instruction');
      i = end + 2;
    } else if (xml.startsWith('<!DOCTYPE', lt)) {
      const end = xml.indexOf('>', lt);
      i = end + 1;
    } else if (xml.startsWith('</', lt)) {
      const m = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(xml.slice(lt, lt + 200));
      if (!m) throw new Error(`not XML: bad end tag at ${lt}`);
      const open = stack.pop();
      if (open !== m[1]) throw new Error(`not XML: </${m[1]}> closes <${open}> at ${lt}`);
      i = lt + m[0].length;
    } else {
      const m = /^<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(xml.slice(lt, lt + 100_000));
      if (!m) throw new Error(`not XML: bad start tag at ${lt}: ${xml.slice(lt, lt + 80)}`);
      const attrs = m[2]!;
      for (const a of attrs.matchAll(/=\s*(?:"([^"]*)"|'([^']*)')/g)) text(a[1] ?? a[2] ?? '', lt);
      const names = [...attrs.matchAll(/([A-Za-z_][\w:.-]*)\s*=/g)].map((a) => a[1]);
      if (new Set(names).size !== names.length) throw new Error(`not XML: repeated attribute at ${lt}`);
      if (stack.length === 0) {
        if (root) throw new Error('not XML: two root elements');
        root = m[1]!;
      }
      elements++;
      if (m[3] !== '/') stack.push(m[1]!);
      i = lt + m[0].length;
    }
  }
  if (stack.length) throw new Error(`not XML: unclosed <${stack.join('> <')}>`);
  if (!root) throw new Error('not XML: no root element');
  return { elements, root };
}

// ---------------------------------------------------------------- fixtures

/**
 * The seed example, `x = []; y = [x, [x], {x}]; showRefs([y])`, by hand:
 * y → x (0), y → [x] (1) → x (0), y → {x} (2) → x (x).
 */
export function seedGraph(options: { sizes?: boolean } = {}): Graph {
  const s = options.sizes ?? false;
  const b = new GraphBuilder({ direction: 'refs', maxDepth: 3 });
  b.addNode({ key: '1', id: 1, className: 'Array', description: '3 items', depth: 0, root: true, ...(s ? { selfSize: 32, retainedSize: 152 } : {}) });
  b.addNode({ key: '2', id: 2, className: 'Array', description: '0 items', depth: 1, ...(s ? { selfSize: 32, retainedSize: 32 } : {}) });
  b.addNode({ key: '3', id: 3, className: 'Array', description: '1 item', depth: 1, ...(s ? { selfSize: 32, retainedSize: 48 } : {}) });
  b.addNode({ key: '4', id: 4, className: 'Object', description: '1 property', depth: 1, ...(s ? { selfSize: 24, retainedSize: 40 } : {}) });
  b.addEdge({ from: '1', to: '2', label: 0, kind: 'element' });
  b.addEdge({ from: '1', to: '3', label: 1, kind: 'element' });
  b.addEdge({ from: '1', to: '4', label: 2, kind: 'element' });
  b.addEdge({ from: '3', to: '2', label: 0, kind: 'element' });
  b.addEdge({ from: '4', to: '2', label: 'x', kind: 'property' });
  return b.build();
}

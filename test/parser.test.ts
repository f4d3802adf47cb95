import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { load, loadSync, parseChunks, SnapshotError, SnapshotParser, type Progress } from '../src/index.js';
import { knownHeap, tempDir } from './fixtures.js';
import { NO_NODE, sortLocations, type Locations } from '../src/snapshot/locations.js';
import { ALWAYS_MAPPED } from '../src/snapshot/mapped.js';
import { syntheticSnapshot, type SyntheticEdge, type SyntheticNode } from './synthetic.js';

const tricky = ['quote " inside', 'back\\\\slash', 'new\nline', 'tab\t', 'nul \u0000 byte', 'é accent', 'emoji 😀', '<script>alert(1)</script>', 'lone \ud800 surrogate'];

function smallSnapshot(): string {
  const nodes: SyntheticNode[] = [
    { type: 'synthetic', name: '', id: 1, size: 0 },
    { type: 'object', name: 'Window', id: 3, size: 10 },
    ...tricky.map((name, i) => ({ type: 'string', name, id: 5 + 2 * i, size: 16 })),
  ];
  return syntheticSnapshot(nodes, [[0, 'shortcut', 'w', 1], ...tricky.map((_, i) => [1, 'property', `p${i}`, 2 + i] as [number, string, string, number])]);
}

function write(name: string, content: string | Uint8Array): string {
  const file = join(tempDir(), name);
  writeFileSync(file, content);
  return file;
}

/**
 * Asserts that loading `file` fails with a SnapshotError whose message
 * matches, parsed on one thread and with the edges on a second one alike.
 */
function assertRejects(file: string, pattern: RegExp): void {
  for (const parallel of [false, true]) {
    assert.throws(
      () => loadSync(file, { parallel }),
      (e: unknown) => {
        assert.ok(e instanceof SnapshotError, `expected a SnapshotError (parallel: ${parallel}), got ${String(e)}`);
        assert.ok(e.message.startsWith(file + ': '), `the message names the file: ${e.message}`);
        assert.match(e.message, pattern, `parallel: ${parallel}`);
        return true;
      },
    );
  }
}

test('strings with escapes decode exactly, whatever the chunk boundaries', () => {
  const text = smallSnapshot();
  const bytes = Buffer.from(text);
  for (const size of [1, 2, 3, 7, 64, bytes.length]) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    const snap = parseChunks(chunks);
    assert.equal(snap.nodeCount, 2 + tricky.length);
    tricky.forEach((s, i) => assert.equal(snap.node(2 + i).name, s, `string ${i} with chunks of ${size}`));
    assert.deepEqual(
      snap.node(1).edges.map((e) => e.name),
      tricky.map((_, i) => `p${i}`),
    );
  }
  // A prefix of any length is the start of the string: never half an escape (`\\\\` included).
  const snap = parseChunks([text]);
  tricky.forEach((s, i) => {
    const k = snap.nodeNameAt(2 + i);
    for (let bytes = 0; bytes <= snap.strings.byteLength(k); bytes++) {
      const prefix = snap.strings.prefix(k, bytes);
      assert.ok(s.startsWith(prefix) || prefix.endsWith('\ufffd'), `string ${i}, ${bytes} bytes: ${JSON.stringify(prefix)}`);
    }
  });
});

test('strings over several of the pool\'s blocks, long and escaped ones included, read back exactly from chunks and from a file', async () => {
  // Names a few MB beyond one block of the pool: strings on both sides of the blocks' border,
  // strings longer than 32,767 bytes (whose length is kept apart), escaped ones, and short
  // ones between them.
  const names: string[] = [];
  for (let i = 0, total = 0; total < ALWAYS_MAPPED + 4_000_000; i++) {
    const fill = String.fromCharCode(97 + (i % 26));
    if (i % 3 === 0) names.push(`long${i} ` + fill.repeat(32_767 + (i % 1000)));
    else if (i % 3 === 1) names.push(`esc${i} "quoted" \\ é ` + fill.repeat(40_000 + i));
    else names.push(`short${i}`);
    total += names[i]!.length;
  }
  names.push(tricky[0]!, 'sep\u2028arator', 'escaped \\n, not a line break', 'carriage\rreturn', 'x'.repeat(32_766), 'y'.repeat(32_767));
  const nodes: SyntheticNode[] = [{ type: 'synthetic', name: '', id: 1, size: 0 }, ...names.map((name, i) => ({ type: 'string', name, id: 3 + 2 * i, size: 16 }))];
  const text = syntheticSnapshot(nodes, names.map((_, i) => [0, 'element', i, i + 1] as [number, string, number, number]));
  const check = (snap: ReturnType<typeof loadSync>, how: string): void => {
    assert.ok(snap.strings.parts().blocks.length >= 2, `${how}: ${snap.strings.parts().blocks.length} block(s)`);
    names.forEach((name, i) => {
      const o = i + 1;
      const k = snap.nodeNameAt(o);
      assert.equal(snap.strings.get(k), name, `${how}: string of node ${o}`);
      assert.equal(snap.strings.equals(k, name), true, `${how}: equals ${o}`);
      // (Escaped names: "about 10 bytes", never cutting an escape in half.)
      assert.ok(name.startsWith(snap.strings.prefix(k, 10)) && snap.strings.prefix(k, 10).length >= 5, `${how}: prefix ${o}`);
      assert.equal(snap.strings.hasLineTerminator(k), /[\n\r\u2028\u2029]/.test(name), `${how}: line terminator ${o}`);
      if (!/["\\\n\t\u0000-\u001f]/.test(name)) {
        assert.equal(snap.strings.byteLength(k), Buffer.byteLength(name), `${how}: length ${o}`);
        assert.deepEqual(Buffer.from(snap.strings.rawView(k)!), Buffer.from(name), `${how}: stored bytes ${o}`);
      }
    });
    for (const i of [0, 1, names.length - 1, names.length - 2]) assert.equal(snap.strings.indexOf(names[i]!), snap.nodeNameAt(i + 1), `${how}: indexOf ${i}`);
    // The ends of the long strings, in index order, as their stored bytes end.
    const ends: string[] = [];
    snap.strings.forEachLong(60, (block, end) => ends.push(Buffer.from(block.subarray(end - 5, end)).toString('latin1')));
    const expected: string[] = [];
    for (let k = 0; k < snap.strings.count; k++) {
      if (snap.strings.byteLength(k) >= 60) expected.push(Buffer.from(snap.strings.rawView(k)!.subarray(-5)).toString('latin1'));
    }
    assert.deepEqual(ends, expected, `${how}: ends of the long strings`);
    assert.ok(expected.length >= 3, `${how}: long strings`);
    assert.equal(snap.strings.indexOf('y'.repeat(32_768)), -1);
  };
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += 1_000_003) chunks.push(text.slice(at, at + 1_000_003));
  check(parseChunks(chunks), 'chunks');
  const file = write('long-strings.heapsnapshot', text);
  check(loadSync(file, { parallel: false }), 'file');
  check(await load(file), 'async file');
});

test('number sections (samples, locations) parse exactly, signs included, whatever the chunk boundaries', () => {
  const parsed = JSON.parse(smallSnapshot());
  const samples = [-5, 12, 0, -300, 123456789, -1, 42];
  const locations = [0, 1, 2, 3, 7, 4, 5, 6];
  parsed.samples = samples;
  parsed.locations = locations;
  const bytes = Buffer.from(JSON.stringify(parsed, null, 1));
  for (const size of [1, 2, 3, 5, 8, bytes.length]) {
    const parser = new SnapshotParser();
    for (let i = 0; i < bytes.length; i += size) parser.write(bytes.subarray(i, i + size));
    const data = parser.end();
    assert.deepEqual([...data.samples], samples, `samples with chunks of ${size}`);
    assert.deepEqual(locationRows(data.locations), expectedRows(locations, data.nodeFieldCount, data.nodeCount), `locations with chunks of ${size}`);
  }
  const broken = Buffer.from(JSON.stringify(parsed).replace('"samples":[-5,', '"samples":[-5x,'));
  const at = broken.indexOf('-5x') + 2;
  assert.throws(() => new SnapshotParser().write(broken), new RegExp(`unexpected 'x' in the "samples" array \\(at byte ${at}\\)`));
});

/** Each location row as [node ordinal or NO_NODE, script id, line, column]. */
function locationRows(l: Locations): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < l.rows.length; r += 2) {
    const p = 3 * l.rows[r + 1]!;
    out.push([l.rows[r]!, l.places[p]!, l.places[p + 1]!, l.places[p + 2]!]);
  }
  return out;
}

/** The rows `locations` (four numbers a row, a partial last row dropped) should give. */
function expectedRows(locations: number[], nodeFieldCount: number, nodeCount: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i + 4 <= locations.length; i += 4) {
    const ordinal = locations[i]! / nodeFieldCount;
    out.push([Number.isInteger(ordinal) && ordinal >= 0 && ordinal < nodeCount ? ordinal : NO_NODE, ...locations.slice(i + 1, i + 4)]);
  }
  return out;
}

test('locations: one place per distinct position, more rows than nodes, values beyond 32 bits, a partial row', () => {
  const parsed = JSON.parse(smallSnapshot());
  const nodes = parsed.snapshot.node_count as number;
  const fieldCount = parsed.snapshot.meta.node_fields.length as number;
  const parse = (locations: number[], size: number): Locations => {
    parsed.locations = locations;
    const bytes = Buffer.from(JSON.stringify(parsed));
    const parser = new SnapshotParser();
    for (let i = 0; i < bytes.length; i += size) parser.write(bytes.subarray(i, i + size));
    return parser.end().locations;
  };
  // Three rows per node (more than the room reserved for one row per node), each node's
  // offset and two others, at five positions in turn.
  const many: number[] = [];
  for (let i = 0; i < 3 * nodes; i++) many.push(i < nodes ? i * fieldCount : i * 7919, 1 + (i % 5), 10 * (i % 5), i % 5);
  const wide = [...many.slice(0, 40), 2 ** 32, 5, 0xffffffff, -3, 2 * fieldCount, 2 ** 40, 2 ** 21 + 3, 2 ** 21, 9];
  for (const size of [3, 64, 100_000]) {
    const a = parse(many, size);
    assert.deepEqual(locationRows(a), expectedRows(many, fieldCount, nodes), `locations with chunks of ${size}`);
    assert.equal(a.places.length, 3 * 5, 'five distinct positions, each kept once');
    assert.ok(locationRows(a).slice(0, nodes).every(([ordinal], i) => ordinal === i), 'the first rows name every node in turn');
    const b = parse(wide, size);
    assert.deepEqual(locationRows(b), expectedRows(wide, fieldCount, nodes), `wide locations with chunks of ${size}`);
    assert.equal(b.rows.length, 2 * 12, 'the partial last row is dropped');
  }
  // More numbers in one chunk than the parser takes at a time (65,536): the same rows, the
  // numbers cut at the end of a piece included.
  const long: number[] = [];
  for (let i = 0; i < 40_000; i++) long.push((i % nodes) * fieldCount, 100 + (i % 7), 123_456 + i, i % 13);
  for (const size of [2 ** 30, 100_000, 4093]) {
    assert.deepEqual(locationRows(parse(long, size)), expectedRows(long, fieldCount, nodes), `many locations with chunks of ${size}`);
  }
  // A node with two rows is found at the first; rows that name no node are left out; the
  // sort by one number and the sort by comparison (for more nodes times rows than a double
  // counts exactly) agree.
  const twice = [1 * fieldCount, 3, 30, 3, 7 * fieldCount + 1, 4, 40, 4, 1 * fieldCount, 5, 50, 5, 0, 6, 60, 6];
  parsed.locations = twice;
  const snapTwice = parseChunks([JSON.stringify(parsed)]);
  assert.deepEqual(snapTwice.location(1), { scriptId: 3, line: 30, column: 3 });
  assert.deepEqual(snapTwice.location(0), { scriptId: 6, line: 60, column: 6 });
  assert.equal(snapTwice.location(7), undefined);
  const rows = parse(many, 100_000).rows;
  const fast = sortLocations(rows, nodes);
  assert.deepEqual(sortLocations(rows, 2 ** 53), fast);
  assert.equal(fast.ordinals.length, rows.length / 2 - many.filter((v, i) => i % 4 === 0 && (v % fieldCount !== 0 || v / fieldCount >= nodes)).length);
  assert.ok(fast.ordinals.every((o, i) => i === 0 || fast.ordinals[i - 1]! <= o));
  // A snapshot's own locations: where its functions are, one place per distinct position.
  const snap = loadSync(knownHeap());
  const counted = new Map<string, number>();
  let located = 0;
  for (let i = 0; i < snap.nodeCount; i++) {
    const loc = snap.location(i);
    if (loc === undefined) continue;
    located++;
    const key = `${loc.scriptId},${loc.line},${loc.column}`;
    counted.set(key, (counted.get(key) ?? 0) + 1);
  }
  assert.ok(located > 100 && counted.size < located, `${located} located nodes at ${counted.size} positions`);
});

test('string chunks (as the inspector sends them) parse like bytes', () => {
  const text = smallSnapshot();
  // Split by code points (the inspector's chunks are ASCII: V8 escapes the rest).
  const points = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < points.length; i += 5) pieces.push(points.slice(i, i + 5).join(''));
  const snap = parseChunks(pieces);
  assert.equal(snap.node(2 + 6).name, 'emoji 😀');
  // Text cut anywhere, between the two halves of a surrogate pair too (text that was saved
  // with raw characters, then read in pieces of UTF-16 units).
  const emoji = text.indexOf('😀');
  for (const cut of [emoji, emoji + 1, emoji + 2]) {
    const cutSnap = parseChunks([text.slice(0, cut), text.slice(cut, cut + 1), text.slice(cut + 1)]);
    assert.equal(cutSnap.node(2 + 6).name, 'emoji 😀', `cut at ${cut}`);
  }
});

test('a real snapshot loads the same from a path, a URL, a stream, bytes, chunks, gzip and synchronously', async () => {
  const file = knownHeap();
  const fromPath = await load(file);
  const fromStream = await load(createReadStream(file));
  const sync = loadSync(file);
  const gz = write('known.heapsnapshot.gz', gzipSync(readFileSync(file)));
  const fromGz = await load(gz);
  const fromGzSync = loadSync(gz);
  const fromUrl = await load(pathToFileURL(file));
  const fromBytes = await load(readFileSync(file));
  const fromGzBytes = await load(readFileSync(gz));
  const fromOneChunk = parseChunks(readFileSync(file));
  for (const s of [fromStream, sync, fromGz, fromGzSync, fromUrl, fromBytes, fromGzBytes, fromOneChunk]) {
    assert.equal(s.nodeCount, fromPath.nodeCount);
    assert.equal(s.edgeCount, fromPath.edgeCount);
    assert.deepEqual(s.nodeId, fromPath.nodeId);
    assert.deepEqual(s.edgeWord, fromPath.edgeWord);
    assert.equal(s.count('Session'), 200);
  }
  assert.equal(fromStream.source, '<stream>');
  assert.equal(fromBytes.source, '<bytes>');
  // Chunks that are neither text nor bytes (numbers, from iterating a Buffer by mistake).
  assert.throws(() => parseChunks([123 as unknown as Uint8Array]), /<chunks>: a chunk must be a string or a Uint8Array, not number/);
  await assert.rejects(load(gzipSync(Buffer.from('x')).subarray(0, 5)), /<bytes>: corrupt gzip data/);
});

test('meta is read, not assumed: six node fields and a different field order work', () => {
  // Six node fields (no detachedness), with the fields in another order than V8 writes them.
  const header = {
    meta: {
      node_fields: ['name', 'type', 'edge_count', 'id', 'self_size', 'trace_node_id'],
      node_types: ['string', ['hidden', 'object', 'synthetic'], 'number', 'number', 'number', 'number'],
      edge_fields: ['to_node', 'type', 'name_or_index'],
      edge_types: ['node', ['property', 'element', 'weak'], 'string_or_number'],
    },
    node_count: 3,
    edge_count: 3,
  };
  // root(synthetic) -property a-> A(object, 12 bytes) -element 0-> B(object), A -weak w-> root
  const nodes = [0, 2, 1, 1, 0, 0, 1, 1, 2, 3, 12, 0, 2, 1, 0, 5, 20, 0];
  const edges = [6, 0, 3, 12, 1, 0, 0, 2, 4];
  const text = JSON.stringify({ snapshot: header, nodes, edges, strings: ['', 'A', 'B', 'a', 'w'] });
  const snap = parseChunks([text]);
  assert.equal(snap.nodeCount, 3);
  assert.equal(snap.detachedMarks, undefined);
  const a = snap.node(1);
  assert.equal(a.name, 'A');
  assert.equal(a.type, 'object');
  assert.equal(a.id, 3);
  assert.equal(a.rawSelfSize, 12);
  assert.deepEqual(
    a.edges.map((e) => [e.type, e.name, e.to.name]),
    [
      ['element', 0, 'B'],
      ['weak', 'w', ''],
    ],
  );
  assert.deepEqual(
    snap.root.edges.map((e) => [e.type, e.name, e.to.name]),
    [['property', 'a', 'A']],
  );
});

test('detachedness: kept when some node is marked, absent when every mark is 0, and it names detached DOM nodes', () => {
  // root -element-> Window (object) -property-> <div id="a"> (native, attached) and <div id="b"> (native, detached);
  // the detached <div> holds a <span> (native, unmarked), which takes its state.
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
    node_types: [['hidden', 'object', 'native', 'synthetic'], 'string', 'number', 'number', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [['element', 'property'], 'string_or_number', 'node'],
  };
  const text = (marks: number[]): string =>
    JSON.stringify({
      snapshot: { meta, node_count: 5, edge_count: 4 },
      nodes: [
        3, 0, 1, 0, 1, 0, marks[0],
        1, 1, 3, 24, 2, 0, marks[1],
        2, 2, 5, 40, 0, 0, marks[2],
        2, 3, 7, 40, 1, 0, marks[3],
        2, 4, 9, 32, 0, 0, marks[4],
      ],
      edges: [0, 1, 7, 1, 5, 14, 1, 6, 21, 1, 7, 28],
      strings: ['', 'Window', '<div id="a">', '<div id="b">', '<span>', 'a', 'b', 'c'],
    });
  const plain = parseChunks([text([0, 0, 0, 0, 0])]);
  assert.equal(plain.detachedMarks, undefined);
  assert.deepEqual([2, 3, 4].map((o) => plain.className(o)), ['<div>', '<div>', '<span>']);
  const marked = parseChunks([text([0, 0, 1, 2, 0])]);
  assert.deepEqual([...marked.detachedMarks!], [2 * 4 + 1, 3 * 4 + 2]);
  assert.deepEqual([0, 1, 2, 3, 4].map((o) => marked.detachednessOf(o)), [0, 0, 1, 2, 0]);
  // Only attached marks: nothing is detached.
  const attached = parseChunks([text([0, 1, 1, 0, 1])]);
  assert.deepEqual([0, 1, 2, 3, 4].map((o) => attached.detachednessOf(o)), [0, 1, 1, 0, 1]);
  assert.deepEqual([2, 3, 4].map((o) => attached.className(o)), ['<div>', '<div>', '<span>']);
  assert.throws(() => parseChunks([text([0, 0, 3, 0, 0])]), /node 2 has detachedness 3; V8 writes 0 \(unknown\), 1 \(attached\) or 2 \(detached\)/);
  assert.deepEqual([2, 3, 4].map((o) => marked.className(o)), ['<div>', 'Detached <div>', 'Detached <span>']);
});

test('detachedness: many marks, read in small chunks, keep their nodes', () => {
  const nodes: SyntheticNode[] = [{ type: 'synthetic', name: '', id: 1, size: 0 }];
  for (let i = 0; i < 500; i++) nodes.push({ type: 'native', name: `N${i}`, id: 3 + 2 * i, size: 8 });
  const parsed = JSON.parse(syntheticSnapshot(nodes, nodes.slice(1).map((_, i) => [0, 'element', i, i + 1] as [number, string, number, number])));
  const fields: string[] = parsed.snapshot.meta.node_fields;
  const expected = nodes.map((_, o) => (o % 3 === 0 ? 0 : o % 3));
  expected.forEach((m, o) => (parsed.nodes[o * fields.length + fields.indexOf('detachedness')] = m));
  const text = JSON.stringify(parsed);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += 97) chunks.push(text.slice(i, i + 97));
  const snap = parseChunks(chunks);
  assert.deepEqual(nodes.map((_, o) => snap.detachednessOf(o)), expected);
  assert.equal(snap.detachedMarks!.length, expected.filter((m) => m !== 0).length);
  assert.equal(snap.detachednessOf(nodes.length), 0);
});

test('node types beyond the classic list (object shape, wasm object) are accepted', () => {
  const header = JSON.parse(smallSnapshot()).snapshot;
  header.meta.node_types[0] = [...header.meta.node_types[0], 'wasm object'];
  const parsed = JSON.parse(smallSnapshot());
  parsed.snapshot = header;
  parsed.snapshot.extra_native_bytes = 4096;
  const snap = parseChunks([JSON.stringify(parsed)]);
  assert.equal(snap.nodeTypeNames.at(-1), 'wasm object');
  assert.equal(snap.extraNativeBytes, 4096);
});

test('progress is reported while parsing and while building indexes', () => {
  const events: Progress[] = [];
  const snap = loadSync(knownHeap(), { onProgress: (p) => events.push(p) });
  const parse = events.filter((e) => e.phase === 'parse');
  assert.ok(parse.length >= 1);
  assert.equal(parse.at(-1)!.done, parse.at(-1)!.total);
  snap.retainedSizes();
  snap.distances();
  snap.retainers();
  const phases = new Set(events.map((e) => e.phase));
  for (const p of ['retainers', 'shallow sizes', 'dominators', 'distances']) assert.ok(phases.has(p), `phase ${p} reported`);
});

test('bad input: empty file', () => {
  assertRejects(write('empty.heapsnapshot', ''), /empty input \(0 bytes\): not a heap snapshot/);
});

test('bad input: only white space', () => {
  assertRejects(write('blank.heapsnapshot', '  \n '), /not JSON: only white space/);
});

test('bad input: truncated file names the byte and the section', () => {
  const text = readFileSync(knownHeap());
  const cut = Math.floor(text.length * 0.6);
  const file = write('truncated.heapsnapshot', text.subarray(0, cut));
  assertRejects(file, new RegExp(`truncated: unexpected end of data at byte ${cut} \\(inside "(edges|strings|nodes)"\\)$`));
});

test('bad input: not JSON', () => {
  assertRejects(write('text.heapsnapshot', 'hello world'), /not JSON: unexpected 'h' \(at byte 0\)/);
  assertRejects(write('binary.heapsnapshot', Buffer.from([0x89, 0x50, 0x4e, 0x47])), /not JSON: unexpected byte 0x89/);
});

test('bad input: JSON that is not a heap snapshot', () => {
  assertRejects(write('array.json', '[1, 2, 3]'), /JSON, but not a V8 heap snapshot: the top level is not an object/);
  assertRejects(write('object.json', '{"name": "package", "version": "1.0.0", "deps": {"a": [1, {"b": "}"}]}}'), /JSON, but not a V8 heap snapshot: there is no "snapshot" header/);
});

test('bad input: meta missing a required field', () => {
  const parsed = JSON.parse(smallSnapshot());
  delete parsed.snapshot.meta.node_fields;
  assertRejects(write('nometa.heapsnapshot', JSON.stringify(parsed)), /snapshot\.meta is missing "node_fields"/);
  const noId = JSON.parse(smallSnapshot());
  noId.snapshot.meta.node_fields[2] = 'identifier';
  assertRejects(write('noid.heapsnapshot', JSON.stringify(noId)), /snapshot\.meta\.node_fields has no "id" field/);
  const noCount = JSON.parse(smallSnapshot());
  delete noCount.snapshot.edge_count;
  assertRejects(write('nocount.heapsnapshot', JSON.stringify(noCount)), /snapshot\.edge_count is missing or not a count/);
  const badLocations = JSON.parse(smallSnapshot());
  badLocations.snapshot.meta.location_fields = -1;
  assertRejects(write('badlocations.heapsnapshot', JSON.stringify(badLocations)), /snapshot\.meta\.location_fields is not a list of field names/);
});

test('bad input: counts that disagree with the arrays', () => {
  const more = JSON.parse(smallSnapshot());
  more.snapshot.node_count += 1;
  assertRejects(write('fewer-nodes.heapsnapshot', JSON.stringify(more)), /snapshot\.node_count says 12 nodes \(84 values\), but the "nodes" array holds 77 values \(11 nodes\)/);
  const less = JSON.parse(smallSnapshot());
  less.snapshot.node_count -= 1;
  assertRejects(write('more-nodes.heapsnapshot', JSON.stringify(less)), /snapshot\.node_count says 10 nodes, but the "nodes" array holds more/);
  const edges = JSON.parse(smallSnapshot());
  edges.snapshot.edge_count += 2;
  assertRejects(write('edge-sum.heapsnapshot', JSON.stringify(edges)), /the nodes' edge counts add up to 10, but snapshot\.edge_count says 12/);
  const partial = JSON.parse(smallSnapshot());
  partial.nodes.pop();
  assertRejects(write('partial-node.heapsnapshot', JSON.stringify(partial)), /holds 76 values \(10\.86 nodes\)/);
});

test('bad input: an edge pointing outside the node array', () => {
  const parsed = JSON.parse(smallSnapshot());
  parsed.edges[2] = 7 * 1000;
  assertRejects(write('outside.heapsnapshot', JSON.stringify(parsed)), /edge 0 points to node offset 7000, outside the nodes array \(11 nodes of 7 fields\)/);
  const misaligned = JSON.parse(smallSnapshot());
  misaligned.edges[2] = 8;
  assertRejects(write('misaligned.heapsnapshot', JSON.stringify(misaligned)), /edge 0 points to node offset 8/);
});

test('bad input: indexes into the strings table past its end', () => {
  const parsed = JSON.parse(smallSnapshot());
  parsed.nodes[1] = 999;
  assertRejects(write('bad-string.heapsnapshot', JSON.stringify(parsed)), /node 0 names string 999, but there are 22 strings/);
  // Names from 0xff0000 up are kept apart from the three-byte array, and read back from there.
  const nfc = parsed.snapshot.meta.node_fields.length;
  for (const [ordinal, wide] of [[1, 0xff0001], [2, 0xffffffff]] as const) {
    const apart = JSON.parse(smallSnapshot());
    apart.nodes[ordinal * nfc + 1] = wide;
    assertRejects(write('apart-string.heapsnapshot', JSON.stringify(apart)), new RegExp(`node ${ordinal} names string ${wide}, but there are 22 strings`));
  }
  // An edge named by a string past the end (element and hidden edges hold indexes, not names).
  const edgeTypes: string[] = parsed.snapshot.meta.edge_types[0];
  const named = JSON.parse(smallSnapshot());
  let e = 0;
  while (['element', 'hidden'].includes(edgeTypes[named.edges[3 * e]]!)) e++;
  named.edges[3 * e + 1] = 500;
  assertRejects(write('bad-edge-name.heapsnapshot', JSON.stringify(named)), new RegExp(`edge ${e} names string 500, but there are 22 strings`));
  const element = JSON.parse(smallSnapshot());
  const el = edgeTypes.indexOf('element');
  element.edges[0] = el;
  element.edges[1] = 500;
  assert.equal(loadSync(write('element-index.heapsnapshot', JSON.stringify(element))).edgeName[0], 500);
});

test('node names past 16 bits read back exactly, and only they take a high byte', async () => {
  // 150,000 nodes, most of a name of their own: the strings table passes 65,536 entries, and
  // names of its first entries (narrow) and of its last (wide) alternate in runs of every
  // length across the 32-name groups.
  const nodes: SyntheticNode[] = [{ type: 'synthetic', name: '', id: 1, size: 0 }];
  const edges: SyntheticEdge[] = [];
  let seed = 7;
  for (let k = 1; k <= 150_000; k++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    nodes.push({ type: 'object', name: (seed >>> 8) % 7 < 3 ? `Small${k % 5}` : `N${k}`, id: 1 + 2 * k, size: 8 });
    edges.push([0, 'element', k - 1, k]);
  }
  const file = write('node-name-widths.heapsnapshot', syntheticSnapshot(nodes, edges));
  const text = JSON.parse(readFileSync(file, 'utf8'));
  const nfc = text.snapshot.meta.node_fields.length;
  const expected: number[] = [];
  for (let o = 0; o < text.nodes.length / nfc; o++) expected.push(text.nodes[o * nfc + 1]);
  // The test's point: names on both sides of 2^16, mixed.
  assert.ok(expected.filter((v) => v >= 0x10000).length > 10_000 && expected.filter((v) => v < 0x10000).length > 10_000);
  for (const [how, snap] of [
    ['sync', loadSync(file)],
    ['async', await load(file)],
  ] as const) {
    for (let o = 0; o < expected.length; o++) {
      if (snap.nodeNameAt(o) !== expected[o]) assert.fail(`${how}: node ${o} is named ${snap.nodeNameAt(o)}, not ${expected[o]}`);
    }
    assert.equal(snap.nodeName.high.length, expected.filter((v) => v >= 0x10000).length, how);
    assert.equal(snap.nodeNameOf(nodes.length - 1), nodes.at(-1)!.name, how);
  }
});

test('edge names of every width read back exactly: 16 and 24 bits, and the ones kept apart (0xff0000 to 2^32 - 1)', async () => {
  // Element indexes on node 1; on node 2, property edges named by strings past index 65,535.
  const indexes = [0, 1, 0xffff, 0x10000, 0x12345, 0xfeffff, 0xff0000, 0xff0001, 0xffffff, 0x1000000, 20_000_000, 0xfffffffe, 0xffffffff, 7];
  const nodes: SyntheticNode[] = [
    { type: 'synthetic', name: '', id: 1, size: 0 },
    { type: 'object', name: 'Array', id: 3, size: 16 },
    { type: 'object', name: 'Wide', id: 5, size: 16 },
    { type: 'object', name: 'Leaf', id: 7, size: 8 },
  ];
  const edges: [number, string, string | number, number][] = [[0, 'shortcut', 'a', 1], [0, 'shortcut', 'w', 2]];
  for (const i of indexes) edges.push([1, 'element', i, 3]);
  edges.push([1, 'hidden', 0xff0002, 3]);
  const properties = 70_000;
  for (let k = 0; k < properties; k++) edges.push([2, 'property', `p${k}`, 3]);
  const file = write('edge-name-widths.heapsnapshot', syntheticSnapshot(nodes, edges));
  const text = JSON.parse(readFileSync(file, 'utf8'));
  const expected: number[] = [];
  for (let e = 0; e < text.edges.length; e += 3) expected.push(text.edges[e + 1]);
  assert.ok(expected.some((v) => v > 0xffff && v < 0xff0000 && text.strings[v] !== undefined), 'strings past 16 bits name edges');
  for (const [how, snap] of [
    ['one thread', loadSync(file, { parallel: false })],
    ['two threads', loadSync(file, { parallel: true })],
    ['async', await load(file)],
  ] as const) {
    assert.equal(snap.edgeCount, expected.length, how);
    for (let e = 0; e < expected.length; e++) {
      if (snap.edgeNameAt(e) !== expected[e]) assert.fail(`${how}: edge ${e} is named ${snap.edgeNameAt(e)}, not ${expected[e]}`);
    }
    assert.deepEqual([...snap.edgeName], expected, how);
    // Only the wide names (2^16 and up) take a high byte, and only the names of 0xff0000 and up are kept apart.
    assert.equal(snap.edgeNames.high.length, expected.filter((v) => v >= 0x10000).length, how);
    assert.deepEqual([...snap.edgeNames.apartNames], expected.filter((v) => v >= 0xff0000), how);
    const element = snap.node(1).edges.map((edge) => edge.name);
    assert.deepEqual(element, [...indexes, 0xff0002], how);
    assert.equal(snap.edgeNameOf(expected.length - 1), `p${properties - 1}`, how);
    assert.equal(snap.node(2).edges.at(-1)!.name, `p${properties - 1}`, how);
  }
});

test('bad input: node and edge types beyond the lists in meta', () => {
  const nodes = JSON.parse(smallSnapshot());
  const nodeTypes = nodes.snapshot.meta.node_types[0].length;
  nodes.nodes[7] = nodeTypes;
  assertRejects(write('bad-node-type.heapsnapshot', JSON.stringify(nodes)), new RegExp(`node 1 has type ${nodeTypes}, but meta lists ${nodeTypes} node types`));
  const edges = JSON.parse(smallSnapshot());
  const edgeTypes = edges.snapshot.meta.edge_types[0].length;
  // 256 + 1 would pass for type 1 if it were checked after storing in a byte.
  edges.edges[3] = 257;
  assertRejects(write('bad-edge-type.heapsnapshot', JSON.stringify(edges)), new RegExp(`edge 1 has type 257, but meta lists ${edgeTypes} edge types`));
});

test('bad input: a root_index that is not a node, and no nodes at all', () => {
  for (const rootIndex of [-7, -1, 3, 7 * 11, 1.5]) {
    const parsed = JSON.parse(smallSnapshot());
    parsed.snapshot.root_index = rootIndex;
    assertRejects(write('bad-root.heapsnapshot', JSON.stringify(parsed)), new RegExp(`snapshot\\.root_index ${String(rootIndex).replace('.', '\\.')} is not a node`));
  }
  assertRejects(write('no-nodes.heapsnapshot', syntheticSnapshot([], [])), /the snapshot has no nodes, not even the root/);
});

test('bad input: a string index or trace node id wider than 32 bits', () => {
  const name = JSON.parse(smallSnapshot());
  // 2^32 + 2 would read as string 2 if it were stored without a check.
  name.nodes[7 + 1] = 2 ** 32 + 2;
  assertRejects(write('wide-name.heapsnapshot', JSON.stringify(name)), /a node names string 4294967298, past any strings table/);
  const trace = JSON.parse(smallSnapshot());
  trace.nodes[7 + 5] = 2 ** 32 + 2;
  assertRejects(write('wide-trace.heapsnapshot', JSON.stringify(trace)), /node 1 has trace node id 4294967298, wider than 32 bits/);
});

test('bad input: a node id wider than 32 bits', () => {
  const parsed = JSON.parse(smallSnapshot());
  // 2^32 + 3 would read as id 3, Window's, if it were stored without a check.
  parsed.nodes[2 * 7 + 2] = 2 ** 32 + 3;
  assertRejects(write('wide-id.heapsnapshot', JSON.stringify(parsed)), /node 2 has id 4294967299, wider than the 32 bits of V8's ids/);
});

test('each edge keeps its type and target, for every edge type and the last node', () => {
  // One edge of each of the 7 types, the last (weak, the highest type number) to the last node.
  const types = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
  const nodes: SyntheticNode[] = [{ type: 'synthetic', name: '', id: 1, size: 0 }];
  for (let i = 0; i < types.length; i++) nodes.push({ type: 'object', name: `O${i}`, id: 3 + 2 * i, size: 8 });
  const edges = types.map((t, i) => [0, t, t === 'element' || t === 'hidden' ? i : `e${i}`, i + 1] as [number, string, string | number, number]);
  const snap = loadSync(write('edge-words.heapsnapshot', syntheticSnapshot(nodes, edges)));
  assert.equal(snap.edgeCount, types.length);
  for (let e = 0; e < types.length; e++) {
    assert.equal(snap.edgeTypeName(e), types[e]);
    assert.equal(snap.edgeTypeOf(e), snap.edgeTypeNames.indexOf(types[e]!));
    assert.equal(snap.edgeTarget(e), e + 1);
    assert.equal(snap.edge(e).to.name, `O${e}`);
    assert.equal(snap.edgeNameOf(e), types[e] === 'element' || types[e] === 'hidden' ? e : `e${e}`);
  }
  assert.equal(snap.edge(types.length - 1).isWeak, true);
  assert.equal(snap.edge(types.length - 2).isWeak, false);
});

test('bad input: more edge types or nodes than an edge word holds', () => {
  const types = JSON.parse(smallSnapshot());
  types.snapshot.meta.edge_types[0].push('extra1', 'extra2');
  assertRejects(write('nine-edge-types.heapsnapshot', JSON.stringify(types)), /snapshot\.meta lists 9 edge types; at most 8 are supported/);
  const many = JSON.parse(smallSnapshot());
  many.snapshot.node_count = 2 ** 29 + 1;
  assertRejects(write('many-nodes.heapsnapshot', JSON.stringify(many)), /larger than this parser supports \(536870913 nodes and 10 edges; at most 2\^29 nodes/);
});

test('bad input: a missing file, a directory, corrupt gzip', () => {
  const missing = join(tempDir(), 'does-not-exist.heapsnapshot');
  assertRejects(missing, /cannot read: no such file/);
  const folder = join(tempDir(), 'a-folder');
  mkdirSync(folder, { recursive: true });
  assertRejects(folder, /cannot read: is a directory/);
  const gz = gzipSync(Buffer.from(smallSnapshot()));
  assertRejects(write('corrupt.heapsnapshot.gz', gz.subarray(0, gz.length - 12)), /corrupt gzip data/);
});

test('bad input: the async loader reports the same errors', async () => {
  await assert.rejects(load(write('empty2.heapsnapshot', '')), /empty2\.heapsnapshot: empty input/);
  const gz = gzipSync(Buffer.from(smallSnapshot()));
  await assert.rejects(load(write('corrupt2.heapsnapshot.gz', gz.subarray(0, 40))), /corrupt2\.heapsnapshot\.gz: (corrupt gzip data|truncated)/);
});

test('deeply nested unknown sections are skipped without recursion', () => {
  const parsed = smallSnapshot().replace('"trace_tree":[]', `"trace_tree":${'['.repeat(200000)}${']'.repeat(200000)}`);
  const snap = parseChunks([parsed]);
  assert.equal(snap.nodeCount, 11);
});

test('gzip data fed to the push parser is refused with advice', () => {
  const parser = new SnapshotParser({ source: 'x.gz' });
  assert.throws(() => parser.write(gzipSync(Buffer.from('{}'))), /x\.gz: the data is gzip-compressed: decompress it first/);
});

/** The exclusion rules of src/sources/exclude.ts and the analysis `exclude` option, on hand-built graphs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChunks } from '../src/index.js';
import { census, count, mostCommonTypes } from '../src/analysis/census.js';
import { toolOwnedNodes, TOOL, V8_HELD, VISIBLE } from '../src/sources/exclude.js';
import { syntheticSnapshot, type SyntheticEdge, type SyntheticNode } from './synthetic.js';

const n = (type: string, name: string, id: number, size = 16): SyntheticNode => ({ type, name, id, size });

// 0 root; 1 (GC roots); 2 (Stack roots); 3 (Internalized strings); 4 (Handle scope); 5 global;
// 6 Session (global.s); 7 Tool root (blocked); 8 Array only the tool holds; 9 code;
// 10 string constant of code only on the stack; 11 "user" string held by the session;
// 12 boilerplate Object only code holds; 13 Object only in a handle scope;
// 14 object shape; 15 property name only the shape holds; 16 Session the stack holds.
const nodes: SyntheticNode[] = [
  n('synthetic', '', 1, 0),
  n('synthetic', '(GC roots)', 3, 0),
  n('synthetic', '(Stack roots)', 17, 0),
  n('synthetic', '(Internalized strings)', 5, 0),
  n('synthetic', '(Handle scope)', 25, 0),
  n('object', 'global', 101),
  n('object', 'Session', 103),
  n('object', 'ToolRoot', 105),
  n('object', 'Array', 107),
  n('code', '(code for f)', 109),
  n('string', 'literal', 111),
  n('string', 'user', 113),
  n('object', 'Object', 115),
  n('object', 'Object', 117),
  n('object shape', 'system / Map', 119),
  n('string', 'propertyName', 121),
  n('object', 'Session', 123),
];
const edges: SyntheticEdge[] = [
  [0, 'element', 1, 1],
  [0, 'shortcut', 'global', 5],
  [1, 'element', 1, 2],
  [1, 'element', 2, 3],
  [1, 'element', 3, 4],
  [5, 'property', 's', 6],
  [5, 'property', 'tool', 7],
  [5, 'property', 'f', 9],
  [6, 'property', 'user', 11],
  [6, 'internal', 'map', 14],
  [14, 'internal', 'descriptors', 15],
  [7, 'property', 'scratch', 8],
  [7, 'property', 'session', 6],
  [9, 'internal', 'constant', 10],
  [9, 'internal', 'boilerplate', 12],
  [2, 'internal', 'r1', 10],
  [2, 'internal', 'r2', 16],
  [3, 'internal', 'a', 10],
  [3, 'internal', 'b', 11],
  [3, 'internal', 'c', 15],
  [4, 'internal', 'h', 13],
];

test('exclusion marks: program-held, V8-held and the tool\'s own', () => {
  const snap = parseChunks([syntheticSnapshot(nodes, edges)]);
  const { mask, count: toolCount } = toolOwnedNodes(snap, { toolIds: [105] });
  const mark = (id: number): number => mask[snap.ordinalOf(id)]!;
  assert.equal(mark(103), VISIBLE, 'the Session global.s holds');
  assert.equal(mark(113), VISIBLE, 'a string the Session holds');
  assert.equal(mark(123), VISIBLE, 'a Session only the stack holds');
  assert.equal(mark(105), TOOL, 'the blocked tool root');
  assert.equal(mark(107), TOOL, 'what only the tool root reaches');
  assert.equal(toolCount, 2);
  assert.equal(mark(111), V8_HELD, 'a string constant of code that a frame holds for a moment');
  assert.equal(mark(115), V8_HELD, 'a literal boilerplate only code holds');
  assert.equal(mark(117), V8_HELD, 'an object only a handle scope holds');
  assert.equal(mark(121), V8_HELD, 'a property name only a shape holds');
});

test('census options: exclude drops nodes whatever the other options say', () => {
  const snap = parseChunks([syntheticSnapshot(nodes, edges)]);
  const exclude = new Uint8Array(snap.nodeCount);
  assert.equal(count(snap, 'Session'), 2);
  exclude[snap.ordinalOf(123)] = 1;
  assert.equal(count(snap, 'Session', { exclude }), 1);
  assert.equal(census(snap, { exclude }).get('Session')?.count, 1);
  assert.deepEqual(mostCommonTypes(snap, { exclude, all: true, filter: (v) => v.className === 'Session' }), [['Session', 1]]);
  assert.throws(() => count(snap, 'Session', { exclude: new Uint8Array(3) }), /exclude has 3 entries/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PackedUints } from '../src/snapshot/packed-uints.js';

test('packed integers take three bytes each below 2^24 and four from there, and read back what was written', () => {
  for (const largest of [0xffffff, 0x1000000, 0x1fffffff]) {
    const width = largest > 0xffffff ? 4 : 3;
    const values = [0, 1, 0xff, 0x100, 0xffff, 0x10000, 0xabcdef, largest - 1, largest];
    const length = values.length;
    assert.equal(PackedUints.bytes(length, largest), width * length);
    // At an offset into a larger buffer, with a neighbour on each side that must stay as it is.
    const offset = 8;
    const buffer = new ArrayBuffer(offset + width * length + 8);
    const whole = new Uint8Array(buffer).fill(0x5a);
    const packed = new PackedUints(buffer, offset, length, largest);
    assert.equal(packed.length, length);
    values.forEach((v, k) => packed.set(k, v));
    assert.deepEqual(values.map((_, k) => packed.get(k)), values);
    // Reversed, in the same places: every byte of a value is rewritten.
    values.forEach((v, k) => packed.set(length - 1 - k, v));
    assert.deepEqual(values.map((_, k) => packed.get(length - 1 - k)), values);
    assert.ok(whole.subarray(0, offset).every((b) => b === 0x5a), 'the bytes before are untouched');
    assert.ok(whole.subarray(offset + width * length).every((b) => b === 0x5a), 'the bytes after are untouched');
  }
});

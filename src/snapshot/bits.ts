/**
 * Bit sets with ranks, for ./names.ts and ./ownership.ts: a bit per item in
 * 32-bit words, and for each word the count of set bits in the words before
 * it, so that an item's rank among the set ones (its place in an array that
 * holds something for those alone) takes one count and one bit count.
 */

/** The number of bits set in a 32-bit word. */
export function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Writes into `ranks` the count of bits set in `words` before each word; returns the count of all. */
export function fillRanks(words: Int32Array, ranks: Uint32Array): number {
  let before = 0;
  for (let g = 0; g < words.length; g++) {
    ranks[g] = before;
    before += bitCount(words[g]!);
  }
  return before;
}

/** How many of the items before item `i` have their bit set (see {@link fillRanks}). */
export function rankOf(words: Int32Array, ranks: Uint32Array, i: number): number {
  return ranks[i >>> 5]! + bitCount(words[i >>> 5]! & ((1 << (i & 31)) - 1));
}

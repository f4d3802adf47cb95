/**
 * Unsigned integers in three bytes each when they are below 2^24, in four
 * otherwise. The dominator build's predecessor lists and the dominator tree's
 * child lists hold node numbers this way: for a snapshot of up to 16 million
 * nodes (several GB of file) they then take a quarter less memory than in
 * 32-bit arrays. The three bytes of a value sit side by side, so that reading
 * one at random touches one cache line (mostly).
 */
export class PackedUints {
  readonly length: number;
  /** Value `k`. (Each width has its own function, so that a loop that reads one array calls one function, which the compiler inlines.) */
  readonly get: (k: number) => number;
  /** Sets value `k` to `v`. */
  readonly set: (k: number, v: number) => void;

  /** Bytes for `length` values of at most `largest`. */
  static bytes(length: number, largest: number): number {
    return length * (largest > 0xffffff ? 4 : 3);
  }

  /** `length` values of at most `largest`, in `buffer` from byte `offset` on (a multiple of 4). */
  constructor(buffer: ArrayBuffer, offset: number, length: number, largest: number) {
    this.length = length;
    if (largest > 0xffffff) {
      const words = new Uint32Array(buffer, offset, length);
      this.get = (k) => words[k]!;
      this.set = (k, v) => void (words[k] = v);
    } else {
      const bytes = new Uint8Array(buffer, offset, 3 * length);
      this.get = (k) => {
        const j = 3 * k;
        return bytes[j]! | (bytes[j + 1]! << 8) | (bytes[j + 2]! << 16);
      };
      this.set = (k, v) => {
        const j = 3 * k;
        bytes[j] = v;
        bytes[j + 1] = v >>> 8;
        bytes[j + 2] = v >>> 16;
      };
    }
  }
}

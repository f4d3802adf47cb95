/**
 * Unsigned integers in three bytes each when they are below 2^24, in four
 * otherwise. The dominator build's predecessor lists and the dominator tree's
 * child lists hold node numbers this way: for a snapshot of up to 16 million
 * nodes (several GB of file) they then take a quarter less memory than in
 * 32-bit arrays. The three bytes of a value sit side by side, so that reading
 * one at random touches one cache line (mostly).
 */
export class PackedUints {
  /** The values' bytes, three a value (little-endian); undefined when they take four. */
  readonly bytes: Uint8Array | undefined;
  /** The values, when they take four bytes. */
  readonly words: Uint32Array | undefined;
  readonly length: number;

  /** Bytes for `length` values of at most `largest`. */
  static bytes(length: number, largest: number): number {
    return length * (largest > 0xffffff ? 4 : 3);
  }

  /** `length` values of at most `largest`, in `buffer` from byte `offset` on (a multiple of 4). */
  constructor(buffer: ArrayBuffer, offset: number, length: number, largest: number) {
    this.length = length;
    if (largest > 0xffffff) {
      this.bytes = undefined;
      this.words = new Uint32Array(buffer, offset, length);
    } else {
      this.bytes = new Uint8Array(buffer, offset, 3 * length);
      this.words = undefined;
    }
  }

  get(k: number): number {
    const b = this.bytes;
    if (b === undefined) return this.words![k]!;
    const j = 3 * k;
    return b[j]! | (b[j + 1]! << 8) | (b[j + 2]! << 16);
  }

  set(k: number, v: number): void {
    const b = this.bytes;
    if (b === undefined) {
      this.words![k] = v;
      return;
    }
    const j = 3 * k;
    b[j] = v;
    b[j + 1] = v >>> 8;
    b[j + 2] = v >>> 16;
  }
}

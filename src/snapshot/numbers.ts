/**
 * The number scanner of the snapshot parser in WebAssembly (generated with
 * its source by scripts/numbers-wasm.mjs). It parses the bulk of the
 * `nodes` and `edges` arrays — runs of digits between commas and newlines —
 * 64 bytes at a time; the parser's JavaScript loop takes whatever it
 * leaves: chunk ends, numbers cut by them, the closing bracket, bad bytes
 * (for their error messages) and numbers of 16 digits or more.
 */
import { NUMBERS_LAYOUT, NUMBERS_WASM } from './numbers-wasm.js';

// The little of the WebAssembly API used here (the compiler's ES2022 library does not declare it).
declare const WebAssembly:
  | {
      Module: new (bytes: Uint8Array) => WasmModule;
      Instance: new (module: WasmModule, imports: object) => { exports: unknown };
    }
  | undefined;
type WasmModule = { readonly __module: unique symbol };

interface Exports {
  memory: { buffer: ArrayBuffer };
  count: { value: number };
  scan: (len: number, n: number, cap: number) => number;
}

let compiled: WasmModule | null | undefined;

function compile(): WasmModule | null {
  if (compiled === undefined) {
    try {
      // Absent in `node --jitless`; SIMD is in every Node.js this package supports.
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(Buffer.from(NUMBERS_WASM, 'base64')) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** One scanner: its output buffer is the parser's scratch buffer. */
export class WasmNumbers {
  /** Bytes below which a call is not worth it. */
  static readonly MIN_BYTES = NUMBERS_LAYOUT.tail + 64;
  /** Where the numbers go (a view of the module's memory). */
  readonly out: Float64Array;
  /** How many numbers `out` holds after the last call. */
  count = 0;
  private readonly input: Uint8Array;
  private readonly exports: Exports;

  private constructor(exports: Exports) {
    this.exports = exports;
    const buffer = exports.memory.buffer;
    this.out = new Float64Array(buffer, NUMBERS_LAYOUT.out, NUMBERS_LAYOUT.capacity);
    this.input = new Uint8Array(buffer, NUMBERS_LAYOUT.input, NUMBERS_LAYOUT.inputCapacity);
  }

  /** A scanner, or null where WebAssembly is not available. */
  static create(): WasmNumbers | null {
    const module = compile();
    if (module === null || typeof WebAssembly !== 'object') return null;
    try {
      return new WasmNumbers(new WebAssembly.Instance(module, {}).exports as Exports);
    } catch {
      return null;
    }
  }

  /**
   * Parses numbers from `buf[i .. end)` into `out[n ..]`, and returns where
   * the caller goes on (`count` is then the count of numbers in `out`). The
   * byte before `buf[i]` must not be a digit: no number is in progress.
   */
  scan(buf: Uint8Array, i: number, end: number, n: number): number {
    // Each number takes two bytes at least: no more input than the output has room for.
    const take = Math.min(end - i, NUMBERS_LAYOUT.inputCapacity, 2 * (NUMBERS_LAYOUT.capacity - n));
    this.input.set(buf.subarray(i, i + take));
    const p = this.exports.scan(take, n, NUMBERS_LAYOUT.capacity);
    this.count = this.exports.count.value;
    return i + p;
  }
}

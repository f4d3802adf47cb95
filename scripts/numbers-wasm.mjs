#!/usr/bin/env node
/**
 * Generates src/snapshot/numbers-wasm.ts: a WebAssembly function that parses
 * runs of unsigned decimal numbers (the `nodes` and `edges` arrays of a heap
 * snapshot) into doubles, 64 bytes at a time with SIMD.
 *
 *   node scripts/numbers-wasm.mjs          writes the file
 *   node scripts/numbers-wasm.mjs --check  exits 1 if the file is not what this script writes
 *
 * The algorithm: each 64-byte block is classified with four 16-byte
 * compares into a 64-bit mask of digits; a number starts where a digit
 * follows a non-digit, so the starts of the block's numbers are known
 * without reading them one after the other. Each number is then converted
 * from the 16 bytes at its start: the non-digit bytes give its length
 * (count trailing zeros), and the digits are combined eight at a time by
 * three multiply-shift-mask steps (SWAR). Anything unusual — a byte that
 * is neither a digit nor a separator, a number of 16 digits or more, the
 * last bytes of the input, a full output — returns to the caller, which
 * parses that part in JavaScript.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const target = fileURLToPath(new URL('../src/snapshot/numbers-wasm.ts', import.meta.url));

// Memory layout (bytes): powers of ten, output doubles, input bytes.
const POW = 0;
const OUT = 64;
const CAP = 65536;
const IN = OUT + 8 * CAP;
const IN_CAP = 256 * 1024;
const PAGES = Math.ceil((IN + IN_CAP) / 65536);
/** The last 80 bytes are left to the caller: a block is 64 bytes, a number is read 16 bytes at a time. */
const TAIL = 80;

const i64 = (v) => `(i64.const ${v})`;
const splat = (b) => `(v128.const i8x16 ${`${b} `.repeat(16).trim()})`;
/** High bit of each byte of x set where the byte is not a digit (or not ASCII). */
const nonDigits = (x) =>
  `(i64.and (i64.or (i64.or (i64.xor (i64.add ${x} ${i64('0x5050505050505050')}) ${i64(-1)}) (i64.add ${x} ${i64('0x4646464646464646')})) ${x}) ${i64('0x8080808080808080')})`;
/**
 * y := the value of the first k digits of x (little-endian bytes, first digit
 * lowest). With `zeroOk`, k may be 0 (the shift is split so that 64 clears).
 */
const digits = (x, k, y, zeroOk) => {
  const ascii = `(i64.xor ${x} ${i64('0x3030303030303030')})`;
  const shifted = zeroOk
    ? `(i64.shl (i64.shl ${ascii} (i64.sub ${i64(63)} (i64.shl ${k} ${i64(3)}))) ${i64(1)})`
    : `(i64.shl ${ascii} (i64.sub ${i64(64)} (i64.shl ${k} ${i64(3)})))`;
  const step = (mul, shift, mask) =>
    `(local.set ${y} (i64.and (i64.add (i64.mul (local.get ${y}) ${i64(mul)}) (i64.shr_u (local.get ${y}) ${i64(shift)})) ${i64(mask)}))`;
  return [
    `(local.set ${y} ${shifted})`,
    step(10, 8, '0x00FF00FF00FF00FF'),
    step(100, 16, '0x0000FFFF0000FFFF'),
    step(10000, 32, '0xFFFFFFFF'),
  ].join('\n            ');
};
const powers = Array.from({ length: 8 }, (_, k) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(10n ** BigInt(k));
  return [...b].map((c) => `\\${c.toString(16).padStart(2, '0')}`).join('');
}).join('');
const classify = (j) => `
        (local.set $v (v128.load offset=${IN + 16 * j} align=1 (local.get $b)))
        (local.set $d (i8x16.le_u (i8x16.sub (local.get $v) ${splat(48)}) ${splat(9)}))
        (local.set $bad (v128.or (local.get $bad) (v128.not (v128.or (local.get $d)
          (v128.or (v128.or (i8x16.eq (local.get $v) ${splat(44)}) (i8x16.eq (local.get $v) ${splat(10)}))
            (v128.or (i8x16.eq (local.get $v) ${splat(32)}) (v128.or (i8x16.eq (local.get $v) ${splat(13)}) (i8x16.eq (local.get $v) ${splat(9)}))))))))
        (local.set $D (i64.or (local.get $D) (i64.shl (i64.extend_i32_u (i8x16.bitmask (local.get $d))) ${i64(16 * j)})))`;

const wat = `(module
  (memory (export "memory") ${PAGES})
  (data (i32.const ${POW}) "${powers}")
  (global $count (export "count") (mut i32) (i32.const 0))
  ;; Parses the numbers of in[0 .. len) into out[n .. cap) and returns the offset where the
  ;; caller goes on; the count of numbers in out is left in $count. The byte before in[0]
  ;; must not be a digit.
  (func (export "scan") (param $len i32) (param $n i32) (param $cap i32) (result i32)
    (local $b i32) (local $stop i32) (local $resume i32) (local $q i32)
    (local $v v128) (local $d v128) (local $bad v128)
    (local $D i64) (local $starts i64) (local $prev i64)
    (local $x i64) (local $x2 i64) (local $nd i64) (local $nd2 i64) (local $k1 i64) (local $k2 i64) (local $y i64) (local $y2 i64)
    (local.set $stop (i32.sub (local.get $len) (i32.const ${TAIL})))
    (block $done
      (loop $block
        (br_if $done (i32.gt_s (local.get $b) (local.get $stop)))
        ;; Digits of the block, one bit per byte; any byte that is neither a digit nor a separator stops here.
        (local.set $D ${i64(0)})
        (local.set $bad (v128.const i64x2 0 0))
        ${[0, 1, 2, 3].map(classify).join('')}
        (br_if $done (v128.any_true (local.get $bad)))
        ;; Numbers start at a digit after a non-digit ($prev: the last byte of the block before was a digit).
        (local.set $starts (i64.and (local.get $D) (i64.xor (i64.or (i64.shl (local.get $D) ${i64(1)}) (local.get $prev)) ${i64(-1)})))
        (br_if $done (i32.gt_u (i32.add (local.get $n) (i32.wrap_i64 (i64.popcnt (local.get $starts)))) (local.get $cap)))
        (local.set $prev (i64.shr_u (local.get $D) ${i64(63)}))
        (block $numbers
          (loop $number
            (br_if $numbers (i64.eqz (local.get $starts)))
            (local.set $q (i32.add (local.get $b) (i32.wrap_i64 (i64.ctz (local.get $starts)))))
            (local.set $starts (i64.and (local.get $starts) (i64.sub (local.get $starts) ${i64(1)})))
            (local.set $x (i64.load offset=${IN} align=1 (local.get $q)))
            (local.set $nd ${nonDigits('(local.get $x)')})
            (if (i64.eqz (local.get $nd))
              (then
                ;; Eight digits or more: k2 more in the next eight bytes; sixteen or more are the caller's.
                (local.set $x2 (i64.load offset=${IN + 8} align=1 (local.get $q)))
                (local.set $nd2 ${nonDigits('(local.get $x2)')})
                (if (i64.eqz (local.get $nd2))
                  (then (global.set $count (local.get $n)) (return (local.get $q))))
                (local.set $k1 ${i64(8)})
                (local.set $k2 (i64.shr_u (i64.ctz (local.get $nd2)) ${i64(3)}))
                ${digits('(local.get $x)', i64(8), '$y', false)}
                ${digits('(local.get $x2)', '(local.get $k2)', '$y2', true)}
                (local.set $y (i64.add
                  (i64.mul (local.get $y) (i64.load offset=${POW} (i32.wrap_i64 (i64.shl (local.get $k2) ${i64(3)}))))
                  (local.get $y2))))
              (else
                ;; Fewer than eight digits: the number ends in the first eight bytes.
                (local.set $k1 (i64.shr_u (i64.ctz (local.get $nd)) ${i64(3)}))
                (local.set $k2 ${i64(0)})
                ${digits('(local.get $x)', '(local.get $k1)', '$y', false)}))
            (f64.store offset=${OUT} (i32.shl (local.get $n) (i32.const 3)) (f64.convert_i64_u (local.get $y)))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (local.set $resume (i32.add (local.get $q) (i32.wrap_i64 (i64.add (local.get $k1) (local.get $k2)))))
            (br $number)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (br $block)))
    (global.set $count (local.get $n))
    ;; After the last number read, or the first block not read.
    (select (local.get $resume) (local.get $b) (i32.gt_u (local.get $resume) (local.get $b))))
)
`;

const wabt = await wabtInit();
const module = wabt.parseWat('numbers.wat', wat, { simd: true });
module.validate();
const { buffer } = module.toBinary({});
module.destroy();
const base64 = Buffer.from(buffer).toString('base64');
const lines = base64.match(/.{1,100}/g) ?? [];
const ts = `// Generated by scripts/numbers-wasm.mjs: do not edit (run \`node scripts/numbers-wasm.mjs\`).
// The WebAssembly number scanner of the snapshot parser (see ./numbers.ts); the script holds its source.

/** Where the scanner's memory holds its output doubles and its input bytes. */
export const NUMBERS_LAYOUT = { out: ${OUT}, capacity: ${CAP}, input: ${IN}, inputCapacity: ${IN_CAP}, tail: ${TAIL} } as const;

/** The module (${buffer.length} bytes), base64. */
export const NUMBERS_WASM =
${lines.map((l) => `  '${l}'`).join(' +\n')};
`;
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (current !== ts) {
    console.error(`${target} is not what scripts/numbers-wasm.mjs writes: run node scripts/numbers-wasm.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(target, ts);
  console.log(`wrote ${target} (${buffer.length} bytes of WebAssembly)`);
}

/** Binary search over sorted numbers, shared by the indexes that look up by key. */

/**
 * The first index in `sorted[0 .. end)` whose value is at least `key`
 * (`end` when there is none). `sorted` ascends.
 */
export function lowerBound(sorted: ArrayLike<number>, key: number, end = sorted.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

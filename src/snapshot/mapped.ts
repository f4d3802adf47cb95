/**
 * Buffers the C allocator gives back to the system as soon as they are freed.
 *
 * glibc's malloc serves a request of {@link ALWAYS_MAPPED} bytes or more with a
 * mapping of its own, which it unmaps when the block is freed. A smaller block
 * may come from the heap of the thread's arena instead: once the process has
 * freed a mapped block of a few MiB, requests up to that size do (the
 * allocator's threshold moves up to 32 MiB), and a freed block there stays in
 * the process, for that arena's later requests alone — after a worker thread
 * has ended too. A temporary array of a few MiB (the buffers a file is read
 * into, say) is therefore cut from a buffer of ALWAYS_MAPPED bytes: only the
 * pages written take memory, and they leave with the buffer.
 */
export const ALWAYS_MAPPED = 33 * 1024 * 1024;

/** `bytes` bytes (uninitialised) cut from a buffer of at least {@link ALWAYS_MAPPED} bytes. */
export function mappedBuffer(bytes: number): Buffer {
  return Buffer.allocUnsafeSlow(Math.max(bytes, ALWAYS_MAPPED)).subarray(0, bytes);
}

/**
 * Errors raised while reading a heap snapshot. Every message names the source
 * (a file path, or "<stream>") and what is wrong with it, so that a user who
 * hands us a damaged or foreign file learns why it was refused.
 */
export class SnapshotError extends Error {
  /** The file (or `<stream>` / `<chunks>`) that was being read. */
  readonly source: string;
  /** Byte offset in the (decompressed) input where the problem was found, if known. */
  readonly offset: number | undefined;

  constructor(source: string, problem: string, offset?: number) {
    super(`${source}: ${problem}`);
    this.name = 'SnapshotError';
    this.source = source;
    this.offset = offset;
  }
}

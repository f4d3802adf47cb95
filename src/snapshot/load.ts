/**
 * Reading snapshots from files, streams and chunk sequences into a {@link HeapSnapshot}.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { pipeline, Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { SnapshotError } from './errors.js';
import { mappedBuffer } from './mapped.js';
import { HeapSnapshot } from './model.js';
import { SnapshotParser, type EdgeArrays, type ProgressCallback, type SnapshotData, type SnapshotHeader } from './parser.js';
import { EdgesJob, PARALLEL_MIN_BYTES, readEdgesFromFile, type EdgesOutcome } from './edges-file.js';

export interface ReadOptions {
  /** Called with parse progress (bytes) and, later, index-building progress. */
  onProgress?: ProgressCallback | undefined;
  /** Name to use in error messages for streams and chunks. */
  source?: string;
  /**
   * Parse the `edges` array of a plain snapshot file on a worker thread
   * while this thread parses the rest (see ./edges-file.ts). Default: for
   * files of {@link PARALLEL_MIN_BYTES} and more.
   */
  parallel?: boolean;
}

/**
 * Something a snapshot can be read from: a file path or `file:` URL, a
 * readable stream, chunks of text or bytes, or the whole snapshot as bytes.
 */
export type SnapshotInput = string | URL | Uint8Array | NodeJS.ReadableStream | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

const CHUNK = 1024 * 1024;

/** Bytes as they are, or gunzipped when they start with gzip's magic number. */
function maybeGunzip(bytes: Uint8Array, source: string): Uint8Array {
  if (!startsWithGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new SnapshotError(source, `corrupt gzip data: ${(e as Error).message}`);
  }
}

/** One whole text or byte array as one chunk (iterating it would give characters or numbers). */
function wholeOrChunks(chunks: Iterable<string | Uint8Array> | Uint8Array | string): Iterable<string | Uint8Array> {
  return typeof chunks === 'string' || chunks instanceof Uint8Array ? [chunks] : chunks;
}

function fileError(path: string, e: unknown): SnapshotError {
  const err = e as NodeJS.ErrnoException;
  const why =
    err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory, not a heap snapshot file' : err.code === 'EACCES' ? 'permission denied' : err.message;
  return new SnapshotError(path, `cannot read: ${why}`);
}

/**
 * Size of the snapshot file, or a SnapshotError saying why it cannot be read;
 * -1 for what is not a regular file (a pipe, `/dev/stdin`): it can only be
 * read once, from the start, so nothing may peek at it or seek in it.
 */
function fileSize(path: string): number {
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return st.isFile() ? st.size : -1;
  } catch (e) {
    throw fileError(path, e);
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

function startsWithGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/**
 * Reads a file once, from the start, in chunks of up to {@link CHUNK} bytes
 * (a pipe or device too); `onChunk` gets a view into a buffer reused for the
 * next chunk.
 */
function readChunksSync(path: string, onChunk: (bytes: Buffer) => void): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw fileError(path, e);
  }
  try {
    const buf = mappedBuffer(CHUNK);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, CHUNK, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue; // a non-blocking pipe with nothing yet
        throw fileError(path, e);
      }
      if (n === 0) break;
      onChunk(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/** Feeds decompressed bytes to a new parser in chunks (so that it reports progress). */
function parseBytes(bytes: Uint8Array, source: string, onProgress: ProgressCallback | undefined): SnapshotParser {
  const parser = new SnapshotParser({ source, totalBytes: bytes.length, onProgress });
  for (let at = 0; at < bytes.length; at += CHUNK) parser.write(bytes.subarray(at, at + CHUNK));
  return parser;
}

/** Makes the snapshot object from parsed data (lets outer layers return a subclass). */
export type SnapshotFactory<T extends HeapSnapshot> = (data: SnapshotData) => T;

const plain: SnapshotFactory<HeapSnapshot> = (data) => new HeapSnapshot(data);

/** Builds a snapshot from data already parsed. */
export function snapshotFromData<T extends HeapSnapshot = HeapSnapshot>(
  data: SnapshotData,
  onProgress?: ProgressCallback,
  create: SnapshotFactory<T> = plain as SnapshotFactory<T>,
): T {
  const snap = create(data);
  snap.onProgress = onProgress;
  return snap;
}

/** Parses a sequence of chunks (strings or bytes), or one whole text or byte array, synchronously. */
export function parseSnapshotSync<T extends HeapSnapshot = HeapSnapshot>(
  chunks: Iterable<string | Uint8Array> | Uint8Array,
  options: ReadOptions = {},
  create: SnapshotFactory<T> = plain as SnapshotFactory<T>,
): T {
  const parser = new SnapshotParser({ source: options.source ?? '<chunks>', onProgress: options.onProgress });
  for (const chunk of wholeOrChunks(chunks)) parser.write(chunk);
  return snapshotFromData(parser.end(), options.onProgress, create);
}

/** Reads a `.heapsnapshot` (or gzip-compressed `.heapsnapshot.gz`) file synchronously. */
export function readSnapshotFileSync<T extends HeapSnapshot = HeapSnapshot>(
  path: string,
  options: ReadOptions = {},
  create: SnapshotFactory<T> = plain as SnapshotFactory<T>,
): T {
  const size = fileSize(path);
  // Gzip is known by the first bytes. A pipe (size -1) is read once, from the start, and
  // its edges are not left to a second thread.
  let split = null as SplitParse | null;
  let parser: SnapshotParser | undefined;
  const compressed: Buffer[] = [];
  try {
    readChunksSync(path, (chunk) => {
      if (parser === undefined && compressed.length === 0) {
        if (startsWithGzip(chunk)) return void compressed.push(Buffer.from(chunk));
        split = size < 0 ? null : new SplitParse(path, size, options);
        parser = split?.parser ?? new SnapshotParser({ source: path, onProgress: options.onProgress });
      }
      if (parser !== undefined) parser.write(chunk);
      else compressed.push(Buffer.from(chunk));
    });
    if (compressed.length > 0) parser = parseBytes(maybeGunzip(Buffer.concat(compressed), path), path, options.onProgress);
    if (split) {
      split.parser.prepareEnd();
      split.finish(split.job?.joinSync() ?? null);
    }
  } catch (e) {
    split?.job?.cancel();
    throw e;
  }
  parser ??= new SnapshotParser({ source: path, onProgress: options.onProgress }); // an empty file
  return snapshotFromData(parser.end(), options.onProgress, create);
}

/**
 * The parser of a plain snapshot file: for big files its `edges` array is
 * left to a worker thread (see ./edges-file.ts), started as soon as the
 * header is read.
 */
class SplitParse {
  readonly parser: SnapshotParser;
  job: EdgesJob | null = null;
  private header: SnapshotHeader | undefined;

  constructor(
    private readonly path: string,
    size: number,
    options: ReadOptions,
  ) {
    const split = options.parallel ?? size >= PARALLEL_MIN_BYTES;
    this.parser = new SnapshotParser({
      source: path,
      totalBytes: size,
      onProgress: options.onProgress,
      skipEdges: split,
      onHeader: split
        ? (header, at): void => {
            this.header = header;
            this.job = EdgesJob.start(path, header, at);
            // No second thread here (no worker script, say): one pass, not two.
            if (this.job === null) this.parser.keepEdges();
          }
        : undefined,
    });
  }

  /**
   * Hands the worker's edges (or its error) to the parser once the file is
   * read. When the worker could not start, died, or read an array elsewhere
   * than where the parser found the top-level one, the edges are parsed
   * here from the parser's offset.
   */
  finish(outcome: EdgesOutcome | null): void {
    const start = this.parser.edgesOffset;
    if (start < 0 || this.header === undefined) return; // no edges array: end() says so
    let edges: EdgeArrays;
    if (outcome !== null && outcome.start === start) {
      if ('error' in outcome) throw outcome.error;
      edges = outcome.edges;
    } else edges = readEdgesFromFile(this.path, this.header, { start }).edges;
    this.parser.setEdges(edges);
  }
}

/**
 * Reads a snapshot from a file path (plain or gzip-compressed), a readable
 * stream, or an (async) iterable of chunks.
 */
export async function readSnapshot<T extends HeapSnapshot = HeapSnapshot>(
  input: SnapshotInput,
  options: ReadOptions = {},
  create: SnapshotFactory<T> = plain as SnapshotFactory<T>,
): Promise<T> {
  if (typeof input === 'string') return readSnapshotFile(input, options, create);
  if (input instanceof URL) return readSnapshotFile(fileURLToPath(input), options, create);
  let parser: SnapshotParser;
  if (input instanceof Uint8Array) {
    const source = options.source ?? '<bytes>';
    parser = parseBytes(maybeGunzip(input, source), source, options.onProgress);
  } else {
    parser = new SnapshotParser({ source: options.source ?? '<stream>', onProgress: options.onProgress });
    for await (const chunk of input as AsyncIterable<string | Uint8Array>) parser.write(chunk);
  }
  return snapshotFromData(parser.end(), options.onProgress, create);
}

async function readSnapshotFile<T extends HeapSnapshot>(path: string, options: ReadOptions, create: SnapshotFactory<T>): Promise<T> {
  const size = fileSize(path);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw fileError(path, e);
  }
  const reader = new ChunkReader(handle);
  let gz = false;
  let split: SplitParse | null = null;
  let parser: SnapshotParser;
  try {
    const first = await reader.next();
    // Gzip is known by the first bytes. A pipe (size -1) is read once, from the start, and
    // its edges are not left to a second thread.
    gz = first !== null && startsWithGzip(first);
    split = gz || size < 0 ? null : new SplitParse(path, size, options);
    parser = split?.parser ?? new SnapshotParser({ source: path, onProgress: options.onProgress });
    if (gz) {
      // The decompressor holds on to what it is given: it gets copies.
      const copies = async function* (): AsyncGenerator<Buffer> {
        for (let c = first; c !== null; c = await reader.next()) yield Buffer.from(c);
      };
      const gunzip = createGunzip({ chunkSize: CHUNK });
      pipeline(Readable.from(copies()), gunzip, () => {}); // an error reaches the reader of gunzip
      for await (const chunk of gunzip as AsyncIterable<Buffer>) parser.write(chunk);
    } else {
      for (let c = first; c !== null; c = await reader.next()) parser.write(c);
    }
    if (split) {
      parser.prepareEnd();
      split.finish((await split.job?.join()) ?? null);
    }
  } catch (e) {
    split?.job?.cancel();
    if (e instanceof SnapshotError) throw e;
    if (gz) throw new SnapshotError(path, `corrupt gzip data: ${(e as Error).message}`);
    throw fileError(path, e);
  } finally {
    await reader.close();
  }
  return snapshotFromData(parser.end(), options.onProgress, create);
}

/**
 * Reads an open file once, from the start, in chunks of up to {@link CHUNK}
 * bytes, into two buffers in turn: the next chunk is read while the caller
 * parses the one it was given, which stays valid until the next call. A new
 * buffer per chunk would leave the process larger: the garbage collector
 * frees them late, and the C allocator keeps much of what they took. (Both
 * are cut from one mapped buffer, see ./mapped.ts.)
 */
class ChunkReader {
  private readonly both = mappedBuffer(2 * CHUNK);
  private readonly buffers = [0, 1].map((k) => this.both.subarray(k * CHUNK, (k + 1) * CHUNK));
  private turn = 0;
  private pending: Promise<number>;
  private closed = false;

  constructor(private readonly handle: FileHandle) {
    this.pending = this.read(0);
  }

  /** The next chunk, or null at the end of the file (or once closed). */
  async next(): Promise<Buffer | null> {
    if (this.closed) return null;
    const n = await this.pending;
    // (A decompressor's feed may still ask after the parse has failed and closed the file.)
    if (n === 0 || this.closed) return null;
    const chunk = this.buffers[this.turn]!.subarray(0, n);
    this.turn ^= 1;
    this.pending = this.read(this.turn);
    return chunk;
  }

  /** Waits for the read under way (its error no longer matters), then closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pending.catch(() => 0);
    await this.handle.close();
  }

  private read(turn: number): Promise<number> {
    const read = async (): Promise<number> => {
      for (;;) {
        try {
          return (await this.handle.read(this.buffers[turn]!, 0, CHUNK, null)).bytesRead;
        } catch (e) {
          // A non-blocking pipe with nothing yet.
          if ((e as NodeJS.ErrnoException).code === 'EAGAIN') await new Promise((resolve) => setTimeout(resolve, 10));
          else throw e;
        }
      }
    };
    const p = read();
    p.catch(() => {}); // seen by next() or close(); not an unhandled rejection meanwhile
    return p;
  }
}

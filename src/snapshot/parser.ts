/**
 * A streaming parser for V8 `.heapsnapshot` files.
 *
 * It reads bytes (or strings, as the inspector delivers them) chunk by chunk
 * and writes the node and edge fields straight into one typed array per
 * field. The field and type lists are always taken from `snapshot.meta`; the
 * `strings` section goes into a {@link StringPool} without ever becoming one
 * JavaScript string. The parser is synchronous (`write` / `end`) so that it can
 * be driven by the in-process inspector, and never recurses, so no input can
 * overflow the stack.
 */
import { NameWriter, nameAt, type NameArrays } from './names.js';
import { NodeIds } from './node-ids.js';
import { EDGE_TYPE_SHIFT, MAX_EDGE_TYPES, MAX_NODES } from './edge-word.js';
import { SnapshotError } from './errors.js';
import { LocationBuilder, noLocations, type Locations } from './locations.js';
import { LARGE_SIZE, type LargeSizes } from './ownership.js';
import { StringPool } from './strings.js';
import { WasmNumbers } from './numbers.js';

/** The `snapshot` header object of a heap snapshot file. */
export interface SnapshotHeader {
  meta: SnapshotMeta;
  node_count: number;
  edge_count: number;
  trace_function_count?: number;
  root_index?: number;
  extra_native_bytes?: number;
  title?: string;
  uid?: number;
  [key: string]: unknown;
}

/** The `snapshot.meta` block: the layout of every flat array in the file. */
export interface SnapshotMeta {
  node_fields: string[];
  node_types: Array<string[] | string>;
  edge_fields: string[];
  edge_types: Array<string[] | string>;
  trace_function_info_fields?: string[];
  trace_node_fields?: string[];
  sample_fields?: string[];
  location_fields?: string[];
  [key: string]: unknown;
}

/** Progress of a long operation: `done` of `total` units (bytes while parsing, nodes while indexing). */
export interface Progress {
  phase: string;
  done: number;
  /** Undefined when the total is not known (a stream of unknown length). */
  total: number | undefined;
}

export type ProgressCallback = (progress: Progress) => void;

/** Everything the parser extracts from a snapshot: flat arrays, one per field. */
export interface SnapshotData {
  source: string;
  header: SnapshotHeader;
  nodeFieldCount: number;
  nodeTypeNames: string[];
  edgeTypeNames: string[];
  nodeCount: number;
  edgeCount: number;
  nodeType: Uint8Array;
  /** Each node's name (a string index; see ./names.ts). */
  nodeName: NameArrays;
  nodeId: Uint32Array;
  /** The ids as the model keeps them, when worked out already (see {@link SnapshotParser.prepareEnd}); never set on data posted between threads, where a class instance would lose its methods. */
  ids?: NodeIds | undefined;
  /** Self sizes below 65,535 bytes; the others read 65,535 and are in {@link largeSelfSizes}. */
  nodeSelfSize: Uint16Array;
  largeSelfSizes: LargeSizes;
  /** `firstEdge[i]` is the index of node i's first edge; `firstEdge[nodeCount] === edgeCount`. */
  firstEdge: Uint32Array;
  /** Undefined when the snapshot has no such field, or every value in it is 0. */
  traceNodeId: Uint32Array | undefined;
  /**
   * The nodes whose `detachedness` field is not 0 (unknown), in ordinal
   * order, each as `ordinal * 4 + mark` (1 attached, 2 detached); undefined
   * when the snapshot has no such field or no such node. Most snapshots mark
   * few nodes (Node.js a handful of embedder objects).
   */
  detachedMarks: Uint32Array | undefined;
  /** String index for named edges, the number itself for `element` and `hidden` edges (see ./edge-names.ts). */
  edgeNames: NameArrays;
  /**
   * Each edge's target and type in one word: the target node's ordinal in the
   * low bits (`& EDGE_TO_MASK`; the file stores an offset into `nodes`, this
   * is offset / nodeFieldCount), the type's index in `edgeTypeNames` in the
   * top bits (`>>> EDGE_TYPE_SHIFT`).
   */
  edgeWord: Uint32Array;
  strings: StringPool;
  /** The `locations` section: each row's node ordinal and place, and the distinct places (see ./locations.ts). */
  locations: Locations;
  traceFunctionInfos: Float64Array;
  samples: Float64Array;
  /** Bytes read (after decompression). */
  byteLength: number;
}

export interface ParserOptions {
  /** Name used in error messages: the file path, or `<stream>`. */
  source?: string;
  /** Total input size in bytes, when known, for progress reports. */
  totalBytes?: number;
  onProgress?: ProgressCallback | undefined;
  /**
   * Skip the `edges` array (its bytes are only searched for its end): another
   * parser reads it ({@link SnapshotParser.forEdges}) and hands the arrays
   * over with {@link SnapshotParser.setEdges} before {@link SnapshotParser.end}.
   */
  skipEdges?: boolean;
  /** Called once the `snapshot` header is read, with the byte offset just after it. */
  onHeader?: ((header: SnapshotHeader, offset: number) => void) | undefined;
  /**
   * Parse the bulk of the number arrays with the WebAssembly scanner
   * (./numbers.ts). Default true; false parses everything in JavaScript
   * (the results are the same).
   */
  wasm?: boolean;
}

/** The parsed `edges` array. */
export interface EdgeArrays {
  edgeNames: NameArrays;
  edgeWord: Uint32Array;
  /** The largest string index an edge names (element and hidden edges hold indexes, not names); -1 when none. */
  maxName: number;
}

const enum Mode {
  Start,
  KeyOrClose,
  Key,
  KeyAfterComma,
  Colon,
  Value,
  AfterValue,
  Capture,
  Skip,
  Nodes,
  Edges,
  Numbers,
  Strings,
  SkipEdges,
  Done,
}

const enum Str {
  Between,
  In,
  Escape,
}

const utf8 = new TextEncoder();

/**
 * A copy of `bytes` in a buffer of its own. Never Node's shared 8 KiB pool
 * (`Buffer.from`, `Buffer.concat` and `Buffer.allocUnsafe` of small sizes):
 * when a snapshot of the current process is parsed in that process, taking a
 * slice of the pool can make Node replace the pool, and the new pool would
 * show up as new objects in the next snapshot.
 */
export function unpooledCopy(bytes: ArrayLike<number>): Buffer {
  const out = Buffer.allocUnsafeSlow(bytes.length);
  out.set(bytes);
  return out;
}

function concatUnpooled(parts: readonly Uint8Array[]): Buffer {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = Buffer.allocUnsafeSlow(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const MAX_HEADER_BYTES = 64 * 1024 * 1024;
const MAX_KEY_BYTES = 4096;
const PROGRESS_STEP = 8 * 1024 * 1024;

/**
 * A growable array of numbers (for the small sections: samples, trace infos,
 * and, a chunk at a time, locations; and for what few nodes have: large self
 * sizes, detachedness marks).
 */
class NumberList {
  data = new Float64Array(1024);
  length = 0;
  /** How many numbers the parser may add at a time before it calls {@link settle}; 0 for no bound. */
  readonly batch: number = 0;

  /** Appends one number. */
  push(v: number): void {
    this.reserve(1);
    this.data[this.length++] = v;
  }

  /** The numbers as 32-bit unsigned integers (for lists that hold nothing else). */
  toUint32Array(): Uint32Array {
    return Uint32Array.from(this.data.subarray(0, this.length));
  }

  /** Makes room for `more` numbers. */
  reserve(more: number): void {
    if (this.length + more <= this.data.length) return;
    const d = new Float64Array(Math.max(this.data.length * 2, this.length + more));
    d.set(this.data.subarray(0, this.length));
    this.data = d;
  }

  /** Called after each chunk's numbers: a list that moves them elsewhere does it here. */
  settle(): void {}

  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** The `locations` numbers: after each chunk, the complete rows go to the builder, and the list keeps the rest. */
class LocationList extends NumberList {
  // (A chunk may hold half a million numbers: taken a piece at a time, they need a small
  // list, and leave no large one to the garbage collector.)
  override readonly batch = 1 << 16;

  constructor(private readonly builder: LocationBuilder) {
    super();
    // Room for a batch and a partial row: the list never grows.
    this.data = new Float64Array(this.batch + 64);
  }

  override settle(): void {
    const used = this.builder.addRows(this.data, this.length);
    if (used === 0) return;
    this.data.copyWithin(0, used, this.length);
    this.length -= used;
  }

  finish(): Locations {
    return this.builder.finish();
  }
}

/**
 * Offset of the first `byte` in `buf[from .. to)`, or -1: Buffer's search
 * (memchr), several times faster than a typed array's `indexOf`.
 */
function findByte(buf: Uint8Array, byte: number, from: number, to: number): number {
  if (to <= from) return -1;
  const k = Buffer.from(buf.buffer, buf.byteOffset + from, to - from).indexOf(byte);
  return k < 0 ? -1 : from + k;
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function describeByte(c: number): string {
  if (c >= 32 && c < 127) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/**
 * Push parser: call {@link write} with each chunk, then {@link end} to get the data.
 *
 * @example
 * const parser = new SnapshotParser({ source: 'app.heapsnapshot' });
 * for (const chunk of chunks) parser.write(chunk);
 * const snapshot = new HeapSnapshot(parser.end());
 */
export class SnapshotParser {
  private readonly source: string;
  private readonly totalBytes: number | undefined;
  private readonly onProgress: ProgressCallback | undefined;
  private mode = Mode.Start;
  private offset = 0; // bytes consumed before the current chunk
  private nextProgress = PROGRESS_STEP;
  private firstBytes: number[] = [];

  // Top-level keys.
  private keyBytes: number[] = [];
  private key = '';
  private seen = new Set<string>();

  // Capture (header) and skip state.
  private depth = 0;
  private inString = false;
  private escape = false;
  private captured: Buffer[] = [];
  private capturedBytes = 0;

  // Header-derived layout.
  private header: SnapshotHeader | undefined;
  private nfc = 0;
  private nodeCount = 0;
  private edgeCount = 0;
  private fType = -1;
  private fName = -1;
  private fId = -1;
  private fSelf = -1;
  private fEdges = -1;
  private fTrace = -1;
  private fDetached = -1;
  private efType = -1;
  private efName = -1;
  // Checked as the arrays are filled; names against the string count at the end.
  private maxNodeName = -1;
  private maxEdgeName = -1;
  private edgeElement = -1;
  private edgeHidden = -1;
  private efTo = -1;
  private efCount = 0;
  private nodeTypeNames: string[] = [];
  private edgeTypeNames: string[] = [];

  // Output arrays.
  private nodeType: Uint8Array | undefined;
  private nodeName: NameWriter | undefined;
  private nodeId: Uint32Array | undefined;
  private nodeSelf: Uint16Array | undefined;
  /** The self sizes too large for 16 bits: their nodes, and the sizes. */
  private largeSelfOrdinals = new NumberList();
  private largeSelfSizes = new NumberList();
  private firstEdge: Uint32Array | undefined;
  private traceNodeId: Uint32Array | undefined;
  /** The detachedness marks other than 0, as ordinal * 4 + mark. */
  private detachedMarks = new NumberList();
  private edgeNames: NameWriter | NameArrays | undefined;
  private edgeWord: Uint32Array | undefined;
  private strings = new StringPool(4096);
  private numbers: NumberList | undefined;
  private locations: LocationList | undefined;
  private samples: NumberList | undefined;
  private traceInfos: NumberList | undefined;

  // Number-array state.
  private acc = 0;
  private inNum = false;
  private neg = false;
  private ord = 0;
  private edgeSum = 0;
  private nodesDone = false;
  private ids: NodeIds | undefined;
  private edgesDone = false;
  private stringsDone = false;

  // Scratch buffer for scanned values (the WebAssembly scanner's output, when there is one).
  private readonly fast: WasmNumbers | null;
  /** Offset in the current chunk before which the WebAssembly scanner is not run again (see runFast). */
  private slowUntil = 0;
  private scratch: Float64Array;
  private scratchLength = 0;
  private arrayEnded = false;

  // Strings state.
  private str = Str.Between;
  private strEscaped = false;

  // Edges read elsewhere (skipEdges), or only edges read here (forEdges).
  private skipEdges: boolean;
  private readonly onHeader: ((header: SnapshotHeader, offset: number) => void) | undefined;
  private edgesOnly = false;
  private edgesSkipped = false;
  private edgesStart = -1;

  constructor(options: ParserOptions = {}) {
    this.source = options.source ?? '<chunks>';
    this.totalBytes = options.totalBytes;
    this.onProgress = options.onProgress;
    this.skipEdges = options.skipEdges === true;
    this.onHeader = options.onHeader;
    this.fast = options.wasm === false ? null : WasmNumbers.create();
    this.scratch = this.fast?.out ?? new Float64Array(1 << 16);
  }

  /**
   * A parser of the `edges` array alone, fed from the byte after its `[`
   * (at byte `offset` of the snapshot, for error messages) to its `]` or
   * beyond; {@link edgesResult} returns the arrays. `header` is the
   * snapshot's header (its layout and counts).
   */
  static forEdges(header: SnapshotHeader, options: { source?: string; offset: number }): SnapshotParser {
    const p = new SnapshotParser({ source: options.source ?? '<chunks>' });
    p.edgesOnly = true;
    p.setHeader(header);
    p.offset = options.offset;
    p.mode = Mode.Edges;
    p.resetNumbers();
    return p;
  }

  /** Whether an edges-only parser has read the whole array. */
  get edgesComplete(): boolean {
    return this.edgesDone;
  }

  /** The arrays of an edges-only parser, once the array has ended. */
  edgesResult(): EdgeArrays {
    if (!this.edgesDone) throw new SnapshotError(this.source, `truncated: unexpected end of data at byte ${this.offset} (inside "edges")`, this.offset);
    return { edgeNames: this.finishedEdgeNames(), edgeWord: this.edgeWord!, maxName: this.maxEdgeName };
  }

  /** The edge names, once all are read (or handed over). */
  private finishedEdgeNames(): NameArrays {
    if (this.edgeNames instanceof NameWriter) this.edgeNames = this.edgeNames.finish();
    return this.edgeNames!;
  }

  /** Where the skipped `edges` array starts (the byte after `[`), or -1 until it is reached. */
  get edgesOffset(): number {
    return this.edgesStart;
  }

  /**
   * The arrays an index build may read from a worker thread (see
   * ./shallow-job.ts) live in shared memory; the others in ordinary buffers.
   */
  private allocateEdges(): void {
    this.edgeNames = new NameWriter(this.edgeCount);
    this.edgeWord = new Uint32Array(new SharedArrayBuffer(4 * this.edgeCount));
  }

  /**
   * Parses the `edges` array after all (a parser made with `skipEdges`
   * whose helper could not start). Call before the array is reached, e.g.
   * from `onHeader`.
   */
  keepEdges(): void {
    if (!this.skipEdges) return;
    if (this.edgesStart >= 0) throw new Error('keepEdges(): the edges array was already skipped');
    this.skipEdges = false;
    if (this.header !== undefined) {
      try {
        this.allocateEdges();
      } catch (e) {
        this.fail(`cannot allocate arrays for ${this.edgeCount} edges: ${(e as Error).message}`);
      }
    }
  }

  /** Hands over the `edges` arrays that another parser read (see `skipEdges`). */
  setEdges(edges: EdgeArrays): void {
    if (!this.skipEdges) throw new Error('setEdges() is for parsers made with skipEdges');
    const n = this.edgeCount;
    if (edges.edgeNames.low.length !== n || edges.edgeNames.wide.length !== (n + 31) >>> 5 || edges.edgeWord.length !== n) {
      throw new Error(`setEdges(): ${edges.edgeWord.length} edges and ${edges.edgeNames.low.length} names given, the header says ${n} edges`);
    }
    this.edgeNames = edges.edgeNames;
    this.edgeWord = edges.edgeWord;
    this.maxEdgeName = edges.maxName;
    this.edgesDone = true;
  }

  /** Bytes consumed so far. */
  get bytesRead(): number {
    return this.offset;
  }

  private fail(problem: string, at?: number): never {
    throw new SnapshotError(this.source, at === undefined ? problem : `${problem} (at byte ${at})`, at);
  }

  private textScratch: Uint8Array | null = null;
  /** A high surrogate that ended the last text chunk, held back for the low one that starts the next. */
  private pendingSurrogate = '';

  /** UTF-8 bytes of a text chunk, in a buffer reused from chunk to chunk (see {@link unpooledCopy}). */
  private encode(text: string): Uint8Array {
    // A character outside the BMP is two UTF-16 units; a chunk may end between them, and
    // each half alone would encode as U+FFFD.
    let chunk = this.pendingSurrogate === '' ? text : this.pendingSurrogate + text;
    this.pendingSurrogate = '';
    const last = chunk.length > 0 ? chunk.charCodeAt(chunk.length - 1) : 0;
    if (last >= 0xd800 && last <= 0xdbff) {
      this.pendingSurrogate = chunk[chunk.length - 1]!;
      chunk = chunk.slice(0, -1);
    }
    const need = chunk.length * 3;
    if (this.textScratch === null || this.textScratch.length < need) this.textScratch = new Uint8Array(Math.max(need, 64 * 1024));
    const { written } = utf8.encodeInto(chunk, this.textScratch);
    return this.textScratch.subarray(0, written);
  }

  /** Feeds one chunk of the snapshot text. */
  write(chunk: string | Uint8Array): void {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      // (A Buffer passed where chunks are expected is iterated as numbers.)
      throw new TypeError(`${this.source}: a chunk must be a string or a Uint8Array, not ${chunk === null ? 'null' : typeof chunk}`);
    }
    const bytes = typeof chunk === 'string' ? this.encode(chunk) : chunk;
    // A plain Uint8Array view: element access on Buffer (a subclass) is slower in the hot loops.
    const buf = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.offset === 0 && this.firstBytes.length < 2) {
      for (let k = 0; k < buf.length && this.firstBytes.length < 2; k++) this.firstBytes.push(buf[k]!);
      if (this.firstBytes[0] === 0x1f && this.firstBytes[1] === 0x8b) {
        this.fail('the data is gzip-compressed: decompress it first (load() does this for .gz files)');
      }
    }
    const end = buf.length;
    let i = 0;
    while (i < end) {
      if (this.edgesOnly && this.edgesDone) break; // what follows the array is not ours
      switch (this.mode) {
        case Mode.SkipEdges: {
          // Only digits, commas and white space until the closing bracket.
          const close = findByte(buf, 93, i, end);
          if (close < 0) i = end;
          else {
            i = close + 1;
            this.mode = Mode.AfterValue;
            this.edgesSkipped = true;
          }
          break;
        }
        case Mode.Nodes:
          i = this.parseNodes(buf, i, end);
          break;
        case Mode.Edges:
          i = this.parseEdges(buf, i, end);
          break;
        case Mode.Strings:
          i = this.parseStrings(buf, i, end);
          break;
        case Mode.Numbers:
          i = this.parseNumbers(buf, i, end);
          break;
        case Mode.Capture:
        case Mode.Skip:
          i = this.parseSkip(buf, i, end);
          break;
        default:
          i = this.parseStructure(buf, i, end);
      }
    }
    this.offset += end;
    if (this.onProgress && this.offset >= this.nextProgress) {
      this.nextProgress = this.offset + PROGRESS_STEP;
      this.onProgress({ phase: 'parse', done: this.offset, total: this.totalBytes });
    }
  }

  /** The top-level object: keys, colons, commas. Consumes one token at most. */
  private parseStructure(buf: Uint8Array, i: number, end: number): number {
    const at = this.offset + i;
    if (this.mode === Mode.Key) {
      for (; i < end; i++) {
        const c = buf[i]!;
        if (this.escape) {
          this.escape = false;
        } else if (c === 92) {
          this.escape = true;
        } else if (c === 34) {
          this.key = unpooledCopy(this.keyBytes).toString('utf8');
          this.keyBytes = [];
          this.mode = Mode.Colon;
          return i + 1;
        }
        this.keyBytes.push(c);
        if (this.keyBytes.length > MAX_KEY_BYTES) this.fail('not a heap snapshot: a top-level key is too long', at);
      }
      return i;
    }
    const c = buf[i]!;
    if (isWs(c)) return i + 1;
    switch (this.mode) {
      case Mode.Start:
        if (c !== 123) {
          if (c === 91 || c === 34 || (c >= 48 && c <= 57) || c === 45 || c === 116 || c === 102 || c === 110) {
            this.fail('JSON, but not a V8 heap snapshot: the top level is not an object', at);
          }
          this.fail(`not JSON: unexpected ${describeByte(c)}`, at);
        }
        this.mode = Mode.KeyOrClose;
        return i + 1;
      case Mode.KeyOrClose:
      case Mode.KeyAfterComma:
        if (c === 34) {
          this.mode = Mode.Key;
          return i + 1;
        }
        if (c === 125 && this.mode === Mode.KeyOrClose) {
          this.mode = Mode.Done;
          return i + 1;
        }
        this.fail(`not JSON: expected a key, found ${describeByte(c)}`, at);
      // falls through (fail never returns)
      case Mode.Colon:
        if (c !== 58) this.fail(`not JSON: expected ':', found ${describeByte(c)}`, at);
        this.mode = Mode.Value;
        return i + 1;
      case Mode.Value:
        this.startValue(c, at);
        return i + 1;
      case Mode.AfterValue:
        if (c === 44) {
          this.mode = Mode.KeyAfterComma;
          return i + 1;
        }
        if (c === 125) {
          this.mode = Mode.Done;
          return i + 1;
        }
        this.fail(`not JSON: expected ',' or '}', found ${describeByte(c)}`, at);
      // falls through
      case Mode.Done:
        this.fail(`unexpected ${describeByte(c)} after the end of the snapshot`, at);
      // falls through
      default:
        throw new Error(`parser in unexpected mode ${this.mode}`);
    }
  }

  /** Dispatches on the key whose value starts with byte `c` (already consumed). */
  private startValue(c: number, at: number): void {
    const key = this.key;
    if (this.seen.has(key)) this.fail(`the key "${key}" appears twice`, at);
    this.seen.add(key);
    const expectArray = (): void => {
      if (c !== 91) this.fail(`"${key}" is not an array`, at);
    };
    switch (key) {
      case 'snapshot':
        if (c !== 123) this.fail('"snapshot" is not an object', at);
        this.mode = Mode.Capture;
        this.depth = 1;
        this.captured = [unpooledCopy([123])];
        this.capturedBytes = 1;
        return;
      case 'nodes':
        expectArray();
        this.requireHeader(key, at);
        this.mode = Mode.Nodes;
        this.resetNumbers();
        return;
      case 'edges':
        expectArray();
        this.requireHeader(key, at);
        if (this.skipEdges) {
          this.edgesStart = at + 1;
          this.mode = Mode.SkipEdges;
          return;
        }
        this.mode = Mode.Edges;
        this.resetNumbers();
        return;
      case 'strings':
        expectArray();
        // Every string takes 3 bytes or more ("" and a comma): the bytes left bound their number.
        if (this.totalBytes !== undefined && this.totalBytes > this.offset) this.strings.reserve(Math.floor((this.totalBytes - this.offset) / 3) + 1);
        this.mode = Mode.Strings;
        this.str = Str.Between;
        return;
      case 'locations':
      case 'samples':
      case 'trace_function_infos':
        expectArray();
        if (key === 'locations') {
          this.numbers = this.locations = new LocationList(
            new LocationBuilder((this.header?.meta.location_fields ?? []).map(String), this.nfc, this.nodeCount),
          );
        } else {
          this.numbers = new NumberList();
          if (key === 'samples') this.samples = this.numbers;
          else this.traceInfos = this.numbers;
        }
        this.mode = Mode.Numbers;
        this.resetNumbers();
        return;
      default:
        // Any other value (trace_tree, future sections) is skipped.
        this.mode = Mode.Skip;
        this.captured = [];
        if (c === 123 || c === 91) {
          this.depth = 1;
          this.inString = false;
        } else if (c === 34) {
          this.depth = 0;
          this.inString = true;
        } else {
          this.depth = 0;
          this.inString = false;
        }
        this.escape = false;
    }
  }

  private resetNumbers(): void {
    this.acc = 0;
    this.inNum = false;
    this.neg = false;
    this.ord = 0;
    this.scratchLength = 0;
    this.arrayEnded = false;
  }

  private requireHeader(key: string, at: number): void {
    if (!this.header) this.fail(`"${key}" comes before the "snapshot" header: unsupported layout`, at);
  }

  /** Skips (or, for the header, captures) one JSON value, tracking nesting without recursion. */
  private parseSkip(buf: Uint8Array, i: number, end: number): number {
    const start = i;
    let depth = this.depth;
    let inString = this.inString;
    let escape = this.escape;
    let finished = false;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (inString) {
        if (escape) escape = false;
        else if (c === 92) escape = true;
        else if (c === 34) {
          inString = false;
          if (depth === 0) {
            i++;
            finished = true;
            break;
          }
        }
        continue;
      }
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (depth === 0) {
          // End of the enclosing object: a scalar value just ended.
          finished = true;
          break;
        }
        depth--;
        if (depth === 0) {
          i++;
          finished = true;
          break;
        }
      } else if (c === 44 && depth === 0) {
        finished = true;
        break;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
    if (this.mode === Mode.Capture) {
      this.capturedBytes += i - start;
      if (this.capturedBytes > MAX_HEADER_BYTES) this.fail('the "snapshot" header is implausibly large', this.offset + i);
      this.captured.push(unpooledCopy(buf.subarray(start, i)));
      if (finished) this.finishHeader(this.offset + i);
    }
    if (finished) this.mode = Mode.AfterValue;
    return i;
  }

  private finishHeader(at: number): void {
    const text = concatUnpooled(this.captured).toString('utf8');
    this.captured = [];
    let header: SnapshotHeader;
    try {
      header = JSON.parse(text) as SnapshotHeader;
    } catch (e) {
      this.fail(`the "snapshot" header is not valid JSON: ${(e as Error).message}`, at);
    }
    this.setHeader(header);
    this.onHeader?.(header, at);
  }

  private setHeader(header: SnapshotHeader): void {
    const meta = header.meta;
    if (meta === null || typeof meta !== 'object') this.fail('snapshot.meta is missing: not a V8 heap snapshot');
    for (const f of ['node_fields', 'node_types', 'edge_fields', 'edge_types'] as const) {
      if (!Array.isArray(meta[f])) this.fail(`snapshot.meta is missing "${f}"`);
    }
    if (meta.location_fields != null && !Array.isArray(meta.location_fields)) this.fail('snapshot.meta.location_fields is not a list of field names');
    for (const f of ['node_count', 'edge_count'] as const) {
      const v = header[f];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) this.fail(`snapshot.${f} is missing or not a count`);
    }
    const nf = meta.node_fields;
    const ef = meta.edge_fields;
    const need = (list: string[], name: string, where: string): number => {
      const k = list.indexOf(name);
      if (k < 0) this.fail(`snapshot.meta.${where} has no "${name}" field`);
      return k;
    };
    this.nfc = nf.length;
    this.fType = need(nf, 'type', 'node_fields');
    this.fName = need(nf, 'name', 'node_fields');
    this.fId = need(nf, 'id', 'node_fields');
    this.fSelf = need(nf, 'self_size', 'node_fields');
    this.fEdges = need(nf, 'edge_count', 'node_fields');
    this.fTrace = nf.indexOf('trace_node_id');
    this.fDetached = nf.indexOf('detachedness');
    this.efCount = ef.length;
    this.efType = need(ef, 'type', 'edge_fields');
    this.efName = need(ef, 'name_or_index', 'edge_fields');
    this.efTo = need(ef, 'to_node', 'edge_fields');
    const nodeTypes = meta.node_types[this.fType];
    const edgeTypes = meta.edge_types[this.efType];
    if (!Array.isArray(nodeTypes) || nodeTypes.length === 0) this.fail('snapshot.meta.node_types has no list of node types');
    if (!Array.isArray(edgeTypes) || edgeTypes.length === 0) this.fail('snapshot.meta.edge_types has no list of edge types');
    if (nodeTypes.length > 255) this.fail(`snapshot.meta lists ${nodeTypes.length} node types; at most 255 are supported`);
    if (edgeTypes.length > MAX_EDGE_TYPES) this.fail(`snapshot.meta lists ${edgeTypes.length} edge types; at most ${MAX_EDGE_TYPES} are supported`);
    this.nodeTypeNames = nodeTypes.map(String);
    this.edgeTypeNames = edgeTypes.map(String);
    this.edgeElement = this.edgeTypeNames.indexOf('element');
    this.edgeHidden = this.edgeTypeNames.indexOf('hidden');
    this.nodeCount = header.node_count;
    this.edgeCount = header.edge_count;
    if (this.edgeCount > 0xffffffff || this.nodeCount > MAX_NODES) {
      this.fail(`the snapshot is larger than this parser supports (${this.nodeCount} nodes and ${this.edgeCount} edges; at most 2^29 nodes and 2^32 edges)`);
    }
    try {
      if (!this.edgesOnly) {
        this.nodeType = new Uint8Array(new SharedArrayBuffer(this.nodeCount));
        this.nodeName = new NameWriter(this.nodeCount, true);
        // An entry longer than the nodes: when the ids are kept as runs (see ./node-ids.ts),
        // the snapshot lends the buffer to the dominator search, whose arrays have n + 1.
        this.nodeId = new Uint32Array(new ArrayBuffer(4 * (this.nodeCount + 1)), 0, this.nodeCount);
        this.nodeSelf = new Uint16Array(new SharedArrayBuffer(2 * this.nodeCount));
        this.firstEdge = new Uint32Array(new SharedArrayBuffer(4 * (this.nodeCount + 1)));
      }
      if (!this.skipEdges) this.allocateEdges();
    } catch (e) {
      this.fail(`cannot allocate arrays for ${this.nodeCount} nodes and ${this.edgeCount} edges: ${(e as Error).message}`);
    }
    this.header = header;
  }

  /**
   * Scans unsigned integers into the scratch buffer until it is full, the
   * array ends (`]`), or the chunk ends. A tight loop with no per-field work:
   * the values are distributed afterwards, field by field.
   */
  private scan(buf: Uint8Array, i: number, end: number, section: string): number {
    const out = this.scratch;
    const cap = out.length;
    const fast = this.fast;
    let n = this.scratchLength;
    let v = this.acc;
    let inNum = this.inNum;
    this.slowUntil = i;
    outer: while (i < end) {
      if (fast !== null && !inNum && cap - n >= 64) {
        i = this.runFast(fast, buf, i, end, n);
        n = fast.count;
        if (n === cap) break;
      }
      // In JavaScript: everything without the faster scanner; with it, what it left (a few bytes at a time).
      const stop = fast === null ? end : Math.min(end, i + 32);
      while (i < stop || inNum) {
        const c = buf[i]!;
        let d = (c - 48) >>> 0;
        if (d <= 9) {
          // A whole number in an inner loop (it may continue one the last chunk began).
          v = v * 10 + d;
          i++;
          while (i < end && (d = (buf[i]! - 48) >>> 0) <= 9) {
            v = v * 10 + d;
            i++;
          }
          if (i === end) {
            inNum = true;
            break outer;
          }
          out[n++] = v;
          v = 0;
          inNum = false;
          continue; // the byte after it is checked next
        }
        if (inNum) {
          // The number ended with the last chunk.
          out[n++] = v;
          v = 0;
          inNum = false;
        }
        if (c === 44 || c === 10 || c === 32 || c === 13 || c === 9) {
          i++;
          if (n === cap) break outer;
          continue;
        }
        if (c === 93) {
          i++;
          this.arrayEnded = true;
          break outer;
        }
        this.fail(`unexpected ${describeByte(c)} in the "${section}" array`, this.offset + i);
      }
    }
    this.scratchLength = n;
    this.acc = v;
    this.inNum = inNum;
    return i;
  }

  /**
   * Runs the WebAssembly scanner on `buf[i .. end)` into its output from `n`
   * (no number may be in progress) and returns where to go on; `fast.count`
   * is then the output's count. It is not run on the last bytes of a chunk,
   * nor for a while after it stopped early (on a byte it leaves to the
   * JavaScript loop), since each call copies its input.
   */
  private runFast(fast: WasmNumbers, buf: Uint8Array, i: number, end: number, n: number): number {
    if (i < this.slowUntil || end - i < WasmNumbers.MIN_BYTES) {
      fast.count = n;
      return i;
    }
    const at = fast.scan(buf, i, end, n);
    if (at - i < 256) this.slowUntil = at + 4096;
    return at;
  }

  /** The `nodes` array: values are scanned, then written into the per-field arrays row by row. */
  private parseNodes(buf: Uint8Array, i: number, end: number): number {
    while (i < end && !this.arrayEnded) {
      i = this.scan(buf, i, end, 'nodes');
      this.drainNodes();
    }
    if (this.arrayEnded) this.finishNodes();
    return i;
  }

  /** Moves the complete rows of the scratch buffer into the node arrays. */
  private drainNodes(): void {
    const nfc = this.nfc;
    const vals = this.scratch;
    const total = this.scratchLength;
    const rows = Math.floor(total / nfc);
    const ord0 = this.ord;
    if (rows > 0) {
      if (ord0 + rows > this.nodeCount) {
        this.fail(`snapshot.node_count says ${this.nodeCount} nodes, but the "nodes" array holds more`, this.offset);
      }
      const used = rows * nfc;
      // One loop per field and array type, so that every store site sees one array type.
      const type = this.nodeType!;
      const typeCount = this.nodeTypeNames.length;
      for (let j = this.fType, o = ord0; j < used; j += nfc, o++) {
        const v = vals[j]!;
        if (v >= typeCount) this.fail(`node ${o} has type ${v}, but meta lists ${typeCount} node types`);
        type[o] = v;
      }
      const names = this.nodeName!;
      let maxName = this.maxNodeName;
      for (let j = this.fName, o = ord0; j < used; j += nfc, o++) {
        const v = vals[j]!;
        if (v > maxName) maxName = v;
        names.set(o, v);
      }
      // (Checked before the end, where the wrapped 32-bit value would pass.)
      if (maxName > 0xffffffff) this.fail(`a node names string ${maxName}, past any strings table`);
      this.maxNodeName = maxName;
      const id = this.nodeId!;
      for (let j = this.fId, o = ord0; j < used; j += nfc, o++) {
        const v = vals[j]!;
        // V8's ids are 32-bit; a wider one would alias another node's id.
        if (v > 0xffffffff) this.fail(`node ${o} has id ${v}, wider than the 32 bits of V8's ids`);
        id[o] = v;
      }
      if (this.fDetached >= 0) {
        for (let j = this.fDetached, o = ord0; j < used; j += nfc, o++) {
          const v = vals[j]!;
          if (v !== 0) this.markDetached(o, v);
        }
      }
      const self = this.nodeSelf!;
      for (let j = this.fSelf, o = ord0; j < used; j += nfc, o++) {
        const v = vals[j]!;
        if (v < LARGE_SIZE) self[o] = v;
        else {
          self[o] = LARGE_SIZE;
          this.addLargeSelfSize(o, v);
        }
      }
      const first = this.firstEdge!;
      let sum = this.edgeSum;
      for (let j = this.fEdges, o = ord0 + 1; j < used; j += nfc, o++) {
        sum += vals[j]!;
        first[o] = sum;
      }
      if (sum > 0xffffffff) this.fail('the snapshot has more than 2^32 edges, more than this parser supports');
      this.edgeSum = sum;
      if (this.fTrace >= 0) {
        for (let j = this.fTrace, o = ord0; j < used; j += nfc, o++) {
          const v = vals[j]!;
          if (v !== 0) {
            if (v > 0xffffffff) this.fail(`node ${o} has trace node id ${v}, wider than 32 bits`);
            if (!this.traceNodeId) this.traceNodeId = new Uint32Array(this.nodeCount);
            this.traceNodeId[o] = v;
          }
        }
      }
      this.ord = ord0 + rows;
      vals.copyWithin(0, used, total);
      this.scratchLength = total - used;
    }
  }

  private finishNodes(): void {
    this.mode = Mode.AfterValue;
    this.nodesDone = true;
    this.arrayEnded = false;
    const nfc = this.nfc;
    const nodeCount = this.nodeCount;
    const held = this.ord * nfc + this.scratchLength;
    this.scratchLength = 0;
    if (held !== nodeCount * nfc) {
      const rows = held / nfc;
      this.fail(
        `snapshot.node_count says ${nodeCount} nodes (${nodeCount * nfc} values), but the "nodes" array holds ${held} values (${Number.isInteger(rows) ? rows : rows.toFixed(2)} nodes)`,
        this.offset,
      );
    }
    if (this.edgeSum !== this.edgeCount) {
      this.fail(`the nodes' edge counts add up to ${this.edgeSum}, but snapshot.edge_count says ${this.edgeCount}`);
    }
  }

  /** The `edges` array: type, name or index, and target node offset per edge. */
  private parseEdges(buf: Uint8Array, i: number, end: number): number {
    while (i < end && !this.arrayEnded) {
      i = this.scan(buf, i, end, 'edges');
      this.drainEdges();
    }
    if (this.arrayEnded) {
      this.mode = Mode.AfterValue;
      this.edgesDone = true;
      this.arrayEnded = false;
      const efc = this.efCount;
      const held = this.ord * efc + this.scratchLength;
      this.scratchLength = 0;
      if (held !== this.edgeCount * efc) {
        this.fail(`snapshot.edge_count says ${this.edgeCount} edges (${this.edgeCount * efc} values), but the "edges" array holds ${held} values`, this.offset);
      }
    }
    return i;
  }

  /** Records node `o`'s self size `v`, too large for 16 bits (few nodes: long strings, large arrays). */
  private addLargeSelfSize(o: number, v: number): void {
    this.largeSelfOrdinals.push(o);
    this.largeSelfSizes.push(v);
  }

  /** Records node `o`'s detachedness mark `v` (not 0) in the list of marks. */
  private markDetached(o: number, v: number): void {
    if (v > 2) this.fail(`node ${o} has detachedness ${v}; V8 writes 0 (unknown), 1 (attached) or 2 (detached)`);
    this.detachedMarks.push(o * 4 + v);
  }

  private drainEdges(): void {
    const efc = this.efCount;
    const vals = this.scratch;
    const total = this.scratchLength;
    const rows = Math.floor(total / efc);
    if (rows === 0) return;
    const ord0 = this.ord;
    if (ord0 + rows > this.edgeCount) {
      this.fail(`snapshot.edge_count says ${this.edgeCount} edges, but the "edges" array holds more`, this.offset);
    }
    const used = rows * efc;
    const names = this.edgeNames as NameWriter;
    const word = this.edgeWord!;
    const typeCount = this.edgeTypeNames.length;
    for (let j = this.efType, o = ord0; j < used; j += efc, o++) {
      const v = vals[j]!;
      if (v >= typeCount) this.fail(`edge ${o} has type ${v}, but meta lists ${typeCount} edge types`);
    }
    const element = this.edgeElement;
    const hidden = this.edgeHidden;
    let maxName = this.maxEdgeName;
    for (let j = this.efName, k = this.efType, o = ord0; j < used; j += efc, k += efc, o++) {
      const v = vals[j]!;
      if (v > 0xffffffff) this.fail(`edge ${o} has a name or index too large to store (${v})`, this.offset);
      const t = vals[k]!;
      if (v > maxName && t !== element && t !== hidden) maxName = v;
      names.set(o, v);
    }
    this.maxEdgeName = maxName;
    const nfc = this.nfc;
    const limit = this.nodeCount * nfc;
    for (let j = this.efTo, k = this.efType, o = ord0; j < used; j += efc, k += efc, o++) {
      const v = vals[j]!;
      const target = v / nfc;
      if (v >= limit || target !== Math.floor(target)) {
        this.fail(`edge ${o} points to node offset ${v}, outside the nodes array (${this.nodeCount} nodes of ${nfc} fields)`, this.offset);
      }
      word[o] = (vals[k]! << EDGE_TYPE_SHIFT) | target;
    }
    this.ord = ord0 + rows;
    vals.copyWithin(0, used, total);
    this.scratchLength = total - used;
  }

  /** A plain array of numbers (locations, samples, trace function infos), up to `chunkEnd` or the list's batch. */
  private parseNumbers(buf: Uint8Array, i: number, chunkEnd: number): number {
    const batch = this.numbers!.batch;
    // (A number cut at the end of a batch goes on in the next call, as one cut by a chunk's end.)
    const end = batch === 0 ? chunkEnd : Math.min(chunkEnd, i + 2 * batch);
    let v = this.acc;
    let inNum = this.inNum;
    let neg = this.neg;
    const list = this.numbers!;
    // At most one number per two bytes, up to the array's end when it is in this chunk (a
    // number holds no ']'): room for this chunk's numbers up front, and no more, so that a
    // short array (`samples` is often empty) takes a short list.
    const close = findByte(buf, 93, i, end);
    list.reserve(((close >= 0 ? close : end) - i + 1) >>> 1);
    const data = list.data;
    let n = list.length;
    const fast = this.fast;
    this.slowUntil = i;
    outer: while (i < end) {
      if (fast !== null && !inNum && !neg) {
        // The unsigned bulk, as in `scan` (a minus sign is left to the loop below).
        i = this.runFast(fast, buf, i, end, 0);
        if (fast.count > 0) {
          data.set(fast.out.subarray(0, fast.count), n);
          n += fast.count;
        }
      }
      const stop = fast === null ? end : Math.min(end, i + 32);
      while (i < stop || inNum) {
        const c = buf[i]!;
        let d = (c - 48) >>> 0;
        if (d <= 9) {
          // A whole number in an inner loop, as in `scan` (it may continue one the last chunk began).
          v = v * 10 + d;
          i++;
          while (i < end && (d = (buf[i]! - 48) >>> 0) <= 9) {
            v = v * 10 + d;
            i++;
          }
          if (i === end) {
            inNum = true;
            break outer;
          }
          data[n++] = neg ? -v : v;
          v = 0;
          inNum = false;
          neg = false;
          continue;
        }
        i++;
        if (c === 45 && !inNum && !neg) {
          neg = true;
          continue;
        }
        if (inNum) {
          data[n++] = neg ? -v : v;
          v = 0;
          inNum = false;
          neg = false;
        }
        if (c === 44 || c === 10 || c === 32 || c === 13 || c === 9) continue;
        if (c === 93) {
          this.mode = Mode.AfterValue;
          break outer;
        }
        this.fail(`unexpected ${describeByte(c)} in the "${this.key}" array`, this.offset + i - 1);
      }
    }
    list.length = n;
    list.settle();
    this.acc = v;
    this.inNum = inNum;
    this.neg = neg;
    return i;
  }

  /** The `strings` array: raw string bytes go to the pool, decoded later on demand. */
  private parseStrings(buf: Uint8Array, i: number, end: number): number {
    const pool = this.strings;
    // The whole rest of the chunk goes to the pool in one copy; `shift` maps chunk offsets to block offsets.
    let loaded: number;
    try {
      loaded = pool.load(buf, i, end);
    } catch (e) {
      // (The pool addresses its bytes with 32 bits.)
      this.fail(`${(e as Error).message}: more than this parser supports`, this.offset + i);
    }
    const shift = loaded - i;
    let state = this.str;
    let escaped = this.strEscaped;
    while (i < end) {
      if (state !== Str.Between) {
        if (state === Str.Escape) {
          // The backslash ended the previous chunk: this byte is the escaped one.
          i++;
          state = Str.In;
        }
        for (; i < end; i++) {
          const c = buf[i]!;
          if (c === 92) {
            escaped = true;
            i++;
            if (i === end) {
              state = Str.Escape;
              break;
            }
            continue;
          }
          if (c === 34) break;
        }
        if (i >= end) {
          i = end;
          break;
        }
        pool.close(i + shift, escaped);
        state = Str.Between;
        i++;
        continue;
      }
      const c = buf[i]!;
      if (c === 34) {
        i++;
        pool.open(i + shift);
        escaped = false;
        state = Str.In;
        continue;
      }
      if (c === 44 || isWs(c)) {
        i++;
        continue;
      }
      if (c === 93) {
        this.mode = Mode.AfterValue;
        this.stringsDone = true;
        i++;
        break;
      }
      this.fail(`unexpected ${describeByte(c)} in the "strings" array`, this.offset + i);
    }
    this.str = state;
    this.strEscaped = escaped;
    return i;
  }

  /**
   * Does now what the model would do with the nodes once the data is handed
   * over (working out how to keep their ids): the calling thread has nothing
   * else to do while a worker still parses the edges (see ./edges-file.ts).
   * Only once the whole input is read, and its nodes were complete.
   */
  prepareEnd(): void {
    if (this.mode === Mode.Done && this.nodesDone && this.ids === undefined) this.ids = NodeIds.from(this.nodeId!);
  }

  /** Finishes parsing: checks that the snapshot is complete and consistent, and returns its data. */
  end(): SnapshotData {
    if (this.pendingSurrogate !== '') {
      // A lone high surrogate at the very end: parsed as it is (it can only be damage).
      const held = this.pendingSurrogate;
      this.pendingSurrogate = '';
      this.write(new Uint8Array(Buffer.from(held)));
    }
    const at = this.offset;
    if (at === 0) this.fail('empty input (0 bytes): not a heap snapshot');
    if (this.mode !== Mode.Done) {
      if (this.mode === Mode.Start) this.fail('not JSON: only white space');
      const where = this.key && this.mode !== Mode.KeyOrClose && this.mode !== Mode.KeyAfterComma ? ` (inside "${this.key}")` : '';
      throw new SnapshotError(this.source, `truncated: unexpected end of data at byte ${at}${where}`, at);
    }
    if (!this.header) this.fail('JSON, but not a V8 heap snapshot: there is no "snapshot" header');
    if (!this.nodesDone) this.fail('not a complete heap snapshot: the "nodes" array is missing');
    if (this.edgesSkipped && !this.edgesDone) throw new Error('the skipped "edges" array was not handed over (setEdges)');
    if (!this.edgesDone) this.fail('not a complete heap snapshot: the "edges" array is missing');
    if (!this.stringsDone) this.fail('not a complete heap snapshot: the "strings" array is missing');
    const strings = this.strings;
    strings.seal();
    const stringCount = strings.count;
    const nodeType = this.nodeType!;
    const nodeName = this.nodeName!.finish();
    // Types were checked as they were read; a name beyond the strings is looked for only if there is one.
    if (this.maxNodeName >= stringCount) {
      for (let n = 0; n < this.nodeCount; n++) {
        const name = nameAt(nodeName, n);
        if (name >= stringCount) this.fail(`node ${n} names string ${name}, but there are ${stringCount} strings`);
      }
    }
    const edgeWord = this.edgeWord!;
    const edgeNames = this.finishedEdgeNames();
    if (this.maxEdgeName >= stringCount) {
      for (let e = 0; e < this.edgeCount; e++) {
        const t = edgeWord[e]! >>> EDGE_TYPE_SHIFT;
        if (t !== this.edgeElement && t !== this.edgeHidden && nameAt(edgeNames, e) >= stringCount) {
          this.fail(`edge ${e} names string ${nameAt(edgeNames, e)}, but there are ${stringCount} strings`);
        }
      }
    }
    if (this.nodeCount === 0) this.fail('the snapshot has no nodes, not even the root');
    const rootIndex = this.header.root_index ?? 0;
    if (!Number.isInteger(rootIndex) || rootIndex < 0 || rootIndex % this.nfc !== 0 || rootIndex / this.nfc >= this.nodeCount) {
      this.fail(`snapshot.root_index ${rootIndex} is not a node`);
    }
    if (this.onProgress) this.onProgress({ phase: 'parse', done: at, total: this.totalBytes ?? at });
    return {
      source: this.source,
      header: this.header,
      nodeFieldCount: this.nfc,
      nodeTypeNames: this.nodeTypeNames,
      edgeTypeNames: this.edgeTypeNames,
      nodeCount: this.nodeCount,
      edgeCount: this.edgeCount,
      nodeType,
      nodeName,
      nodeId: this.nodeId!,
      ids: this.ids,
      nodeSelfSize: this.nodeSelf!,
      largeSelfSizes: { ordinals: this.largeSelfOrdinals.toUint32Array(), sizes: this.largeSelfSizes.toArray() },
      firstEdge: this.firstEdge!,
      traceNodeId: this.traceNodeId,
      detachedMarks: this.detachedMarks.length > 0 ? this.detachedMarks.toUint32Array() : undefined,
      edgeNames,
      edgeWord,
      strings,
      locations: this.locations?.finish() ?? noLocations(),
      traceFunctionInfos: this.traceInfos?.toArray() ?? new Float64Array(0),
      samples: this.samples?.toArray() ?? new Float64Array(0),
      byteLength: at,
    };
  }
}


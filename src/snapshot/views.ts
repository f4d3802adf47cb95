/**
 * Node and edge views: small objects created on demand that read one node or
 * edge out of the snapshot's typed arrays. They are never stored in bulk.
 */
import { inspect } from 'node:util';
import type { HeapSnapshot, SourceLocation } from './model.js';

const inspectSymbol = inspect.custom;

/** A view of one node of a {@link HeapSnapshot}. */
export class HeapNode {
  constructor(
    readonly snapshot: HeapSnapshot,
    /** Position of the node in the snapshot. */
    readonly ordinal: number,
  ) {}

  /** V8's snapshot object id: stable across snapshots of one isolate. */
  get id(): number {
    return this.snapshot.idOf(this.ordinal);
  }

  /** V8's node type: "object", "closure", "string", "array", "hidden", "code", "native", … */
  get type(): string {
    return this.snapshot.nodeTypeName(this.ordinal);
  }

  /** V8's name: the constructor name of an object, a function's name, a string's value (cut by V8 at 1024 characters). */
  get name(): string {
    return this.snapshot.nodeNameOf(this.ordinal);
  }

  /** The class name used for statistics (`Session`, `Array`, `Function`, `(string)`, …). */
  get className(): string {
    return this.snapshot.className(this.ordinal);
  }

  /** The class name with the constructor's source location, when the snapshot records it. */
  get qualifiedClassName(): string {
    return this.snapshot.qualifiedClassName(this.ordinal);
  }

  /** Self size in bytes as DevTools shows it (an object's internal backing stores are counted in it). */
  get selfSize(): number {
    return this.snapshot.shallowSizeOf(this.ordinal);
  }

  /** Self size in bytes exactly as V8 recorded it. */
  get rawSelfSize(): number {
    return this.snapshot.selfSizeOf(this.ordinal);
  }

  /** Bytes that would be freed if this object were released (builds the dominator tree on first use). */
  get retainedSize(): number {
    return this.snapshot.retainedSizes()[this.ordinal]!;
  }

  /** Shortest distance from the roots (see {@link HeapSnapshot.distances}). */
  get distance(): number {
    return this.snapshot.distances()[this.ordinal]!;
  }

  /** The immediate dominator: the closest object every path from the roots to this one passes through. */
  get dominator(): HeapNode {
    return new HeapNode(this.snapshot, this.snapshot.dominators()[this.ordinal]!);
  }

  /** Where the constructor (or function) is defined, when the snapshot records it. */
  get location(): SourceLocation | undefined {
    return this.snapshot.location(this.ordinal);
  }

  get edgeCount(): number {
    const f = this.snapshot.firstEdge;
    return f[this.ordinal + 1]! - f[this.ordinal]!;
  }

  /** Outgoing references. */
  get edges(): HeapEdge[] {
    const s = this.snapshot;
    const out: HeapEdge[] = [];
    for (let e = s.firstEdge[this.ordinal]!; e < s.firstEdge[this.ordinal + 1]!; e++) out.push(new HeapEdge(s, e, this.ordinal));
    return out;
  }

  /** Incoming references (builds the retainers index on first use). */
  get retainers(): HeapEdge[] {
    const s = this.snapshot;
    const r = s.retainers();
    const out: HeapEdge[] = [];
    for (let k = r.first[this.ordinal]!; k < r.first[this.ordinal + 1]!; k++) out.push(new HeapEdge(s, r.edges[k]!, r.nodes[k]!));
    return out;
  }

  get isRoot(): boolean {
    return this.ordinal === this.snapshot.rootOrdinal;
  }

  /** Whether a JavaScript programmer can name this object (see {@link HeapSnapshot.isUserVisible}). */
  get isUserVisible(): boolean {
    return this.snapshot.isUserVisible(this.ordinal);
  }

  equals(other: HeapNode): boolean {
    return other.snapshot === this.snapshot && other.ordinal === this.ordinal;
  }

  toString(): string {
    return `${this.className} @${this.id}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      type: this.type,
      name: this.snapshot.strings.prefix(this.snapshot.nodeNameAt(this.ordinal), 200),
      className: this.className,
      selfSize: this.selfSize,
      edgeCount: this.edgeCount,
    };
  }

  [inspectSymbol](): string {
    const s = this.snapshot;
    const name = s.strings.prefix(s.nodeNameAt(this.ordinal), 60);
    const shown = name === this.className ? '' : ` ${JSON.stringify(name)}`;
    return `HeapNode <${this.className} @${this.id}${shown} type=${this.type} selfSize=${this.selfSize} edges=${this.edgeCount}>`;
  }
}

/** A view of one edge (a reference from one node to another). */
export class HeapEdge {
  constructor(
    readonly snapshot: HeapSnapshot,
    /** Position of the edge in the snapshot. */
    readonly index: number,
    /** Ordinal of the node the edge leaves from. */
    readonly fromOrdinal: number,
  ) {}

  /** V8's edge type: "property", "element", "context", "internal", "hidden", "shortcut" or "weak". */
  get type(): string {
    return this.snapshot.edgeTypeName(this.index);
  }

  /** Property or variable name, or the element index for elements and hidden edges. */
  get name(): string | number {
    return this.snapshot.edgeNameOf(this.index);
  }

  get from(): HeapNode {
    return new HeapNode(this.snapshot, this.fromOrdinal);
  }

  get toOrdinal(): number {
    return this.snapshot.edgeTarget(this.index);
  }

  get to(): HeapNode {
    return new HeapNode(this.snapshot, this.snapshot.edgeTarget(this.index));
  }

  get isWeak(): boolean {
    return this.snapshot.edgeTypeOf(this.index) === this.snapshot.edgeTypes.weak;
  }

  /** The edge as JavaScript would write it: `.name`, `[3]`, or `type:name` for V8 internals. */
  toString(): string {
    const name = this.name;
    switch (this.type) {
      case 'element':
        return `[${name}]`;
      case 'property':
        return typeof name === 'string' && /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
      case 'context':
        return `(context) ${name}`;
      default:
        return `(${this.type}) ${String(name).slice(0, 80)}`;
    }
  }

  [inspectSymbol](): string {
    return `HeapEdge <${this.from.toString()} ${this.toString()} -> ${this.to.toString()}>`;
  }
}

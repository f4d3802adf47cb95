// Shared definitions of the measured tools and the parent/child result protocol.

export const RESULT_MARKER = '@@OBJGRAPH_BENCH_RESULT@@';

export type ToolId = 'cat' | 'json-parse' | 'vscode' | 'vscode-retained' | 'memlab' | 'memlab-retained' | 'ours-parse' | 'ours-full';

export type ClassCount = [name: string, count: number];

export interface ChildResult {
  ok: boolean;
  /** Wall time of the measured work (sum of phases), excluding process start-up and module loading. */
  ms?: number;
  phases?: Record<string, number>;
  /** Peak RSS of the child process (VmHWM), read at the end of the measured work. */
  maxRssBytes?: number | null;
  nodeCount?: number | null;
  /** Class name → count, biggest first (top 40), where the tool exposes class names. */
  classes?: ClassCount[] | null;
  note?: string | null;
  error?: string;
}

export interface ToolSpec {
  id: ToolId;
  label: string;
  /** Peer package the tool needs (installed into the cache on first use). */
  needsPeers: boolean;
  ours: boolean;
  /** What the tool does, for the report. */
  what: string;
}

export const TOOL_SPECS: readonly ToolSpec[] = [
  { id: 'cat', label: 'cat > /dev/null', needsPeers: false, ours: false, what: 'I/O floor (file in page cache)' },
  { id: 'json-parse', label: 'JSON.parse', needsPeers: false, ours: false, what: "JSON.parse(fs.readFileSync(file, 'utf8'))" },
  { id: 'vscode', label: '@vscode/v8-heap-parser', needsPeers: true, ours: false, what: 'decode_bytes(readFileSync(file))' },
  { id: 'vscode-retained', label: '@vscode/v8-heap-parser + retained', needsPeers: true, ours: false, what: 'decode_bytes + get_class_groups(retained sizes)' },
  { id: 'memlab', label: 'memlab', needsPeers: true, ours: false, what: 'utils.getSnapshotFromFile(file, {buildNodeIdIndex: true})' },
  { id: 'memlab-retained', label: 'memlab + retained', needsPeers: true, ours: false, what: 'getSnapshotFromFile + analysis.preparePathFinder (shortest paths, dominators, retained sizes)' },
  { id: 'ours-parse', label: 'objgraph parse', needsPeers: false, ours: true, what: 'await load(file)' },
  { id: 'ours-full', label: 'objgraph full', needsPeers: false, ours: true, what: "load + retainedSizes() + mostCommonTypes({limit: 10, sortBy: 'retainedSize'})" },
];

export const TOOL_IDS: readonly ToolId[] = TOOL_SPECS.map((t) => t.id);

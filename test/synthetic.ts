/**
 * Hand-built heap snapshots for exact tests: a compact description of nodes
 * and edges turned into V8's `.heapsnapshot` JSON text.
 */

export const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
export const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

export interface SyntheticNode {
  type: string;
  name: string;
  id: number;
  size: number;
}

/** [from index, edge type, name or element index, to index] */
export type SyntheticEdge = [number, string, string | number, number];

/** Builds snapshot JSON text; node 0 must be the synthetic root. */
export function syntheticSnapshot(nodes: SyntheticNode[], edges: SyntheticEdge[], extraHeader: Record<string, unknown> = {}): string {
  const strings: string[] = ['<dummy>'];
  const index = new Map<string, number>();
  const str = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const nf = 7;
  const bySource: SyntheticEdge[][] = nodes.map(() => []);
  for (const e of edges) bySource[e[0]]!.push(e);
  const nodeValues: number[] = [];
  nodes.forEach((n, i) => {
    const out = bySource[i]!.length;
    nodeValues.push(NODE_TYPES.indexOf(n.type), str(n.name), n.id, n.size, out, 0, 0);
    if (NODE_TYPES.indexOf(n.type) < 0) throw new Error(`bad node type ${n.type}`);
  });
  const edgeValues: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (const [, type, name, to] of bySource[i]!) {
      const t = EDGE_TYPES.indexOf(type);
      if (t < 0) throw new Error(`bad edge type ${type}`);
      const numbered = type === 'element' || type === 'hidden';
      edgeValues.push(t, numbered ? Number(name) : str(String(name)), to * nf);
    }
  }
  const header = {
    meta: {
      node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
      node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
      edge_fields: ['type', 'name_or_index', 'to_node'],
      edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
      location_fields: ['object_index', 'script_id', 'line', 'column'],
    },
    node_count: nodes.length,
    edge_count: edgeValues.length / 3,
    trace_function_count: 0,
    ...extraHeader,
  };
  return (
    `{"snapshot":${JSON.stringify(header)},\n"nodes":[${nodeValues.join(',')}],\n"edges":[${edgeValues.join(',')}],\n` +
    `"trace_function_infos":[],"trace_tree":[],"samples":[],"locations":[],\n"strings":${JSON.stringify(strings)}}\n`
  );
}

/**
 * How an edge's target and type share one 32-bit word (`HeapSnapshot.edgeWord`).
 * A module of its own so that the worker threads can read edges without
 * loading the parser. Hot loops copy the constants into locals first: V8
 * reloads an imported binding at every use, which costs a graph walk ~10%.
 */

/**
 * An edge's type takes the top 3 bits of its word (`HeapSnapshot.edgeWord`):
 * V8 has 7 edge types. The target's ordinal takes the other 29, which bounds a
 * snapshot to 2^29 nodes (a snapshot that large would be over 40 GB).
 */
export const EDGE_TYPE_SHIFT = 29;
/** The target ordinal's bits of an edge word. */
export const EDGE_TO_MASK = (1 << EDGE_TYPE_SHIFT) - 1;
/** The most edge types and nodes an edge word can tell apart. */
export const MAX_EDGE_TYPES = 2 ** (32 - EDGE_TYPE_SHIFT);
export const MAX_NODES = 2 ** EDGE_TYPE_SHIFT;

/** The analysis layer: pure functions over snapshots. */
export * from './census.js';
export * from './compare.js';
export * from './paths.js';
export * from './edges.js';

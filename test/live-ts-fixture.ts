/**
 * Run by test/live-hosts.test.ts after tsc: the live API from typed
 * TypeScript, through the public entry point.
 */
import { atAddrs, getNewIds, type NewIds } from '../src/index.js';

getNewIds({ limit: 0 });
getNewIds({ limit: 0 });
const x: unknown[] = [];
const y: unknown[] = [x, [x], { x }];
const ids: NewIds = getNewIds({ limit: 0 });
const arrays = atAddrs(ids['Array']);
const same = arrays.includes(x) && arrays.includes(y) && arrays.includes(y[1]);
process.stdout.write(`Array +${ids['Array']?.size} Object +${ids['Object']?.size} ${same ? 'same' : 'different'}\n`);

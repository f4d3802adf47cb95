/**
 * `npm start`: the seed example of objgraph, in JavaScript.
 *
 *   x = []; y = [x, [x], {x}]
 *
 * prints the most common types, the growth since the last checkpoint, the
 * table of new ids, and draws what `y` refers to into sample-graph.png.
 */
import { resolve } from 'node:path';
import { atAddrs, getNewIds, showGrowth, showMostCommonTypes, showRefs } from '../src/index.js';

process.stdout.write('== showMostCommonTypes()\n');
showMostCommonTypes({ limit: 10 });

process.stdout.write('\n== showGrowth(): the first call sets the checkpoint\n');
showGrowth({ limit: 3 });

getNewIds({ skipUpdate: false, file: devNull() });
getNewIds({ file: devNull() });

const x: unknown[] = [];
const y = [x, [x], { x }];

process.stdout.write('\n== x = []; y = [x, [x], {x}]; getNewIds()\n');
const newIds = getNewIds({ limit: 5 });

const arrays = atAddrs(newIds['Array'] ?? []);
process.stdout.write(`\nThe ${arrays.length} new arrays, fetched back by id: ${arrays.includes(x) && arrays.includes(y) ? 'x and y among them (the very objects)' : 'x or y missing!'}\n`);

const file = resolve('sample-graph.png');
showRefs([y], { filename: file, maxDepth: 3 });
process.stdout.write(`\nWhat y refers to: ${file}\n`);

function devNull(): NodeJS.WritableStream {
  return { write: () => true } as unknown as NodeJS.WritableStream;
}

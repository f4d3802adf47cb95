import { testExamples } from './docs-runner.js';

testExamples('snapshots.md', 5);

// Every case of test/golden/extra: other shapes and ops, generated independently in float64 PyTorch
// by scripts/golden_extra.py.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goldenSuite } from './suite.ts';

goldenSuite(join(dirname(fileURLToPath(import.meta.url)), 'extra'));

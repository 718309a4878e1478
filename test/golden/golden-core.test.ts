// Every case of test/golden/cases: the core set (each layer, loss and optimizer step of the format,
// and the tutorial-18 and keras-seed networks), generated in float64 PyTorch by scripts/golden_core.py.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goldenSuite } from './suite.ts';

goldenSuite(join(dirname(fileURLToPath(import.meta.url)), 'cases'));

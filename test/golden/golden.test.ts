// Every case of every golden file in CNN1D_GOLDEN_DIR (default ../shared/golden beside the project).
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goldenSuite } from './suite.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
goldenSuite(resolve(root, process.env.CNN1D_GOLDEN_DIR ?? '../shared/golden'));

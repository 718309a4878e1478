// Every case of every golden file of an extra set, when there is one: CNN1D_GOLDEN_DIR if set (it
// must exist), else ../shared/golden beside the project when it is there, else a skipped test
// saying so (a clone alone has the core set, run by golden-core.test.ts, and the extra set).
import { test } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goldenSuite } from './suite.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const shared = resolve(root, '../shared/golden');

if (process.env.CNN1D_GOLDEN_DIR) goldenSuite(resolve(root, process.env.CNN1D_GOLDEN_DIR));
else if (existsSync(shared)) goldenSuite(shared);
else test.skip(`golden directory ${shared} is absent (set CNN1D_GOLDEN_DIR to run another set)`, () => {});

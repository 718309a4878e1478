// Runs every case of every golden file in a directory through the public code. An unknown op or a
// malformed case fails; nothing is skipped. golden-core.test.ts runs test/golden/cases,
// golden-extra.test.ts the independent set in test/golden/extra, golden.test.ts CNN1D_GOLDEN_DIR
// (default ../shared/golden beside the project, when present).

import { test, afterAll } from 'vitest';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseGoldenFile } from './format.ts';
import { RUNNERS } from './runners.ts';

/** Registers one test per case of every .json file in `dir`, and prints per-file counts. */
export function goldenSuite(dir: string): void {

  test(`golden directory ${dir} has case files`, () => {
    assert.ok(existsSync(dir), `golden directory ${dir} does not exist (set CNN1D_GOLDEN_DIR)`);
    assert.ok(readdirSync(dir).some((f) => f.endsWith('.json')), `no .json files in ${dir}`);
  });

  for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : []) {
    let cases: ReturnType<typeof parseGoldenFile> = [];
    let readError: Error | null = null;
    try {
      cases = parseGoldenFile(file, readFileSync(join(dir, file), 'utf8'));
    } catch (e) {
      readError = e as Error;
    }
    if (readError) {
      test(`golden ${file}`, () => assert.fail(readError!.message));
      continue;
    }
    if (cases.length === 0) test(`golden ${file}`, () => assert.fail(`${file}: no cases`));
    let ran = 0;
    const ops = new Map<string, number>();
    for (const c of cases) {
      test(`golden ${file}: ${c.name}`, () => {
        const runner = RUNNERS[c.op];
        if (!runner) assert.fail(`${file}: case "${c.name}" has op "${c.op}", which the runner does not know (known: ${Object.keys(RUNNERS).join(', ')})`);
        const errors = runner(c);
        ran++;
        ops.set(c.op, (ops.get(c.op) ?? 0) + 1);
        assert.deepEqual(errors, [], `${file}: case "${c.name}":\n  ${errors.join('\n  ')}`);
      });
    }
      afterAll(() => {
      const byOp = [...ops].map(([op, n]) => `${op} ${n}`).join(', ');
      console.log(`golden ${file}: ran ${ran} of ${cases.length} cases (${byOp})`);
    });
  }
}

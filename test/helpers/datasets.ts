// Data for tests. Two kinds:
//  - fixtures committed in test/fixtures (a few FSDD clips, 20 + 20 rows of UCR ECG200; sources and
//    licences in test/fixtures/README.md): every clone has them, tests that only need real files use them;
//  - full datasets in the data directory (CNN1D_DATA_DIR, default ~/.cache/cnn1d; .ci/run points it
//    at ../shared/data). A test that needs one runs inside withDataset(): when the dataset is
//    absent its tests are skipped, named, with one line saying how to get it, and with CI set
//    (.ci/run) they fail instead.
import { describe, test } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dataDir, datasetPath, parseDataset } from '../../src/data/data-dir.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** 20 FSDD recordings: one test-split (index 0-4) and one training-split clip of each digit. */
export const FIXTURE_RECORDINGS = `${FIXTURES}fsdd/recordings`;
/** The first 20 rows of ECG200_TRAIN.tsv and of ECG200_TEST.tsv. */
export const FIXTURE_ECG200 = `${FIXTURES}ucr/ECG200`;

/** Whether a missing dataset fails the run (CI) rather than skipping its tests. */
export const requireData = Boolean(process.env.CI);

/** The dataset's folder in the data directory, or null when it is not there. */
export function findDataset(name: 'fsdd' | `ucr:${string}`): string | null {
  const path = datasetPath(parseDataset('findDataset', name));
  return existsSync(name === 'fsdd' ? `${path}/recordings` : path) ? path : null;
}

/**
 * Registers `body`'s tests in a describe block named after the dataset. `body` gets the dataset's
 * folder. Absent: skipped (named, with a line saying how to get it), or failed when CI is set.
 */
export function withDataset(name: 'fsdd' | `ucr:${string}`, body: (path: string) => void): void {
  const path = findDataset(name);
  if (path) {
    describe(`with ${name}`, () => body(path));
    return;
  }
  const how = `${name} is not in the data directory ${dataDir()} (CNN1D_DATA_DIR); get it with \`npx cnn1d data get ${name}\``;
  if (requireData) {
    test(`dataset ${name} is present`, () => {
      throw new Error(`${how} (CI is set, so a missing dataset fails)`);
    });
    return;
  }
  console.warn(`skipped: ${how}`);
  describe.skip(`with ${name} (absent: npx cnn1d data get ${name})`, () => body(datasetPath(parseDataset('withDataset', name))));
}

// Shared test data lives beside the project root: <root>/../shared/data (read-only, never copied).
import { fileURLToPath } from 'node:url';

export const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
export const ECG200 = `${DATA}ucr/ECG200`;
export const FSDD = `${DATA}fsdd`;
export const RECORDINGS = `${DATA}fsdd/recordings`;

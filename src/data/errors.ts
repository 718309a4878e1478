// Errors for bad data files (malformed text, corrupt audio). Bad options are ConfigErrors.

/** A file or buffer that cannot be read as the expected format; the message names where. */
export class DataError extends Error {
  override name = 'DataError';
}

/**
 * Input limits, documented in the README. A file above MAX_INPUT_BYTES is quarantined without being read
 * into memory: real articles are a few kilobytes to a few hundred (a heavy HTML page is ~2 MB), so 10 MB
 * leaves a wide margin while keeping a Lambda's memory bounded.
 */
export const MAX_INPUT_BYTES = 10 * 1024 * 1024;

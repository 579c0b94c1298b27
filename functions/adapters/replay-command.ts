/** The shell command an operator runs to feed a quarantined file through the ingest pipeline again. */

/**
 * A POSIX shell word that stands for `text` exactly: single quotes keep everything literal (spaces,
 * `$`, backquotes, Unicode) except the single quote itself, which is closed, escaped and reopened.
 */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * The command that replays a quarantined file: copying the object onto itself with new metadata is
 * a new ObjectCreated event, so the ingest pipeline reads it again.
 */
export function replayCommand(objectUrl: string): string {
  const url = shellQuote(objectUrl);
  return `aws s3 cp ${url} ${url} --metadata-directive REPLACE`;
}

/**
 * Progress of a long local run on stderr (stdout keeps the final summary): a live bar with files done,
 * rate and ETA on a terminal (cli-progress), or one plain line per tenth of the files when stderr is
 * a pipe or a CI log. Short runs and `--quiet` print nothing.
 */
import cliProgress from 'cli-progress';

/** Runs over fewer files than this finish in a moment, so they show no progress. */
export const PROGRESS_MIN_FILES = 300;
/** Plain (non-TTY) output prints one line each time this share of the files is done. */
const PLAIN_LINES = 10;

export interface ProgressReporter {
  update(done: number): void;
  stop(): void;
}

export interface ProgressOptions {
  readonly quiet?: boolean;
  readonly stream?: NodeJS.WriteStream;
  /** Milliseconds since some fixed point; rate and ETA are measured with it. */
  readonly clock?: () => number;
}

const SILENT: ProgressReporter = { update() {}, stop() {} };

function perSecond(done: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
}

/** "12 s", "3 min 5 s": the time left at `rate` files a second. */
function formatEta(left: number, rate: number): string {
  if (rate <= 0) return 'unknown';
  const seconds = Math.ceil(left / rate);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function plainLines(total: number, stream: NodeJS.WriteStream, clock: () => number): ProgressReporter {
  const started = clock();
  let printed = 0;
  return {
    update(done) {
      const step = Math.floor((done * PLAIN_LINES) / total);
      if (step <= printed) return;
      printed = step;
      const rate = perSecond(done, clock() - started);
      const percent = Math.floor((done * 100) / total);
      stream.write(
        `news-digest: ${done}/${total} files (${percent}%), ${Math.round(rate)} files/s, ETA ${formatEta(total - done, rate)}\n`,
      );
    },
    stop() {},
  };
}

function liveBar(total: number, stream: NodeJS.WriteStream, clock: () => number): ProgressReporter {
  const started = clock();
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'news-digest {bar} {value}/{total} files | {rate} files/s | ETA {eta_formatted}',
      clearOnComplete: true,
      hideCursor: true,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rate: 0 });
  return {
    update(done) {
      bar.update(done, { rate: Math.round(perSecond(done, clock() - started)) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** The reporter that suits `stream` for a run over `total` files. */
export function fileProgress(total: number, options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const clock = options.clock ?? (() => performance.now());
  if (options.quiet || total < PROGRESS_MIN_FILES) return SILENT;
  return stream.isTTY ? liveBar(total, stream, clock) : plainLines(total, stream, clock);
}

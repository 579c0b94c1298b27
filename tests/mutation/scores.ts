/** Per-module mutation scores from Stryker's JSON report (mutation-testing-report-schema). */

export interface MutationReport {
  readonly files: Readonly<Record<string, { readonly mutants: readonly { readonly status: string }[] }>>;
}

export interface ModuleScore {
  readonly file: string;
  /** Killed plus timed out. */
  readonly detected: number;
  /** Killed, timed out, survived and not covered: compile/runtime errors and excluded mutants are not valid. */
  readonly valid: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Excluded by a Stryker disable comment. */
  readonly ignored: number;
  /** detected / valid in percent; 100 for a module with no valid mutant. */
  readonly score: number;
}

export function moduleScores(report: MutationReport): ModuleScore[] {
  return Object.entries(report.files)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, { mutants }]) => {
      const count = (status: string) => mutants.filter((m) => m.status === status).length;
      const detected = count('Killed') + count('Timeout');
      const survived = count('Survived');
      const noCoverage = count('NoCoverage');
      const valid = detected + survived + noCoverage;
      return {
        file,
        detected,
        valid,
        survived,
        noCoverage,
        ignored: count('Ignored'),
        score: valid === 0 ? 100 : (detected / valid) * 100,
      };
    });
}

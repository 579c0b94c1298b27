/** Runs one benchmark scenario in this process and prints its figures plus the process's peak RSS. */
import { SCENARIOS } from './scenarios.ts';

const [name, evalDir] = process.argv.slice(2);
const scenario = name === undefined ? undefined : SCENARIOS[name];
if (scenario === undefined) {
  process.stderr.write(`Unknown scenario "${name}". Scenarios: ${Object.keys(SCENARIOS).join(', ')}\n`);
  process.exit(2);
}
const figures = await scenario(evalDir && evalDir !== '-' ? evalDir : null);
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
// A scenario that measures other processes (local-incremental) gives their peak RSS itself.
for (const figure of figures) process.stdout.write(`${JSON.stringify({ peakRssMb, ...figure })}\n`);

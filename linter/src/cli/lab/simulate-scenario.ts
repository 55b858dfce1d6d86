/** What `--scenario` names: a built-in scenario, or a scenario file read and checked. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BUILT_IN_SCENARIO_NAMES, builtInScenario, didYouMean, parseScenarioText, type Scenario } from '@retrylint/shared';
import { ConfigError } from '../../config/config-error.js';
import { UsageError } from '../usage-error.js';

export const DEFAULT_SCENARIO = 'article-rate-limit';

export function resolveScenario(spec: string, cwd: string): Scenario {
  const builtIn = builtInScenario(spec);
  if (builtIn) return builtIn;
  if (!spec.endsWith('.json') && !spec.includes('/') && !spec.includes(path.sep)) {
    throw new UsageError(`unknown scenario "${spec}"${didYouMean(spec, BUILT_IN_SCENARIO_NAMES)} (built in: ${BUILT_IN_SCENARIO_NAMES.join(', ')}; or a .json file)`);
  }
  const file = path.resolve(cwd, spec);
  const shown = path.relative(cwd, file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'cannot be read';
    throw new ConfigError([{ file: shown, path: '', line: 1, column: 1, message: `scenario ${reason}` }]);
  }
  const parsed = parseScenarioText(text, shown);
  if (!parsed.scenario) throw new ConfigError(parsed.problems);
  return parsed.scenario;
}

import { formatConfigProblem, type ConfigProblem } from '@retrylint/shared';

export { formatConfigProblem };

/** A config that cannot be used: the run stops with exit code 2. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatConfigProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

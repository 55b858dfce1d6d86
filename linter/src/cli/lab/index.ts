/** The `retrylint lab` command group: the Retry Lab's commands. */
import { Command, Option } from 'commander';
import { EXIT_CLEAN } from '../exit-code.js';
import type { CommandIo } from '../lint-command.js';
import { serveCommand } from './serve-command.js';
import { builtInScenariosHelp, runSimulateCommand, SIMULATE_FORMATS, type SimulateCommandOptions } from './simulate-command.js';

export function labCommand(io: CommandIo, setExitCode: (code: number) => void): Command {
  const lab = new Command('lab').description('the Retry Lab: simulate retry policies under load');
  const simulate = lab
    .command('simulate')
    .description("compare retry policies in a simulated scenario (default: the article's five strategies under its rate limit)")
    .option('-s, --scenario <name|file.json>', 'a built-in scenario (listed below) or a scenario file', 'article-rate-limit')
    .option('-p, --policy <profile|config>', 'simulate one policy: a profile, an article strategy or a retrylint.config.json')
    .option('--compare <p1,p2,...>', 'compare these policies (profiles, article strategies, config files)')
    .option('-n, --requests <n>', "number of requests (default: the scenario's)")
    .option('--seed <s>', 'random seed; the same seed gives the same table', '1')
    .addOption(new Option('-f, --format <name>', 'output format').choices(SIMULATE_FORMATS).default('table'))
    .option('--svg <out.svg>', 'write charts: latency CDF per policy and attempts over time')
    .option('--recommend', 'search the policy space and print the best policy as a retrylint.config.json snippet')
    .option('--objective <terms>', 'with --recommend: metrics in order of importance, from success, p99, p95, p50, mean, waste, cost, attempts, peak, stream-retries (default: success,p99,waste)')
    .addHelpText('after', builtInScenariosHelp())
    .action((options: SimulateCommandOptions) => {
      runSimulateCommand(options, io);
      setExitCode(EXIT_CLEAN);
    });
  // Commands built apart from the program do not inherit its settings: errors must reach main().
  for (const command of [lab, simulate]) {
    command.exitOverride();
    command.configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  }
  lab.addCommand(serveCommand(io, setExitCode));
  return lab;
}

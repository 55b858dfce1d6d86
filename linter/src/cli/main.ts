/**
 * The `retrylint` command line. Exit codes as ESLint's: 0 clean, 1 problems, 2 a wrong
 * command line, a bad config or an internal error.
 */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { EXIT_CLEAN, EXIT_FAILURE } from './exit-code.js';
import { TOOL_VERSION } from './here.js';
import { runInitCommand } from './init-command.js';
import { runLintCommand, type CommandIo, type LintCommandOptions } from './lint-command.js';
import { runLspCommand, type LspCommandOptions } from './lsp-command.js';
import { ruleDocText, rulesTable } from './rules-command.js';
import { runScheduleCommand, type ScheduleCommandOptions } from './schedule-command.js';
import { UsageError } from './usage-error.js';
import { labCommand } from './lab/index.js';
import { setCrossModuleResolution } from '../frontends/typescript/cross-module.js';
import { preferNativePythonParser } from '../frontends/python/parser.js';

// A CLI run sees the whole tree, so imported clients are worth resolving (the editor stays per-file).
setCrossModuleResolution(true);
// The native tree-sitter binding when it is installed (wasm otherwise); the editor stays on wasm.
preferNativePythonParser();

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function buildProgram(io: CommandIo, setExitCode: (code: number) => void): Command {
  const program = new Command('retrylint')
    .description('Find and fix unsafe retry code around AI and HTTP APIs.')
    .version(TOOL_VERSION, '-v, --version')
    // The lint options (-f, --format...) stop at a subcommand: `lab simulate --format json` is the subcommand's.
    .enablePositionalOptions()
    .argument('[paths...]', 'files, folders or globs to lint (default: the current folder)')
    .option('-c, --config <file>', 'use this config file instead of the nearest retrylint.config.json')
    .option('--rule <id:severity>', 'set a rule\'s severity (off, warn, error); repeatable', collect, [])
    .addOption(new Option('-f, --format <name>', 'output format').choices(['stylish', 'json', 'sarif', 'github']).default('stylish'))
    .option('-o, --output-file <file>', 'write the report to a file')
    .option('--fix', 'apply safe fixes', false)
    .option('--unsafe-fixes', 'with --fix or --fix-dry-run, apply unsafe fixes too', false)
    .option('--fix-dry-run', 'print the fixes as a unified diff instead of writing them', false)
    .option('--max-warnings <n>', 'exit with 1 when there are more warnings than this')
    .option('--report-unused-disable', 'warn about retrylint-disable comments that suppress nothing', false)
    .option('--no-ignore', 'do not use .gitignore, .retrylintignore or ignorePatterns')
    .option('-j, --jobs <n>', 'worker threads (default: one per core, started only for trees of a thousand files or more per core)')
    .option('--max-file-size <bytes>', 'skip files larger than this, with a warning (default: 10 MB)')
    .option('--max-file-time <seconds>', 'stop analysing a file after this long and report it, with a warning (default: 60)')
    .option('--max-file-memory <MB>', 'stop analysing a file that needs more memory than this and report it, with a warning (default: 2048)')
    .option('--no-prefilter', 'parse every file, even those with no sign of retry code')
    .option('--project [tsconfig.json]', 'TypeScript project mode: read each file with the program of its tsconfig (the given .json, or the nearest): facts across modules, cross-file fixes; one thread')
    .option('--stats', 'print files scanned and parsed, and the time per phase, on stderr', false)
    .option('-q, --quiet', 'report errors only', false)
    .option('--color', 'force colours in the stylish output')
    .option('--no-color', 'never use colours')
    .action(async (paths: string[], options: LintCommandOptions) => {
      setExitCode(await runLintCommand(paths, options, io));
    });

  program
    .command('init')
    .description('write a commented starter retrylint.config.json in the current folder')
    .action(async () => setExitCode(await runInitCommand(io)));

  program
    .command('rules')
    .description('list the rules')
    .action(() => {
      io.stdout.write(rulesTable());
      setExitCode(EXIT_CLEAN);
    });

  program
    .command('rule')
    .description("print a rule's documentation")
    .argument('<id>', 'the rule id')
    .action((id: string) => {
      io.stdout.write(ruleDocText(id));
      setExitCode(EXIT_CLEAN);
    });

  program
    .command('schedule')
    .description("print a profile's delay schedule and its worst-case total time")
    .option('-p, --profile <name>', 'the profile (ai-api, rate-limit-window, network-blip, db-failover, streaming, bulk)', 'ai-api')
    .option('-a, --attempts <n>', "total tries including the first (default: the profile's)")
    .option('-t, --timeout <ms>', 'per-attempt timeout for the worst case (default: the policy\'s maxTimeoutMs)')
    .action((options: ScheduleCommandOptions) => {
      io.stdout.write(runScheduleCommand(options));
      setExitCode(EXIT_CLEAN);
    });

  program.addCommand(labCommand(io, setExitCode));

  program
    .command('lsp')
    .description('start the language server for an editor (Neovim, Helix, VS Code...)')
    .option('--stdio', 'speak LSP over stdin and stdout')
    .option('--node-ipc', 'speak LSP over Node IPC (when a Node client forks the server)')
    .action((options: LspCommandOptions) => {
      runLspCommand(options);
      setExitCode(EXIT_CLEAN);
    });

  program.exitOverride();
  program.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
  });
  return program;
}

/** Runs the CLI; resolves to the exit code (the caller sets it, so output is flushed). */
export async function main(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  let exitCode = EXIT_CLEAN;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit code 0; usage errors were printed by commander.
      return error.exitCode === 0 ? EXIT_CLEAN : EXIT_FAILURE;
    }
    if (error instanceof ConfigError || error instanceof UsageError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_FAILURE;
    }
    io.stderr.write(`retrylint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

function processIo(): CommandIo {
  return { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, env: process.env };
}

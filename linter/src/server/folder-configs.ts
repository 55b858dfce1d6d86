/**
 * The config in force for each file, as the CLI would resolve it when run in the file's
 * workspace folder (discovery, `extends`, `overrides`, `configPath` as `--config`, the
 * editor's rule severities as `--rule`). A config that turns bad does not stop linting:
 * the file keeps the last config that loaded, and the problem is kept for a diagnostic on
 * the config file. Everything is forgotten when a config or ignore file changes.
 */
import path from 'node:path';
import type { ConfigProblem } from '@retrylint/shared';
import { ConfigError } from '../config/config-error.js';
import { resolveLayers } from '../config/core-config.js';
import { ConfigResolver, type FileConfig } from '../config/file-config.js';
import { configIgnorePatterns } from '../config/ignore-patterns.js';
import { collectFiles } from '../cli/file-walk.js';
import { IgnoreRules } from '../cli/ignore-rules.js';
import type { ServerSettings } from './settings.js';

export interface ConfigOutcome {
  readonly config: FileConfig;
  /** The file's config is invalid; `config` is the last good one (or the defaults). */
  readonly broken: boolean;
}

/** A problem of a config file, with the file as an absolute path. */
export interface PlacedConfigProblem extends ConfigProblem {
  readonly absoluteFile: string;
}

interface FolderSetup {
  readonly resolver: ConfigResolver;
  readonly ignoreRules: IgnoreRules;
  readonly explicitConfig: string | undefined;
}

export class FolderConfigs {
  private setups = new Map<string, FolderSetup>();
  private readonly lastGood = new Map<string, FileConfig>();
  private problems = new Map<string, readonly PlacedConfigProblem[]>();

  /** A config or ignore file changed: read everything again on next use. */
  reset(): void {
    this.setups = new Map();
    this.problems = new Map();
  }

  configFor(filePath: string, folder: string, settings: ServerSettings): ConfigOutcome {
    const setup = this.setupFor(folder, settings);
    try {
      const config = setup.resolver.forFile(filePath);
      this.lastGood.set(filePath, config);
      return { config, broken: false };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.record(folder, error.problems);
      return { config: this.lastGood.get(filePath) ?? defaultsWith(settings), broken: true };
    }
  }

  /** Whether a walk of the folder (as `retrylint <folder>` does) would leave the file out. */
  isIgnored(filePath: string, folder: string, settings: ServerSettings): boolean {
    const { ignoreRules } = this.setupFor(folder, settings);
    try {
      if (ignoreRules.isInSkippedDirectory(filePath, folder)) return true;
      const relative = path.relative(folder, path.dirname(filePath));
      if (relative.startsWith('..') || path.isAbsolute(relative)) return ignoreRules.isIgnored(filePath, false);
      let directory = folder;
      for (const part of relative === '' ? [] : relative.split(path.sep)) {
        directory = path.join(directory, part);
        if (ignoreRules.isIgnored(directory, true)) return true;
      }
      return ignoreRules.isIgnored(filePath, false);
    } catch (error) {
      // A bad config's ignorePatterns cannot be read; its problem is reported on the config.
      if (!(error instanceof ConfigError)) throw error;
      this.record(folder, error.problems);
      return false;
    }
  }

  /**
   * The files `retrylint <folder>` lints, in its order. Where a config is bad, its
   * `ignorePatterns` cannot be read: the walk goes on with the ignore files alone, and the
   * problem is reported on the config.
   */
  async filesOf(folder: string, settings: ServerSettings): Promise<string[]> {
    const { ignoreRules } = this.setupFor(folder, settings);
    try {
      return (await collectFiles([folder], folder, ignoreRules)).files.map((file) => file.filePath);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.record(folder, error.problems);
      const withoutConfig = new IgnoreRules({ cwd: folder, useIgnoreFiles: true });
      return (await collectFiles([folder], folder, withoutConfig)).files.map((file) => file.filePath);
    }
  }

  /** Problems of every config file seen since the last reset, by absolute path. */
  configProblems(): ReadonlyMap<string, readonly PlacedConfigProblem[]> {
    return this.problems;
  }

  private record(folder: string, problems: readonly ConfigProblem[]): void {
    for (const problem of problems) {
      const absoluteFile = path.resolve(folder, problem.file);
      const known = this.problems.get(absoluteFile) ?? [];
      if (known.some((other) => other.line === problem.line && other.column === problem.column && other.message === problem.message)) continue;
      this.problems.set(absoluteFile, [...known, { ...problem, absoluteFile }]);
    }
  }

  private setupFor(folder: string, settings: ServerSettings): FolderSetup {
    const key = JSON.stringify([folder, settings.configPath, settings.rules]);
    let setup = this.setups.get(key);
    if (!setup) {
      const explicitConfig = settings.configPath ? path.resolve(folder, settings.configPath) : undefined;
      const ruleFlags = Object.keys(settings.rules).length > 0 ? settings.rules : undefined;
      const resolver = new ConfigResolver({ cwd: folder, configFile: explicitConfig, ruleFlags });
      const ignoreRules = new IgnoreRules({
        cwd: folder,
        useIgnoreFiles: true,
        configPatterns: configIgnorePatterns(resolver, explicitConfig),
      });
      setup = { resolver, ignoreRules, explicitConfig };
      this.setups.set(key, setup);
    }
    return setup;
  }
}

/** No config ever loaded for the file: the built-in defaults with the editor's severities. */
function defaultsWith(settings: ServerSettings): FileConfig {
  return { ...resolveLayers([{ rules: settings.rules }]), configFile: undefined, matchedOverrides: [] };
}

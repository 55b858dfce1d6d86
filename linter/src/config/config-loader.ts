/**
 * Reads a config file and the configs it extends (relative files and built-in presets),
 * flattened into the order their values apply: what a config extends comes before it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConfigFile, ConfigLayer, ConfigOverride, ConfigProblem } from '@retrylint/shared';
import { findNodeAtLocation, parseTree, type JSONPath } from 'jsonc-parser';
import { ConfigError } from './config-error.js';
import { parseConfig, presetLayer } from './core-config.js';

export interface ConfigSource {
  /** Absolute path of the file, or the preset's name. */
  readonly origin: string;
  /** The file's folder (its `ignorePatterns` are relative to it); undefined for presets. */
  readonly directory: string | undefined;
  /** The values the source sets for every file. */
  readonly base: ConfigLayer;
  readonly overrides: readonly ConfigOverride[];
  readonly ignorePatterns: readonly string[];
  /** `project` of the file (presets have none). */
  readonly project?: boolean | string;
}

const PRESET_PREFIX = 'retrylint:';

function extendsList(config: ConfigFile): readonly string[] {
  if (config.extends === undefined) return [];
  return typeof config.extends === 'string' ? [config.extends] : config.extends;
}

function problemAt(text: string, file: string, jsonPath: JSONPath, pathLabel: string, message: string): ConfigProblem {
  const node = findNodeAtLocation(parseTree(text) ?? { type: 'null', offset: 0, length: 0 }, jsonPath);
  const before = text.slice(0, node?.offset ?? 0).split(/\r\n|\r|\n/);
  return { file, path: pathLabel, line: before.length, column: (before.at(-1)?.length ?? 0) + 1, message };
}

export class ConfigLoader {
  private readonly chains = new Map<string, readonly ConfigSource[]>();

  /** `displayPath` names files in messages (relative to the run's folder). */
  constructor(private readonly displayPath: (file: string) => string) {}

  /** The file and everything it extends, in application order. Throws ConfigError. */
  load(file: string): readonly ConfigSource[] {
    return this.loadChain(path.resolve(file), []);
  }

  private loadChain(file: string, visiting: readonly string[]): readonly ConfigSource[] {
    const cached = this.chains.get(file);
    if (cached) return cached;
    const shown = this.displayPath(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'cannot be read';
      throw new ConfigError([{ file: shown, path: '', line: 1, column: 1, message: `config ${reason}` }]);
    }
    const { config, problems } = parseConfig(text, shown);
    if (problems.length > 0 || !config) throw new ConfigError(problems);
    const sources: ConfigSource[] = [];
    const list = extendsList(config);
    list.forEach((target, index) => {
      const jsonPath: JSONPath = typeof config.extends === 'string' ? ['extends'] : ['extends', index];
      const label = typeof config.extends === 'string' ? 'extends' : `extends[${index}]`;
      if (target.startsWith(PRESET_PREFIX)) {
        const preset = presetLayer(target);
        if (!preset) throw new ConfigError([problemAt(text, shown, jsonPath, label, `unknown preset "${target}"`)]);
        sources.push({ origin: target, directory: undefined, base: preset, overrides: [], ignorePatterns: [] });
        return;
      }
      const extended = path.resolve(path.dirname(file), target);
      if (extended === file || visiting.includes(extended)) {
        throw new ConfigError([problemAt(text, shown, jsonPath, label, `"${target}" extends itself (a cycle)`)]);
      }
      try {
        sources.push(...this.loadChain(extended, [...visiting, file]));
      } catch (error) {
        const notFound =
          error instanceof ConfigError &&
          error.problems.length === 1 &&
          error.problems[0].message === 'config file not found' &&
          error.problems[0].file === this.displayPath(extended);
        if (!notFound) throw error;
        throw new ConfigError([problemAt(text, shown, jsonPath, label, `cannot find "${target}"`)]);
      }
    });
    const { profile, policy, rules } = config;
    sources.push({
      origin: file,
      directory: path.dirname(file),
      base: { profile, policy, rules },
      overrides: config.overrides ?? [],
      ignorePatterns: config.ignorePatterns ?? [],
      ...(config.project !== undefined ? { project: config.project } : {}),
    });
    this.chains.set(file, sources);
    return sources;
  }
}

/**
 * The config in force for one file: the nearest `retrylint.config.json` (or `--config`),
 * what it extends, the `overrides` whose globs match the file, and `--rule` flags last.
 */
import path from 'node:path';
import type { ConfigLayer, Policy, RuleSettings } from '@retrylint/shared';
import { ConfigLoader, type ConfigSource } from './config-loader.js';
import { resolveLayers } from './core-config.js';
import { ConfigDiscovery } from './discovery.js';
import { overrideApplies } from './overrides.js';

export interface ConfigResolverOptions {
  /** Folder of the run: messages name config files relative to it. */
  readonly cwd: string;
  /** `--config`: one file for every linted file; no lookup. */
  readonly configFile?: string;
  /** `--rule id:severity` layers, applied after every file's config. */
  readonly ruleFlags?: ConfigLayer['rules'];
}

/** An `overrides` entry that applies to a file (the editor's hover names it). */
export interface MatchedOverride {
  /** Absolute path of the config file that holds it. */
  readonly configFile: string;
  readonly index: number;
  readonly files: readonly string[];
}

export interface FileConfig {
  readonly policy: Policy;
  readonly rules: RuleSettings;
  /** The config file in force, if any. */
  readonly configFile: string | undefined;
  readonly matchedOverrides: readonly MatchedOverride[];
}

export class ConfigResolver {
  private readonly discovery = new ConfigDiscovery();
  private readonly loader: ConfigLoader;
  private readonly resolved = new Map<string, FileConfig>();

  constructor(private readonly options: ConfigResolverOptions) {
    this.loader = new ConfigLoader((file) => {
      const relative = path.relative(options.cwd, file);
      return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
    });
  }

  /** The config file a file is linted with, if any (no parsing). */
  configFileFor(filePath: string): string | undefined {
    if (this.options.configFile) return path.resolve(this.options.cwd, this.options.configFile);
    return this.discovery.nearestConfig(path.dirname(path.resolve(filePath)));
  }

  /** The sources of a config file, in application order. Throws ConfigError. */
  sourcesOf(configFile: string): readonly ConfigSource[] {
    return this.loader.load(configFile);
  }

  /** Throws ConfigError when the file's config is invalid. */
  forFile(filePath: string): FileConfig {
    const absolute = path.resolve(this.options.cwd, filePath);
    const configFile = this.configFileFor(absolute);
    const sources = configFile ? this.loader.load(configFile) : [];
    const layers: ConfigLayer[] = [];
    const key: string[] = [configFile ?? ''];
    const matchedOverrides: MatchedOverride[] = [];
    // As in ESLint, the overrides of an extended file match relative to the config that
    // extends it, so a shared base's `db/**` means each project's own db folder.
    const overridesBase = configFile ? path.dirname(configFile) : undefined;
    sources.forEach((source, sourceIndex) => {
      layers.push(source.base);
      source.overrides.forEach((override, overrideIndex) => {
        if (overridesBase === undefined || !overrideApplies(override, overridesBase, absolute)) return;
        const { profile, policy, rules } = override;
        layers.push({ profile, policy, rules });
        key.push(`${sourceIndex}.${overrideIndex}`);
        const files = typeof override.files === 'string' ? [override.files] : [...override.files];
        matchedOverrides.push({ configFile: source.origin, index: overrideIndex, files });
      });
    });
    if (this.options.ruleFlags) layers.push({ rules: this.options.ruleFlags });
    // Files that match the same overrides of the same config share one resolution.
    const cacheKey = key.join('|');
    let config = this.resolved.get(cacheKey);
    if (!config) {
      config = { ...resolveLayers(layers), configFile, matchedOverrides };
      this.resolved.set(cacheKey, config);
    }
    return config;
  }
}

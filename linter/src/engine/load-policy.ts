/**
 * The engine settings an application's config file gives: the same lookup, `extends` and
 * `overrides` as the linter, so the app retries with the policy its CI lints against.
 */
import path from 'node:path';
import { engineSettingsFromConfig, type EngineSettings } from '@retrylint/shared';
import { ConfigResolver } from '../config/file-config.js';

export interface LoadPolicyOptions {
  /** A config file; without it, the nearest retrylint.config.json above `forFile`. */
  readonly config?: string;
  /** The source file whose `overrides` apply (default: a file in `cwd`). */
  readonly forFile?: string;
  /** Default: process.cwd(). */
  readonly cwd?: string;
}

export interface LoadedPolicy extends EngineSettings {
  /** The config file in force, if any (none: the recommended policy). */
  readonly configFile: string | undefined;
}

/** Throws a ConfigError that names the file, line and column of each problem. */
export function loadPolicy(options: LoadPolicyOptions = {}): LoadedPolicy {
  const cwd = options.cwd ?? process.cwd();
  const resolver = new ConfigResolver({ cwd, ...(options.config ? { configFile: options.config } : {}) });
  const forFile = path.resolve(cwd, options.forFile ?? 'retrylint-engine.js');
  const resolved = resolver.forFile(forFile);
  return { ...engineSettingsFromConfig(resolved), configFile: resolved.configFile };
}

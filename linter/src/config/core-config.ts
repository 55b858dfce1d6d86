/**
 * The policy core's config API as the linter uses it: parse and validate one file, the
 * built-in presets, and merging layers into the policy in force. Kept in one place so the
 * rest of the config code does not depend on how shared spells it.
 */
import {
  parseConfigText,
  presetConfig,
  resolveConfigLayers,
  type ConfigFile,
  type ConfigLayer,
  type ConfigProblem,
  type Policy,
  type RuleSettings,
} from '@retrylint/shared';

export interface ParsedConfig {
  readonly config: ConfigFile | undefined;
  readonly problems: readonly ConfigProblem[];
}

export function parseConfig(text: string, file: string): ParsedConfig {
  const parsed = parseConfigText(text, file);
  return { config: parsed.config, problems: parsed.problems };
}

export function presetLayer(name: string): ConfigLayer | undefined {
  return presetConfig(name);
}

export function resolveLayers(layers: readonly ConfigLayer[]): { policy: Policy; rules: RuleSettings } {
  return resolveConfigLayers(layers);
}

/**
 * The policy core's config API as the linter uses it: parse and validate one file, the
 * built-in presets, and merging layers into the policy in force. Kept in one place so the
 * rest of the config code does not depend on how shared spells it.
 */
import {
  resolvePolicy,
  ruleIds,
  type ConfigFile,
  type ConfigProblem,
  type Policy,
  type ResolvedRuleSetting,
  type RuleSettings,
  type RuleSetting,
} from '@retrylint/shared';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';

/** The part of a config that sets values (no `extends`, no `overrides`). */
export type ConfigLayer = Pick<ConfigFile, 'profile' | 'policy' | 'rules'>;

export interface ParsedConfig {
  readonly config: ConfigFile | undefined;
  readonly problems: readonly ConfigProblem[];
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

export function parseConfig(text: string, file: string): ParsedConfig {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    return {
      config: undefined,
      problems: errors.map((error) => ({ file, path: '', ...positionOf(text, error.offset), message: 'invalid JSON' })),
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { config: undefined, problems: [{ file, path: '', line: 1, column: 1, message: 'must be an object' }] };
  }
  return { config: value as ConfigFile, problems: [] };
}

export function presetLayers(name: string): ConfigFile | undefined {
  if (name === 'retrylint:recommended') return {};
  if (name === 'retrylint:strict') return { policy: { judgeLibraryDefaults: true } };
  return undefined;
}

function toResolved(setting: RuleSetting): ResolvedRuleSetting {
  if (typeof setting === 'string') return { severity: setting, options: {} };
  return { severity: setting[0], options: { ...(setting[1] ?? {}) } };
}

export function resolveLayers(layers: readonly ConfigLayer[]): { policy: Policy; rules: RuleSettings } {
  let profile: ConfigLayer['profile'];
  let options: NonNullable<ConfigLayer['policy']> = {};
  const rules: Record<string, ResolvedRuleSetting> = {};
  for (const layer of layers) {
    profile = layer.profile ?? profile;
    options = { ...options, ...layer.policy };
    for (const [id, setting] of Object.entries(layer.rules ?? {})) {
      if (ruleIds.includes(id)) rules[id] = toResolved(setting);
    }
  }
  return { policy: resolvePolicy(profile, options), rules };
}

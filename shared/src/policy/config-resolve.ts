/**
 * Merges config layers (presets, extended files, the file itself, matching overrides;
 * base first) into the policy and rule settings in force for one file. Later layers win.
 */
import type { RuleSettings } from '../judge.js';
import { getRule } from '../rules/index.js';
import type { ConfigLayer, ResolvedRuleSetting, RuleSetting } from './config.js';
import type { Policy, PolicyOptions, ProfileName } from './options.js';
import { presetConfig } from './presets.js';
import { PROFILE_SHAPED_OPTIONS, PROFILES, resolvePolicy } from './profiles.js';

export interface ResolvedConfig {
  readonly policy: Policy;
  /** A setting for every registered rule. */
  readonly rules: RuleSettings;
}

/**
 * Every layer starts from `retrylint:recommended`; the caller puts the presets and files an
 * `extends` names before the layer that names them.
 *
 * Policy: a layer's `profile` sets the profile and resets the numbers the profile shapes
 * (attempts, base delay, cap), then the layer's own `policy` options apply on top, so a
 * profile chosen by an override is not undone by numbers the base file wrote.
 *
 * Rules (as ESLint): a severity alone keeps the options of earlier layers; a severity with
 * options replaces them. Settings for ids that are not registered rules are dropped.
 */
export function resolveConfigLayers(layers: readonly ConfigLayer[]): ResolvedConfig {
  let profile: ProfileName = 'ai-api';
  let explicit: Partial<PolicyOptions> = {};
  const settings: Record<string, ResolvedRuleSetting> = {};
  for (const layer of [presetConfig('retrylint:recommended') ?? {}, ...layers]) {
    if (layer.profile !== undefined && Object.hasOwn(PROFILES, layer.profile)) {
      profile = layer.profile;
      explicit = withoutProfileShapedOptions(explicit);
    }
    explicit = { ...explicit, ...definedOptions(layer.policy) };
    for (const [id, setting] of Object.entries(layer.rules ?? {})) {
      if (!getRule(id)) continue;
      const merged = mergeRuleSetting(settings[id], setting);
      if (merged) settings[id] = merged;
    }
  }
  return { policy: resolvePolicy(profile, explicit), rules: settings };
}

function mergeRuleSetting(
  earlier: ResolvedRuleSetting | undefined,
  setting: RuleSetting | ResolvedRuleSetting,
): ResolvedRuleSetting | undefined {
  const keptOptions = earlier?.options ?? {};
  if (typeof setting === 'string') return { severity: setting, options: keptOptions };
  if (isResolved(setting)) return { severity: setting.severity, options: { ...setting.options } };
  const [severity, options] = setting;
  if (severity === undefined) return undefined;
  return { severity, options: options === undefined ? keptOptions : { ...options } };
}

function isResolved(setting: RuleSetting | ResolvedRuleSetting): setting is ResolvedRuleSetting {
  return typeof setting === 'object' && !Array.isArray(setting);
}

function withoutProfileShapedOptions(options: Partial<PolicyOptions>): Partial<PolicyOptions> {
  const rest: Record<string, unknown> = { ...options };
  for (const key of PROFILE_SHAPED_OPTIONS) delete rest[key];
  return rest as Partial<PolicyOptions>;
}

/** `{ maxAttempts: undefined }` from a spread must not erase an earlier value. */
function definedOptions(options: Partial<PolicyOptions> | undefined): Partial<PolicyOptions> {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value !== undefined));
}

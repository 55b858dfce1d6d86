/**
 * The built-in configs an `extends` can name. They are layers like any config file, so
 * `extends: ["retrylint:strict", "retrylint:recommended"]` ends at recommended.
 */
import { rules } from '../rules/index.js';
import type { ConfigLayer, ResolvedRuleSetting } from './config.js';

export const PRESET_NAMES = ['retrylint:recommended', 'retrylint:strict'] as const;

export type PresetName = (typeof PRESET_NAMES)[number];

export const PRESET_DESCRIPTIONS: Readonly<Record<PresetName, string>> = {
  'retrylint:recommended': 'every rule at its default severity (the default).',
  'retrylint:strict': 'every rule at its strict severity, and long library defaults judged too.',
};

/** The prefix that marks an `extends` entry as a preset rather than a file path. */
export const PRESET_PREFIX = 'retrylint:';

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** The preset as a layer, or undefined for a name that is not a preset. */
export function presetConfig(name: string): ConfigLayer | undefined {
  switch (name) {
    case 'retrylint:recommended':
      return recommendedLayer();
    case 'retrylint:strict':
      return strictLayer();
    default:
      return undefined;
  }
}

/** Every rule at 'default': its meta.defaultSeverity, keeping per-message severities. */
function recommendedLayer(): ConfigLayer {
  const settings: Record<string, ResolvedRuleSetting> = {};
  for (const rule of rules) settings[rule.meta.id] = { severity: 'default', options: {} };
  return { policy: { judgeLibraryDefaults: false }, rules: settings };
}

function strictLayer(): ConfigLayer {
  const settings: Record<string, ResolvedRuleSetting> = {};
  for (const rule of rules) settings[rule.meta.id] = { severity: rule.meta.strictSeverity, options: {} };
  return { policy: { judgeLibraryDefaults: true }, rules: settings };
}

/**
 * The commented `retrylint.config.json` that `retrylint init` writes. The policy section is
 * generated from the defaults and descriptions, so the starter cannot drift from them.
 */
import { CONFIG_SCHEMA_URL, POLICY_OPTION_EXAMPLES, policyOptionDescription } from './config-schema.js';
import { DEFAULT_POLICY_OPTIONS, GUARD_OPTION_KEYS, PROFILE_NAMES, type PolicyOptions } from './options.js';
import { PRESET_NAMES, presetConfig } from './presets.js';
import { PROFILE_SHAPED_OPTIONS } from './profiles.js';

/** Options a profile or a preset sets: written out, they would undo a change of either. */
function optionsSetElsewhere(): Set<string> {
  const keys = new Set<string>(PROFILE_SHAPED_OPTIONS);
  for (const name of PRESET_NAMES) for (const key of Object.keys(presetConfig(name)?.policy ?? {})) keys.add(key);
  return keys;
}

/** The guards stay commented out (absent means off), each with the example its schema gives. */
function guardLines(): string[] {
  const lines: string[] = [];
  for (const key of GUARD_OPTION_KEYS) {
    const example = (POLICY_OPTION_EXAMPLES[key] ?? {}) as Record<string, unknown>;
    const written = Object.entries(example).map(([name, value]) => `"${name}": ${JSON.stringify(value)}`).join(', ');
    lines.push(`    // ${policyOptionDescription(key)}`);
    lines.push(`    // "${key}": { ${written} },`);
  }
  return lines;
}

function policyLines(): string[] {
  const keys = Object.keys(DEFAULT_POLICY_OPTIONS) as (keyof PolicyOptions)[];
  const setElsewhere = optionsSetElsewhere();
  const lines: string[] = [...guardLines(), ''];
  keys.forEach((key, index) => {
    const value = DEFAULT_POLICY_OPTIONS[key];
    const written = Array.isArray(value) ? `[${value.join(', ')}]` : JSON.stringify(value);
    const comma = index < keys.length - 1 ? ',' : '';
    lines.push(`    // ${policyOptionDescription(key)}`);
    lines.push(setElsewhere.has(key) ? `    // "${key}": ${written}${comma}` : `    "${key}": ${written}${comma}`);
  });
  return lines;
}

export function starterConfigText(): string {
  return [
    '{',
    '  // Completion and checking of this file in editors.',
    `  "$schema": "${CONFIG_SCHEMA_URL}",`,
    '',
    '  // The rule severities to start from: "retrylint:recommended" or "retrylint:strict".',
    '  "extends": "retrylint:recommended",',
    '',
    '  // How the code here should retry; sets the delay schedule fixes write and the numbers below.',
    `  // One of: ${PROFILE_NAMES.join(', ')}.`,
    '  "profile": "ai-api",',
    '',
    '  // The numbers the rules judge against, at their defaults. Options set here win over the profile',
    '  // and the preset; the commented ones come from them.',
    '  "policy": {',
    ...policyLines(),
    '  },',
    '',
    '  // Rule severities: "off", "warn", "error", or ["warn", { options }].',
    '  "rules": {',
    '    // "require-idempotency-key": "warn"',
    '  },',
    '',
    '  // Settings for some files (globs relative to this file); later entries win.',
    '  "overrides": [',
    '    {',
    '      // Database code waits out a primary/replica switch-over: linear steps of 1 s up to 30 s.',
    '      "files": ["**/db/**"],',
    '      "profile": "db-failover"',
    '    }',
    '  ],',
    '',
    '  // Files not to lint besides those in .gitignore (gitignore syntax), e.g. "generated/".',
    '  "ignorePatterns": []',
    '}',
    '',
  ].join('\n');
}

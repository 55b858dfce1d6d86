import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  isPresetName,
  parseConfigText,
  presetConfig,
  PRESET_NAMES,
  resolveConfigLayers,
  resolvePolicy,
  rules,
  ruleIds,
  starterConfigText,
  type ConfigFile,
  type ConfigLayer,
} from '@retrylint/shared';

function preset(name: string): ConfigLayer {
  const layer = presetConfig(name);
  if (!layer) throw new Error(`no preset ${name}`);
  return layer;
}

describe('presets', () => {
  it('recommended: every rule at its default severity, per-message severities kept', () => {
    const { rules: settings, policy } = resolveConfigLayers([preset('retrylint:recommended')]);
    expect(Object.keys(settings).sort()).toEqual([...ruleIds].sort());
    for (const id of ruleIds) expect(settings[id]).toEqual({ severity: 'default', options: {} });
    expect(policy).toEqual(DEFAULT_POLICY);
  });

  it('strict: every rule at its strict severity, long library defaults judged', () => {
    const { rules: settings, policy } = resolveConfigLayers([preset('retrylint:strict')]);
    for (const rule of rules) expect(settings[rule.meta.id]?.severity).toBe(rule.meta.strictSeverity);
    expect(policy.judgeLibraryDefaults).toBe(true);
  });

  it('a later preset wins over an earlier one', () => {
    const { rules: settings, policy } = resolveConfigLayers([preset('retrylint:strict'), preset('retrylint:recommended')]);
    for (const id of ruleIds) expect(settings[id]?.severity).toBe('default');
    expect(policy.judgeLibraryDefaults).toBe(false);
  });

  it('knows its names and nothing else', () => {
    expect(PRESET_NAMES.every(isPresetName)).toBe(true);
    expect(isPresetName('retrylint:all')).toBe(false);
    expect(presetConfig('retrylint:all')).toBeUndefined();
    expect(presetConfig('./retrylint.config.json')).toBeUndefined();
  });
});

describe('resolveConfigLayers', () => {
  it('without layers: the recommended policy with the ai-api profile, every rule at default', () => {
    const resolved = resolveConfigLayers([]);
    expect(resolved.policy).toEqual(DEFAULT_POLICY);
    expect(Object.values(resolved.rules).every((setting) => setting.severity === 'default')).toBe(true);
  });

  it('later layers win, option by option; lists are replaced, not merged', () => {
    const { policy } = resolveConfigLayers([
      { policy: { maxAttempts: 3, maxTimeoutMs: 30_000, retryableStatuses: [429, 503] } },
      { policy: { maxAttempts: 4, retryableStatuses: [503] } },
    ]);
    expect(policy.maxAttempts).toBe(4);
    expect(policy.maxTimeoutMs).toBe(30_000);
    expect(policy.retryableStatuses).toEqual([503]);
    expect(policy.backoff.maxAttempts).toBe(4);
  });

  it('an option undefined in a later layer does not erase an earlier value', () => {
    const { policy } = resolveConfigLayers([{ policy: { maxAttempts: 3 } }, { policy: { maxAttempts: undefined } }]);
    expect(policy.maxAttempts).toBe(3);
  });

  it("a profile sets the schedule; the same layer's explicit options win over its numbers", () => {
    const { policy } = resolveConfigLayers([{ profile: 'db-failover', policy: { maxDelayMs: 10_000 } }]);
    expect(policy.profile).toBe('db-failover');
    expect(policy.backoff.strategy).toBe('linear');
    expect(policy.backoff.stepMs).toBe(1_000);
    expect(policy.maxDelayMs).toBe(10_000);
    expect(policy.backoff.capMs).toBe(10_000);
  });

  it('options from a later layer win over an earlier profile', () => {
    const { policy } = resolveConfigLayers([{ profile: 'network-blip' }, { policy: { maxAttempts: 2 } }]);
    expect(policy.profile).toBe('network-blip');
    expect(policy.maxAttempts).toBe(2);
    expect(policy.maxDelayMs).toBe(5_000);
  });

  it('a profile in a later layer (an override) replaces the numbers it shapes, keeps the others', () => {
    const { policy } = resolveConfigLayers([
      { policy: { maxDelayMs: 60_000, maxAttempts: 3, maxTimeoutMs: 5_000 } },
      { profile: 'network-blip' },
    ]);
    const networkBlip = resolvePolicy('network-blip');
    expect(policy.maxDelayMs).toBe(networkBlip.maxDelayMs);
    expect(policy.maxAttempts).toBe(networkBlip.maxAttempts);
    expect(policy.maxTimeoutMs).toBe(5_000);
  });

  it('rule settings merge per rule as in ESLint: a severity alone keeps earlier options', () => {
    const { rules: settings } = resolveConfigLayers([
      { rules: { 'bounded-attempts': ['warn', { ignoreTests: true }], 'require-jitter': 'off' } },
      { rules: { 'bounded-attempts': 'error' } },
      { rules: { 'bounded-attempts': ['off'] } },
    ]);
    expect(settings['bounded-attempts']).toEqual({ severity: 'off', options: { ignoreTests: true } });
    expect(settings['require-jitter']).toEqual({ severity: 'off', options: {} });
    expect(settings['bounded-delay']).toEqual({ severity: 'default', options: {} });
  });

  it('a severity with options replaces the earlier options', () => {
    const { rules: settings } = resolveConfigLayers([
      { rules: { 'bounded-attempts': ['warn', { a: 1 }] } },
      { rules: { 'bounded-attempts': ['error', { b: 2 }] } },
    ]);
    expect(settings['bounded-attempts']).toEqual({ severity: 'error', options: { b: 2 } });
  });

  it('a preset after a file resets what the file set', () => {
    const { rules: settings } = resolveConfigLayers([
      { rules: { 'require-jitter': ['off', { a: 1 }] } },
      preset('retrylint:recommended'),
    ]);
    expect(settings['require-jitter']).toEqual({ severity: 'default', options: {} });
  });

  it('drops settings for ids that are not rules and ignores profiles that do not exist', () => {
    const layer = { profile: 'turbo', rules: { 'not-a-rule': 'error' } } as unknown as ConfigLayer;
    const resolved = resolveConfigLayers([layer]);
    expect(resolved.rules).not.toHaveProperty('not-a-rule');
    expect(resolved.policy).toEqual(DEFAULT_POLICY);
  });

  it('does not change its inputs', () => {
    const layer: ConfigFile = { policy: { maxAttempts: 3 }, rules: { 'bounded-attempts': ['warn', { a: 1 }] } };
    const snapshot = structuredClone(layer);
    const resolved = resolveConfigLayers([layer, { rules: { 'bounded-attempts': 'error' } }]);
    expect(layer).toEqual(snapshot);
    expect(resolved.rules['bounded-attempts']?.options).not.toBe(
      (layer.rules?.['bounded-attempts'] as readonly unknown[])[1],
    );
  });
});

describe('starterConfigText', () => {
  const text = starterConfigText();

  function parsedStarter(replace: (text: string) => string = (same) => same): ConfigFile {
    const { config, problems } = parseConfigText(replace(text), 'retrylint.config.json');
    expect(problems).toEqual([]);
    if (!config) throw new Error('no config');
    return config;
  }

  it('parses without problems and resolves to the recommended policy', () => {
    const config = parsedStarter();
    expect(config.profile).toBe('ai-api');
    expect(resolveConfigLayers([preset('retrylint:recommended'), config]).policy).toEqual(DEFAULT_POLICY);
  });

  it('explains every policy option', () => {
    for (const key of Object.keys(DEFAULT_POLICY)) {
      if (key === 'profile' || key === 'backoff') continue;
      expect(text, key).toContain(`"${key}":`);
    }
  });

  it('has a db override that applies the db-failover profile', () => {
    const config = parsedStarter();
    const override = config.overrides?.[0];
    expect(override?.files).toEqual(['**/db/**']);
    const { policy } = resolveConfigLayers([config, override ?? {}]);
    expect(policy.profile).toBe('db-failover');
    expect(policy.backoff).toMatchObject({ strategy: 'linear', stepMs: 1_000, capMs: 30_000 });
  });

  it('does not pin numbers: changing its profile or preset takes effect', () => {
    const networkBlip = parsedStarter((source) => source.replace('"profile": "ai-api"', '"profile": "network-blip"'));
    expect(resolveConfigLayers([networkBlip]).policy.maxDelayMs).toBe(5_000);
    const strict = parsedStarter((source) => source.replace('"extends": "retrylint:recommended"', '"extends": "retrylint:strict"'));
    expect(strict.extends).toBe('retrylint:strict');
    expect(resolveConfigLayers([preset('retrylint:strict'), strict]).policy.judgeLibraryDefaults).toBe(true);
  });
});

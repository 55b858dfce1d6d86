/**
 * The client's `retrylint` settings (per workspace folder or resource), read leniently: a
 * value of the wrong type falls back to its default, so a typo in settings.json never
 * stops linting.
 */
import type { RuleSetting } from '@retrylint/shared';

export type RunMode = 'onType' | 'onSave';

/** auto: project mode for TS/JS files under a tsconfig.json (in their workspace folder); off: per file only. */
export type ProjectMode = 'auto' | 'off';

export interface ServerSettings {
  readonly enable: boolean;
  readonly run: RunMode;
  /** A config file used instead of discovery (absolute, or relative to the workspace folder). */
  readonly configPath: string | undefined;
  /** Rule id -> severity, applied after every config (like `--rule`). */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly codeLens: boolean;
  readonly project: ProjectMode;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  enable: true,
  run: 'onType',
  configPath: undefined,
  rules: {},
  codeLens: true,
  project: 'auto',
};

const SEVERITIES: readonly string[] = ['off', 'warn', 'error'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ruleOverrides(value: unknown): Record<string, RuleSetting> {
  if (!isRecord(value)) return {};
  const rules: Record<string, RuleSetting> = {};
  for (const [id, severity] of Object.entries(value)) {
    if (typeof severity === 'string' && SEVERITIES.includes(severity)) rules[id] = severity as RuleSetting;
  }
  return rules;
}

export function readSettings(raw: unknown): ServerSettings {
  if (!isRecord(raw)) return DEFAULT_SETTINGS;
  return {
    enable: typeof raw.enable === 'boolean' ? raw.enable : DEFAULT_SETTINGS.enable,
    run: raw.run === 'onSave' || raw.run === 'onType' ? raw.run : DEFAULT_SETTINGS.run,
    configPath: typeof raw.configPath === 'string' && raw.configPath.trim() !== '' ? raw.configPath : undefined,
    rules: ruleOverrides(raw.rules),
    codeLens: typeof raw.codeLens === 'boolean' ? raw.codeLens : DEFAULT_SETTINGS.codeLens,
    project: raw.project === 'auto' || raw.project === 'off' ? raw.project : DEFAULT_SETTINGS.project,
  };
}

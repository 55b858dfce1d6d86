/**
 * The `retrylint.config.json` format (JSON with comments). Parsing, validation and
 * merging live here; finding files and matching override globs belong to the linter.
 */
import type { Severity } from '../rules/rule.js';
import type { Span } from '../span.js';
import type { PolicyOptions, ProfileName } from './options.js';

/** `"error"`, or `["warn", { ...options }]` like ESLint. */
export type RuleSetting = Severity | readonly [Severity] | readonly [Severity, Record<string, unknown>];

export interface ConfigOverride {
  /** Globs relative to the config file's folder. */
  readonly files: string | readonly string[];
  readonly excludedFiles?: string | readonly string[];
  readonly profile?: ProfileName;
  readonly policy?: Partial<PolicyOptions>;
  readonly rules?: Readonly<Record<string, RuleSetting>>;
}

export interface ConfigFile {
  readonly $schema?: string;
  /** `retrylint:recommended`, `retrylint:strict`, or a relative path to another config. */
  readonly extends?: string | readonly string[];
  readonly profile?: ProfileName;
  readonly policy?: Partial<PolicyOptions>;
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  readonly overrides?: readonly ConfigOverride[];
  /** Extra ignore patterns (gitignore syntax), relative to the config file. */
  readonly ignorePatterns?: readonly string[];
  /**
   * TypeScript project mode for the CLI (like `--project`): true uses each file's nearest
   * tsconfig.json, a string names one tsconfig, relative to the config file.
   */
  readonly project?: boolean | string;
}

/** A problem in a config file, precise enough to fix without reading the docs. */
export interface ConfigProblem {
  readonly file: string;
  /**
   * JSON path of the offending value: `rules["bounded-atempts"]`, `policy.maxAttempts`;
   * empty for the whole file and for JSON syntax errors.
   */
  readonly path: string;
  readonly line: number;
  readonly column: number;
  /** What was expected and what was found, without the location. */
  readonly message: string;
  /** The offending text (for editor diagnostics). */
  readonly span?: Span;
}

/** One rule's setting after merging: the severity in force and its options. */
export interface ResolvedRuleSetting {
  /** 'default' keeps the rule's per-message severities. */
  readonly severity: Severity | 'default';
  readonly options: Record<string, unknown>;
}

/**
 * One layer of settings to merge: a config file, an override that matches the file, or a
 * preset. Presets may give resolved settings (`severity: 'default'`), which files cannot.
 */
export interface ConfigLayer {
  readonly profile?: ProfileName;
  readonly policy?: Partial<PolicyOptions>;
  readonly rules?: Readonly<Record<string, RuleSetting | ResolvedRuleSetting>>;
}

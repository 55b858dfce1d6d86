/**
 * What `--policy` and `--compare` name: one of the article's strategies, a profile, or a
 * `retrylint.config.json`, read with the linter's config loading (its `extends` included;
 * `overrides` are per file and do not apply).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  ARTICLE_STRATEGY_NAMES,
  articleStrategy,
  didYouMean,
  PROFILE_NAMES,
  resolvePolicy,
  simPolicyFromPolicy,
  type ProfileName,
  type SimPolicy,
} from '@retrylint/shared';
import { ConfigLoader } from '../../config/config-loader.js';
import { resolveLayers } from '../../config/core-config.js';
import { UsageError } from '../usage-error.js';

function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

function looksLikeFile(spec: string): boolean {
  return spec.endsWith('.json') || spec.includes('/') || spec.includes(path.sep);
}

function configPolicy(spec: string, cwd: string): SimPolicy {
  const file = path.resolve(cwd, spec);
  const loader = new ConfigLoader((absolute) => path.relative(cwd, absolute) || absolute);
  const layers = loader.load(file).map((source) => source.base);
  return simPolicyFromPolicy(spec, resolveLayers(layers).policy);
}

/** Throws UsageError for a name that is none of these, or ConfigError for a bad config. */
export function resolveSimPolicy(spec: string, cwd: string): SimPolicy {
  const article = articleStrategy(spec);
  if (article) return article;
  if (isProfileName(spec)) return simPolicyFromPolicy(spec, resolvePolicy(spec));
  if (looksLikeFile(spec) || existsSync(path.resolve(cwd, spec))) return configPolicy(spec, cwd);
  const known = [...ARTICLE_STRATEGY_NAMES, ...PROFILE_NAMES];
  throw new UsageError(
    `unknown policy "${spec}"${didYouMean(spec, known)}: expected a strategy (${ARTICLE_STRATEGY_NAMES.join(', ')}), ` +
      `a profile (${PROFILE_NAMES.join(', ')}) or a retrylint.config.json path`,
  );
}

export function resolveSimPolicies(specs: readonly string[], cwd: string): SimPolicy[] {
  const names = new Set<string>();
  return specs.map((spec) => {
    if (names.has(spec)) throw new UsageError(`policy "${spec}" is listed twice`);
    names.add(spec);
    return resolveSimPolicy(spec, cwd);
  });
}

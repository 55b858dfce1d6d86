/**
 * The policy for ESLint runs, from shared settings:
 * `settings: { retrylint: { profile: 'ai-api', policy: { maxAttempts: 3 } } }`.
 */
import { PROFILE_NAMES, resolvePolicy, type Policy, type PolicyOptions, type ProfileName } from '@retrylint/shared';

export interface RetrylintSettings {
  readonly profile?: ProfileName;
  readonly policy?: Partial<PolicyOptions>;
}

const cache = new WeakMap<object, Policy>();
const defaultPolicy = resolvePolicy();

function isProfile(value: unknown): value is ProfileName {
  return typeof value === 'string' && (PROFILE_NAMES as readonly string[]).includes(value);
}

export function policyFrom(settings: Record<string, unknown> | undefined): Policy {
  const own = settings?.retrylint;
  if (typeof own !== 'object' || own === null) return defaultPolicy;
  let policy = cache.get(own);
  if (!policy) {
    const { profile, policy: options } = own as RetrylintSettings;
    policy = resolvePolicy(isProfile(profile) ? profile : 'ai-api', typeof options === 'object' && options !== null ? options : {});
    cache.set(own, policy);
  }
  return policy;
}

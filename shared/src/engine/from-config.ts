/**
 * What the engine takes from a resolved config: the policy, and the error codes the
 * no-retry-permanent-errors rule is set to treat as permanent, so an application retries
 * exactly as the config its CI lints with says.
 */
import type { RuleSettings } from '../judge.js';
import { DEFAULT_PERMANENT_ERROR_CODES } from '../permanent-failures.js';
import type { Policy } from '../policy/options.js';

export interface EngineSettings {
  readonly policy: Policy;
  readonly permanentErrorCodes: readonly string[];
}

export function engineSettingsFromConfig(resolved: { readonly policy: Policy; readonly rules: RuleSettings }): EngineSettings {
  const configured = resolved.rules['no-retry-permanent-errors']?.options?.permanentErrorCodes;
  const permanentErrorCodes =
    Array.isArray(configured) && configured.every((code) => typeof code === 'string') ? (configured as string[]) : DEFAULT_PERMANENT_ERROR_CODES;
  return { policy: resolved.policy, permanentErrorCodes };
}

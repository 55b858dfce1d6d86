/**
 * `retrylint/engine`: the retry engine for applications, with the undici transport and the
 * config loading of the linter.
 *
 *     const engine = await createEngine({ config: 'retrylint.config.json' });
 *     const result = await engine.call({ url, headers, body });
 */
import { RetryEngine, type RetryEngineOptions } from '@retrylint/shared';
import { loadPolicy, type LoadPolicyOptions } from './load-policy.js';
import { undiciTransport, type UndiciTransportOptions } from './undici-transport.js';

export * from '@retrylint/shared';
export { ConfigError } from '../config/config-error.js';
export { loadPolicy, type LoadPolicyOptions, type LoadedPolicy } from './load-policy.js';
export { undiciTransport, type UndiciTransportOptions } from './undici-transport.js';

export interface CreateEngineOptions extends LoadPolicyOptions, Partial<Omit<RetryEngineOptions, 'transport'>> {
  readonly transport?: RetryEngineOptions['transport'];
  /** For the default undici transport. */
  readonly undici?: UndiciTransportOptions;
}

/** An engine with the policy of a config file (or `policy` given directly) over undici. */
export function createEngine(options: CreateEngineOptions = {}): RetryEngine {
  const settings = options.policy ? { policy: options.policy, permanentErrorCodes: options.permanentErrorCodes } : loadPolicy(options);
  return new RetryEngine({
    ...options,
    policy: settings.policy,
    permanentErrorCodes: options.permanentErrorCodes ?? settings.permanentErrorCodes,
    transport: options.transport ?? undiciTransport(options.undici),
  });
}

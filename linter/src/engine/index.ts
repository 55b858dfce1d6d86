/**
 * `retrylint/engine`: the retry engine for applications, with the undici transport, the
 * linter's config loading (so an app retries by the policy its CI lints against), and the
 * Retry Lab server for the app's tests.
 *
 *     const engine = createEngine({ config: 'retrylint.config.json' });
 *     const result = await engine.call({ url, headers, body });
 *
 * This is the package's public API: every name here is documented in docs/engine.md.
 */
import { RetryEngine, type RetryEngineOptions } from '@retrylint/shared';
import { loadPolicy, type LoadPolicyOptions } from './load-policy.js';
import { undiciTransport, type UndiciTransportOptions } from './undici-transport.js';

export {
  RetryEngine,
  RetryGiveUpError,
  TransportError,
  TokenBucket,
  CircuitBreaker,
  RetryBudget,
  AWS_RETRY_BUDGET,
  systemClock,
  resolvePolicy,
  seededRandom,
  classifyHttpFailure,
  DEFAULT_PERMANENT_ERROR_CODES,
  PROFILE_NAMES,
  type RetryEngineOptions,
  type EngineRequest,
  type EngineResult,
  type EngineEvent,
  type AttemptEvent,
  type CallEndEvent,
  type AttemptOutcome,
  type AttemptDecision,
  type StopReason,
  type DelaySource,
  type TokenUsage,
  type Transport,
  type TransportRequest,
  type TransportResponse,
  type TransportFailureKind,
  type EngineClock,
  type EngineGuards,
  type TokenBucketOptions,
  type CircuitBreakerOptions,
  type CircuitState,
  type RetryBudgetOptions,
  type Policy,
  type PolicyOptions,
  type ProfileName,
  type RandomSource,
  type HttpFailureClass,
} from '@retrylint/shared';
export { ConfigError } from '../config/config-error.js';
export { loadPolicy, type LoadPolicyOptions, type LoadedPolicy } from './load-policy.js';
export { undiciTransport, type UndiciTransportOptions, type UndiciDispatcher } from './undici-transport.js';
export { startLabServer, type LabServer, type LabServerOptions, type LabServerStats } from '../lab/lab-server.js';
export type { LabScenario, LabStep, LabMode } from '../lab/scenario.js';

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

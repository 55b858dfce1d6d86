/** Merges what a wrapper's predicates (`shouldRetry`, `onFailedAttempt`, `retryCondition`) decide. */
import { known, unknown, type RetryOnFacts } from '@retrylint/shared';
import type { RegionFacts } from '../region.js';

export function mergeClassification(
  base: Partial<RetryOnFacts>,
  predicates: readonly RegionFacts[],
  opaquePredicate: boolean,
  signalGuarded: boolean,
): Partial<RetryOnFacts> {
  const merged: { -readonly [K in keyof RetryOnFacts]?: RetryOnFacts[K] } = { ...base };
  if (opaquePredicate) {
    merged.catchAll = unknown('predicate not visible');
    merged.statuses = unknown();
    delete merged.catchAllSpan;
  }
  for (const predicate of predicates) {
    const classifies = predicate.classifies || predicate.stopsOnPermanent;
    if (!classifies) {
      // A predicate we cannot read may still classify.
      merged.catchAll = unknown('predicate not understood');
      delete merged.catchAllSpan;
      continue;
    }
    merged.catchAll = known(false);
    delete merged.catchAllSpan;
    const statuses = merged.statuses?.kind === 'known' ? merged.statuses.value : [];
    merged.statuses = known([...statuses, ...predicate.retriedStatuses]);
    if (predicate.statusList) merged.statusList = predicate.statusList;
    merged.errorCodes = [...(merged.errorCodes ?? []), ...predicate.errorCodes];
    if (predicate.stopsOnPermanent) merged.abortsOnPermanent = known(true);
    if (predicate.abortGuarded) merged.cancellation = { retried: known(false), guarded: true };
  }
  if (signalGuarded) merged.cancellation = { retried: known(false), guarded: true };
  return merged;
}

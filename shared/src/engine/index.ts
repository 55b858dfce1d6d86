export * from './token-bucket.js';
export * from './circuit-breaker.js';
export * from './retry-budget.js';

/**
 * The HTTP statuses behind the OpenAI and Anthropic SDKs' exception classes. Both SDKs raise one
 * class per status (`AuthenticationError` for 401...), all below `APIStatusError`, itself below
 * `APIError`: retrying a base class retries every status below it, the permanent ones too.
 */
import type { StatusMatch } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import type { PyNode } from './syntax-tree.js';

const SDK_MODULES = /^(openai|anthropic)\./;

const STATUSES_OF_CLASS: Readonly<Record<string, readonly [number, number]>> = {
  APIError: [400, 599],
  APIStatusError: [400, 599],
  BadRequestError: [400, 400],
  AuthenticationError: [401, 401],
  PermissionDeniedError: [403, 403],
  NotFoundError: [404, 404],
  ConflictError: [409, 409],
  UnprocessableEntityError: [422, 422],
  RateLimitError: [429, 429],
  InternalServerError: [500, 599],
};

/** The statuses an SDK exception class stands for, when `type` names one. */
export function sdkErrorStatuses(analysis: Analysis, type: PyNode): StatusMatch | undefined {
  const qualified = analysis.file.qualify(type);
  if (!qualified || !SDK_MODULES.test(qualified)) return undefined;
  const range = STATUSES_OF_CLASS[qualified.split('.').pop() ?? ''];
  return range ? { min: range[0], max: range[1], span: analysis.file.span(type) } : undefined;
}

/**
 * Re-authentication: a 401/407 answered by refreshing credentials and sending the request
 * again (once) is not a retry of a permanent failure; the second request is a different one.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { StatusMatch } from '@retrylint/shared';
import type { ExtractionContext } from './context.js';
import { memberPath, propertyName, stripCasts, type Node } from './syntax.js';
import { walkWithinFunction } from './walk.js';

const AUTH_STATUSES = new Set([401, 407]);
const CREDENTIAL_WORD = /token|credential|auth|login|refresh|renew|invalidate/i;

export function onlyAuthStatuses(matches: readonly StatusMatch[]): boolean {
  return matches.length > 0 && matches.every((match) => match.min === match.max && AUTH_STATUSES.has(match.min));
}

/** The `if` whose test contains `test` (through `!`, `&&`, `||`), if any. */
export function decidingIf(test: Node, context: ExtractionContext): Node | undefined {
  let child = test;
  let parent = context.index.parents.get(test);
  while (parent) {
    if (parent.type === 'IfStatement') return parent.test === child ? parent : undefined;
    if (parent.type !== 'UnaryExpression' && parent.type !== 'LogicalExpression' && parent.type !== 'ChainExpression' && parent.type !== 'TSAsExpression') return undefined;
    child = parent;
    parent = context.index.parents.get(parent);
  }
  return undefined;
}

/**
 * The branch renews credentials before the next request: it calls something named for them
 * (`refreshToken()`, `invalidateToken()`), or marks the next request as the authentication
 * one (`{ tokenRefreshed: true }`, `fetchAgain(params, true)` into an `isAuthenticationFetch`
 * parameter), so the new request differs from the failed one.
 */
export function renewsCredentials(branch: Node, context: ExtractionContext): boolean {
  let found = false;
  walkWithinFunction(branch, (node) => {
    if (node.type === 'CallExpression') {
      const path = memberPath(node.callee);
      if (path && CREDENTIAL_WORD.test(path[path.length - 1] ?? '')) found = true;
      if (passesCredentialFlag(node, context)) found = true;
    }
    if (node.type === 'Property' && CREDENTIAL_WORD.test(propertyName(node.key, node.computed) ?? '') && isTrue(node.value)) found = true;
    return !found;
  });
  return found;
}

function passesCredentialFlag(call: TSESTree.CallExpression, context: ExtractionContext): boolean {
  const callee = context.index.functionOf(call.callee);
  if (!callee) return false;
  return call.arguments.some((argument, index) => {
    if (!isTrue(argument)) return false;
    const param = callee.params[index];
    const name = param?.type === 'Identifier' ? param.name : param?.type === 'AssignmentPattern' && param.left.type === 'Identifier' ? param.left.name : '';
    return CREDENTIAL_WORD.test(name);
  });
}

function isTrue(node: Node): boolean {
  const value = stripCasts(node);
  return value.type === 'Literal' && value.value === true;
}

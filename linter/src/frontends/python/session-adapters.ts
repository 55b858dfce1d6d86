/**
 * The retries a `requests.Session` makes by itself: an `HTTPAdapter(max_retries=...)` mounted
 * on it with a visible `session.mount(prefix, adapter)` statement in the scope that creates
 * it. urllib3 retries read errors and statuses only for `allowed_methods` (by default not
 * POST or PATCH); such calls are left unknown rather than counted.
 */
import { known, unknown, valueOf, type Maybe } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { CallArguments } from './call-arguments.js';
import { calleeMethod } from './call-facts.js';
import { clientOrigin } from './client-origin.js';
import { childByField, enclosingFunction, namedChildren, SCOPE_TYPES, unwrap, walk, type PyNode } from './syntax-tree.js';
import { ADAPTERS, RETRY_CLASSES } from './entry-names.js';
import { retryAttempts } from './urllib3-retry.js';
import type { PyValue } from './values.js';

const DEFAULT_ALLOWED_METHODS: readonly string[] = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'TRACE'];
const SET_CONSTRUCTORS = new Set(['frozenset', 'set', 'list', 'tuple']);

/** Attempts per call through the session created by `construction`, for an HTTP `method`. */
export function sessionAttempts(analysis: Analysis, construction: PyNode, method: Maybe<string>): Maybe<number> {
  const binding = boundName(analysis, construction);
  if (!binding) return unknown('session not bound to a plain name');
  const adapters = mountedAdapters(analysis, binding);
  if (adapters.length === 0) return unknown('no visible adapter');
  const policies = adapters.map((adapter) => adapterPolicy(analysis, adapter));
  const first = policies[0];
  if (!first || policies.some((policy) => !policy || policy.attempts !== first.attempts || !sameMethods(policy.methods, first.methods))) {
    return unknown('adapters differ or are not constant');
  }
  if (first.attempts <= 1 || first.methods === 'any') return known(first.attempts);
  const verb = valueOf(method);
  if (verb === undefined) return unknown('method not constant');
  return first.methods.includes(verb) ? known(first.attempts) : unknown('retried on connection errors only');
}

interface AdapterPolicy {
  readonly attempts: number;
  readonly methods: readonly string[] | 'any';
}

/** The name a session is assigned to (`session`, `self.session`) and the scope its mounts must be in. */
function boundName(analysis: Analysis, construction: PyNode): { text: string; scope: PyNode } | undefined {
  const { file } = analysis;
  let expression = construction;
  while (expression.parent?.type === 'parenthesized_expression') expression = expression.parent;
  const parent = expression.parent;
  let target: PyNode | undefined;
  if (parent?.type === 'assignment' && childByField(parent, 'right') === expression) {
    target = childByField(parent, 'left');
  } else if (parent?.type === 'as_pattern' && parent.parent?.type === 'with_item') {
    target = childByField(parent, 'alias');
    if (target?.type === 'as_pattern_target') target = namedChildren(target)[0];
  }
  if (!target) return undefined;
  const text = file.textOf(target);
  const isName = target.type === 'identifier';
  const isSelfAttribute = target.type === 'attribute' && /^self\.[A-Za-z_]\w*$/.test(text);
  if (!isName && !isSelfAttribute) return undefined;
  return { text, scope: enclosingFunction(construction) ?? file.root };
}

/** Per scope, the adapters of its `<binding>.mount(prefix, adapter)` statements by binding: one walk per scope. */
const mountsByScope = new WeakMap<PyNode, Map<string, PyNode[]>>();

/** Adapter expressions of `<binding>.mount(prefix, adapter)` statements in the binding's own scope. */
function mountedAdapters(analysis: Analysis, binding: { text: string; scope: PyNode }): PyNode[] {
  let mounts = mountsByScope.get(binding.scope);
  if (!mounts) {
    mounts = mountsIn(analysis, binding.scope);
    mountsByScope.set(binding.scope, mounts);
  }
  return mounts.get(binding.text) ?? [];
}

function mountsIn(analysis: Analysis, scope: PyNode): Map<string, PyNode[]> {
  const { file } = analysis;
  const mounts = new Map<string, PyNode[]>();
  walk(scope, (node) => {
    if (node !== scope && SCOPE_TYPES.has(node.type)) return false;
    if (node.type !== 'call') return true;
    const method = calleeMethod(analysis, node);
    if (method?.name !== 'mount' || !method.object) return true;
    const adapter = new CallArguments(file, node).get('adapter', 1);
    if (!adapter) return true;
    const target = file.textOf(unwrap(method.object));
    const list = mounts.get(target);
    if (list) list.push(adapter);
    else mounts.set(target, [adapter]);
    return true;
  });
  return mounts;
}

/** Attempts and retried methods of an `HTTPAdapter(max_retries=...)`; undefined when not constant. */
function adapterPolicy(analysis: Analysis, adapterNode: PyNode): AdapterPolicy | undefined {
  const { file, values } = analysis;
  const adapter = clientOrigin(analysis, adapterNode, (name) => ADAPTERS.has(name));
  if (!adapter || adapter.withOptions.length > 0) return undefined;
  const args = new CallArguments(file, adapter.construction);
  const maxRetries = args.get('max_retries', 3);
  if (!maxRetries) return args.mayHide('max_retries') ? undefined : { attempts: 1, methods: DEFAULT_ALLOWED_METHODS };
  const retries = values.evaluate(maxRetries);
  if (typeof retries === 'number') return Number.isInteger(retries) && retries >= 0 ? { attempts: retries + 1, methods: DEFAULT_ALLOWED_METHODS } : undefined;
  const retry = clientOrigin(analysis, maxRetries, (name) => RETRY_CLASSES.has(name));
  if (!retry || retry.withOptions.length > 0) return undefined;
  const attempts = valueOf(retryAttempts(analysis, retry.construction));
  const methods = allowedMethods(analysis, new CallArguments(file, retry.construction));
  return typeof attempts === 'number' && methods ? { attempts, methods } : undefined;
}

/** `allowed_methods` (formerly `method_whitelist`): a literal set of verbs, or any verb for None/False. */
function allowedMethods(analysis: Analysis, args: CallArguments): readonly string[] | 'any' | undefined {
  const node = args.keyword('allowed_methods') ?? args.keyword('method_whitelist');
  if (!node) return args.mayHide('allowed_methods') || args.mayHide('method_whitelist') ? undefined : DEFAULT_ALLOWED_METHODS;
  const value = methodsValue(analysis, node);
  if (value === null || value === false) return 'any';
  if (!Array.isArray(value)) return undefined;
  const verbs = value.filter((verb): verb is string => typeof verb === 'string');
  return verbs.length === value.length ? verbs.map((verb) => verb.toUpperCase()) : undefined;
}

/** A literal value, seeing through `frozenset([...])` and similar wrappers. */
function methodsValue(analysis: Analysis, node: PyNode): PyValue | undefined {
  const { file, values } = analysis;
  const target = values.follow(node);
  if (target.type === 'call') {
    const callee = childByField(target, 'function');
    const args = childByField(target, 'arguments');
    const items = args ? namedChildren(args) : [];
    if (!callee || !SET_CONSTRUCTORS.has(file.textOf(callee)) || items.length !== 1) return undefined;
    return values.evaluate(items[0]);
  }
  return values.evaluate(target);
}

function sameMethods(a: AdapterPolicy['methods'], b: AdapterPolicy['methods']): boolean {
  if (a === 'any' || b === 'any') return a === b;
  return a.length === b.length && a.every((verb) => b.includes(verb));
}

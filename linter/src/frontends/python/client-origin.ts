/**
 * What client object an expression is: follows names, `self.x` attributes, `with ... as x`
 * targets and small factory methods back to the constructor call.
 */
import type { Analysis } from './analysis.js';
import { childByField, enclosingClass, enclosingFunction, isInside, namedChildren, unwrap, walk, type PyNode } from './syntax-tree.js';

export interface ClientOrigin {
  /** Qualified constructor name: `requests.Session`, `openai.OpenAI`. */
  readonly constructorName: string;
  readonly construction: PyNode;
  /** `client.with_options(...)` calls between the client and the use, innermost last. */
  readonly withOptions: readonly PyNode[];
}

const MAX_DEPTH = 10;

export function clientOrigin(analysis: Analysis, node: PyNode, isClient: (name: string) => boolean, depth = 0): ClientOrigin | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const { file, values } = analysis;
  const inner = unwrap(node);
  if (inner.type === 'call') {
    const callee = childByField(inner, 'function');
    if (!callee) return undefined;
    const qualified = file.qualify(callee);
    if (qualified && isClient(qualified)) return { constructorName: qualified, construction: inner, withOptions: [] };
    if (callee.type === 'attribute') {
      const method = childByField(callee, 'attribute');
      const object = childByField(callee, 'object');
      if (method && object && file.textOf(method) === 'with_options') {
        const base = clientOrigin(analysis, object, isClient, depth + 1);
        return base ? { ...base, withOptions: [...base.withOptions, inner] } : undefined;
      }
    }
    const factory = localFunction(analysis, callee);
    return factory ? returnedClient(analysis, factory, isClient, depth) : undefined;
  }
  if (inner.type === 'identifier' || inner.type === 'attribute') {
    const followed = values.follow(inner);
    if (followed !== inner) return clientOrigin(analysis, followed, isClient, depth + 1);
    if (inner.type === 'identifier') {
      const target = withTarget(analysis, inner);
      if (target) return clientOrigin(analysis, target, isClient, depth + 1);
    }
  }
  return undefined;
}

/** A function or method of this module that a callee names (`helper`, `self._session`). */
export function localFunction(analysis: Analysis, callee: PyNode): PyNode | undefined {
  const { file } = analysis;
  if (callee.type === 'identifier') return file.functions.get(file.textOf(callee));
  if (callee.type === 'attribute') {
    const object = childByField(callee, 'object');
    const method = childByField(callee, 'attribute');
    if (object && method && (file.textOf(object) === 'self' || file.textOf(object) === 'cls')) {
      const cls = enclosingClass(callee);
      return cls ? file.methodsOf(cls).get(file.textOf(method)) : undefined;
    }
  }
  return undefined;
}

function returnedClient(analysis: Analysis, fn: PyNode, isClient: (name: string) => boolean, depth: number): ClientOrigin | undefined {
  let origin: ClientOrigin | undefined;
  let consistent = true;
  walk(fn, (node) => {
    if (node !== fn && (node.type === 'function_definition' || node.type === 'lambda')) return false;
    if (node.type === 'return_statement') {
      const value = namedChildren(node)[0];
      const found = value ? clientOrigin(analysis, value, isClient, depth + 1) : undefined;
      if (!found || (origin && origin.construction !== found.construction)) consistent = false;
      else origin = found;
    }
    return true;
  });
  return consistent ? origin : undefined;
}

interface WithTarget {
  readonly expression: PyNode | undefined;
  /** The `with` statement whose body the name is bound in. */
  readonly statement: PyNode | undefined;
}

/** Per scope, the `with … as name` targets by name (one walk per scope, not one per use). */
const withTargetsByScope = new WeakMap<PyNode, Map<string, WithTarget[]>>();

function withTargetsIn(analysis: Analysis, scope: PyNode): Map<string, WithTarget[]> {
  const cached = withTargetsByScope.get(scope);
  if (cached) return cached;
  const { file } = analysis;
  const targets = new Map<string, WithTarget[]>();
  walk(scope, (node) => {
    if (node !== scope && (node.type === 'function_definition' || node.type === 'class_definition')) return false;
    if (node.type === 'with_item') {
      const value = childByField(node, 'value');
      const alias = value?.type === 'as_pattern' ? childByField(value, 'alias') : undefined;
      if (value && alias) {
        const name = file.textOf(alias);
        const target = { expression: namedChildren(value)[0], statement: node.parent?.parent ?? undefined };
        const list = targets.get(name);
        if (list) list.push(target);
        else targets.set(name, [target]);
      }
    }
    return true;
  });
  withTargetsByScope.set(scope, targets);
  return targets;
}

/**
 * `with requests.Session() as s:` / `async with httpx.AsyncClient() as client:` -> the expression.
 * A name bound by several `with` statements resolves to the innermost one around the use.
 */
function withTarget(analysis: Analysis, identifier: PyNode): PyNode | undefined {
  const { file } = analysis;
  const scope = enclosingFunction(identifier) ?? file.root;
  const targets = withTargetsIn(analysis, scope).get(file.textOf(identifier));
  if (!targets) return undefined;
  if (targets.length === 1) return targets[0].expression;
  const around = targets.filter((target) => target.statement?.type === 'with_statement' && isInside(identifier, target.statement));
  around.sort((a, b) => (b.statement?.start ?? 0) - (a.statement?.start ?? 0));
  return around[0]?.expression;
}

/**
 * Where a client instance comes from: `const client = new OpenAI()`, a class field
 * `private client = new OpenAI()`, `this.client = axios.create()` in a constructor, or a
 * parameter (passed in: its configuration is not visible here).
 */
import type { ExtractionContext } from './context.js';
import { memberPath, propertyName, stripCasts, type Node } from './syntax.js';
import { annotatedTypeName } from './written-types.js';

export type InstanceOrigin =
  | { readonly kind: 'created'; readonly node: Node }
  | { readonly kind: 'parameter'; readonly typeName?: string }
  | { readonly kind: 'import' };

export function instanceOrigin(expression: Node, context: ExtractionContext, depth = 0): InstanceOrigin | undefined {
  if (depth > 6) return undefined;
  const node = stripCasts(expression);
  if (node.type === 'NewExpression' || node.type === 'CallExpression') return { kind: 'created', node };
  if (node.type === 'AwaitExpression') return instanceOrigin(node.argument, context, depth + 1);
  if (node.type === 'Identifier') {
    const declaration = context.index.lookup(node.name, node);
    if (!declaration) return undefined;
    if (declaration.kind === 'import') return { kind: 'import' };
    if (declaration.kind === 'variable') {
      if (!declaration.init || (!declaration.constant && context.index.reassigned.has(node.name))) return undefined;
      return instanceOrigin(declaration.init, context, depth + 1);
    }
    if (declaration.kind === 'parameter') {
      const param = declaration.fn.params[declaration.index];
      const typeName = param ? parameterTypeName(param, context.text) : undefined;
      return typeName ? { kind: 'parameter', typeName } : { kind: 'parameter' };
    }
    return undefined;
  }
  if (node.type === 'MemberExpression') {
    const path = memberPath(node);
    if (path && path.length === 2 && path[0] === 'this') {
      const init = classFieldValue(node, path[1], context);
      return init ? instanceOrigin(init, context, depth + 1) : undefined;
    }
  }
  return undefined;
}

function parameterTypeName(param: Node, text: string): string | undefined {
  const target = param.type === 'TSParameterProperty' ? param.parameter : param;
  return annotatedTypeName(target.type === 'AssignmentPattern' ? target.left : target, text);
}

/** A class field initializer or the value assigned to `this.<name>` in the constructor. */
function classFieldValue(at: Node, name: string, context: ExtractionContext): Node | undefined {
  let current = context.index.parents.get(at);
  while (current && current.type !== 'ClassBody') current = context.index.parents.get(current);
  if (!current) return undefined;
  let found: Node | undefined;
  for (const member of current.body) {
    if (member.type === 'PropertyDefinition' && !member.computed && propertyName(member.key, false) === name && member.value) {
      found = member.value;
    }
    if (member.type === 'MethodDefinition' && member.kind === 'constructor') {
      for (const statement of member.value.body?.body ?? []) {
        if (statement.type !== 'ExpressionStatement' || statement.expression.type !== 'AssignmentExpression') continue;
        const target = memberPath(statement.expression.left);
        if (target && target.length === 2 && target[0] === 'this' && target[1] === name) found = statement.expression.right;
      }
      for (const param of member.value.params) {
        if (param.type === 'TSParameterProperty' && param.parameter.type === 'Identifier' && param.parameter.name === name) {
          return undefined;
        }
      }
    }
  }
  return found;
}

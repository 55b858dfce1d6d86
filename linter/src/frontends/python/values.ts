/**
 * Following names to what they hold, and evaluating constant expressions: literals,
 * arithmetic, module constants, parameter defaults, single local assignments, instance
 * attributes set once (`self.x = x`), and fields of config objects whose class is a
 * dataclass (or a plain class with class-level defaults) in the same module.
 *
 * Anything else is undefined: the caller reports it as unknown.
 */
import type { FileContext } from './file-context.js';
import { isNarrowedToValue } from './narrowing.js';
import {
  childByField,
  enclosingClass,
  enclosingFunction,
  namedChildren,
  SCOPE_TYPES,
  unwrap,
  walk,
  type PyNode,
} from './syntax-tree.js';

export type PyValue = number | string | boolean | null | readonly PyValue[];

const MAX_FOLLOW = 12;

export interface ListLiteral {
  readonly node: PyNode;
  readonly items: readonly { readonly value: PyValue; readonly node: PyNode }[];
}

interface Binding {
  /** The expression assigned, when the name is bound exactly once by a plain assignment. */
  readonly value?: PyNode;
  /** The parameter node, when the name is a parameter. */
  readonly parameter?: PyNode;
}

export class ValueResolver {
  private readonly functionBindings = new WeakMap<PyNode, Map<string, Binding | 'ambiguous'>>();
  private readonly selfAttributes = new WeakMap<PyNode, Map<string, PyNode[]>>();

  constructor(private readonly file: FileContext) {}

  // ---------------------------------------------------------------- names

  /** The parameter node of a function by name, if any. */
  parameterOf(fn: PyNode, name: string): PyNode | undefined {
    const binding = this.bindingsOf(fn).get(name);
    return binding && binding !== 'ambiguous' ? binding.parameter : undefined;
  }

  /** The expression a name or attribute refers to, following assignments; the node itself otherwise. */
  follow(node: PyNode, depth = 0): PyNode {
    const inner = unwrap(node);
    if (depth > MAX_FOLLOW) return inner;
    if (inner.type === 'identifier') {
      const bound = this.definitionOf(inner);
      return bound ? this.follow(bound, depth + 1) : inner;
    }
    if (inner.type === 'attribute') {
      const bound = this.attributeDefinition(inner, depth);
      return bound ? this.follow(bound, depth + 1) : inner;
    }
    return inner;
  }

  /** What an identifier is bound to at its use: a local assignment, a parameter default, a module constant. */
  definitionOf(identifier: PyNode): PyNode | undefined {
    const definition = this.bindingAtUse(identifier);
    // `if timeout is not None: client.get(url, timeout=timeout)`: not the None default there.
    if (definition && unwrap(definition).type === 'none' && isNarrowedToValue(this.file, identifier, enclosingFunction(identifier))) return undefined;
    return definition;
  }

  private bindingAtUse(identifier: PyNode): PyNode | undefined {
    const name = this.file.textOf(identifier);
    for (let fn = enclosingFunction(identifier); fn; fn = enclosingFunction(fn)) {
      const binding = this.bindingsOf(fn).get(name);
      if (binding === 'ambiguous') return this.lastAssignmentBefore(identifier, name, fn);
      if (binding) {
        if (binding.parameter) return childByField(binding.parameter, 'value');
        return binding.value;
      }
    }
    return this.file.constants.get(name);
  }

  /**
   * A name bound more than once (`session = requests.Session()` twice): the plain assignment
   * that reaches this use, found among the earlier statements of its block and the blocks
   * around it. Unknown when something else may bind it in between, or when a loop around the
   * use binds it again (the use may see the previous round's value).
   */
  private lastAssignmentBefore(identifier: PyNode, name: string, fn: PyNode): PyNode | undefined {
    let statement: PyNode | undefined = identifier;
    while (statement && statement !== fn) {
      const block: PyNode | null | undefined = statement.parent;
      if (!block) return undefined;
      if (block.type === 'block') {
        const siblings = namedChildren(block);
        for (let index = siblings.indexOf(statement) - 1; index >= 0; index--) {
          const earlier = siblings[index];
          const assigned = plainAssignment(this.file, earlier, name);
          if (assigned) return assigned;
          if (bindsName(this.file, earlier, name)) return undefined;
        }
        const owner: PyNode | null | undefined = block.parent;
        if (!owner || owner === fn) return undefined;
        if ((owner.type === 'for_statement' || owner.type === 'while_statement') && bindsName(this.file, owner, name)) return undefined;
        statement = owner;
        continue;
      }
      statement = block;
    }
    return undefined;
  }

  private bindingsOf(fn: PyNode): Map<string, Binding | 'ambiguous'> {
    const cached = this.functionBindings.get(fn);
    if (cached) return cached;
    const bindings = new Map<string, Binding | 'ambiguous'>();
    const parameters = childByField(fn, 'parameters');
    for (const parameter of parameters ? namedChildren(parameters) : []) {
      const nameNode =
        parameter.type === 'identifier'
          ? parameter
          : (childByField(parameter, 'name') ?? namedChildren(parameter).find((child) => child.type === 'identifier'));
      if (nameNode) bindings.set(this.file.textOf(nameNode), { parameter });
    }
    const body = childByField(fn, 'body');
    const bind = (nameNode: PyNode, value: PyNode | undefined): void => {
      const name = this.file.textOf(nameNode);
      const existing = bindings.get(name);
      if (existing === undefined && value) bindings.set(name, { value });
      else bindings.set(name, 'ambiguous');
    };
    if (body) {
      walk(body, (node) => {
        if (SCOPE_TYPES.has(node.type)) {
          const name = childByField(node, 'name');
          if (name && node.type !== 'lambda') bind(name, undefined);
          return false;
        }
        if (node.type === 'assignment') {
          const left = childByField(node, 'left');
          const right = childByField(node, 'right');
          if (left?.type === 'identifier') bind(left, right?.type === 'assignment' ? undefined : right);
          else if (left) this.bindPattern(left, (name) => bind(name, undefined));
        } else if (node.type === 'augmented_assignment' || node.type === 'named_expression') {
          const left = childByField(node, node.type === 'named_expression' ? 'name' : 'left');
          if (left?.type === 'identifier') bind(left, undefined);
        } else if (node.type === 'for_statement' || node.type === 'for_in_clause') {
          const left = childByField(node, 'left');
          if (left) this.bindPattern(left, (name) => bind(name, undefined));
        } else if (node.type === 'as_pattern_target') {
          this.bindPattern(node, (name) => bind(name, undefined));
        } else if (node.type === 'global_statement' || node.type === 'nonlocal_statement') {
          for (const name of namedChildren(node)) bind(name, undefined);
        }
        return true;
      });
    }
    this.functionBindings.set(fn, bindings);
    return bindings;
  }

  private bindPattern(pattern: PyNode, bind: (name: PyNode) => void): void {
    walk(pattern, (node) => {
      if (node.type === 'identifier') bind(node);
      return node.type !== 'attribute' && node.type !== 'subscript';
    });
  }

  // ---------------------------------------------------------------- attributes

  /**
   * `self.x` -> the expression assigned to `self.x` (once) in the class's methods;
   * `obj.field` where obj is an instance of a module class -> the constructor keyword or the
   * class-level default.
   */
  private attributeDefinition(attribute: PyNode, depth: number): PyNode | undefined {
    const object = childByField(attribute, 'object');
    const nameNode = childByField(attribute, 'attribute');
    if (!object || !nameNode) return undefined;
    const name = this.file.textOf(nameNode);
    if (object.type === 'identifier' && this.file.textOf(object) === 'self') {
      const cls = enclosingClass(attribute);
      if (!cls) return undefined;
      const assigned = this.selfAttributesOf(cls).get(name) ?? [];
      const meaningful = assigned.filter((value) => this.file.textOf(value) !== 'None');
      if (meaningful.length === 1) return meaningful[0];
      if (assigned.length === 0) return this.classField(cls, name);
      return undefined;
    }
    const instance = this.instanceOf(object, depth + 1);
    if (!instance) return undefined;
    if (instance.construction) {
      const override = this.constructionArgument(instance.cls, instance.construction, name);
      if (override === 'unknown') return undefined;
      if (override) return override;
    }
    return this.classField(instance.cls, name);
  }

  /** The class (defined in this module) an expression is an instance of, and where it was built. */
  instanceOf(node: PyNode, depth = 0): { cls: PyNode; construction?: PyNode } | undefined {
    if (depth > MAX_FOLLOW) return undefined;
    const inner = unwrap(node);
    if (inner.type === 'call') {
      const callee = childByField(inner, 'function');
      if (callee?.type === 'identifier') {
        const cls = this.file.classes.get(this.file.textOf(callee));
        if (cls) return { cls, construction: inner };
      }
      return undefined;
    }
    if (inner.type === 'boolean_operator') {
      // `config or RetryConfig()`: the default object.
      const right = childByField(inner, 'right');
      return right ? this.instanceOf(right, depth + 1) : undefined;
    }
    if (inner.type === 'identifier') {
      const fn = enclosingFunction(inner);
      const parameter = fn ? this.parameterOf(fn, this.file.textOf(inner)) : undefined;
      if (parameter) {
        const fromAnnotation = this.classFromAnnotation(childByField(parameter, 'type'));
        if (fromAnnotation) return { cls: fromAnnotation };
      }
      const bound = this.definitionOf(inner);
      return bound ? this.instanceOf(bound, depth + 1) : undefined;
    }
    if (inner.type === 'attribute') {
      const bound = this.attributeDefinition(inner, depth + 1);
      if (bound) return this.instanceOf(bound, depth + 1);
      const object = childByField(inner, 'object');
      const cls = object && this.file.textOf(object) === 'self' ? enclosingClass(inner) : undefined;
      const nameNode = childByField(inner, 'attribute');
      if (cls && nameNode) {
        const annotation = this.classAnnotation(cls, this.file.textOf(nameNode));
        const annotated = this.classFromAnnotation(annotation);
        if (annotated) return { cls: annotated };
      }
    }
    return undefined;
  }

  private classFromAnnotation(type: PyNode | undefined): PyNode | undefined {
    if (!type) return undefined;
    const text = this.file.textOf(type).replace(/\s+/g, '');
    const match = /^(?:Optional\[(\w+)\]|(\w+)\|None|None\|(\w+)|(\w+))$/.exec(text);
    const name = match ? (match[1] ?? match[2] ?? match[3] ?? match[4]) : undefined;
    return name ? this.file.classes.get(name) : undefined;
  }

  private selfAttributesOf(cls: PyNode): Map<string, PyNode[]> {
    const cached = this.selfAttributes.get(cls);
    if (cached) return cached;
    const attributes = new Map<string, PyNode[]>();
    for (const method of this.file.methodsOf(cls).values()) {
      walk(method, (node) => {
        if (node.type === 'assignment' || node.type === 'augmented_assignment') {
          const left = childByField(node, 'left');
          const right = childByField(node, 'right');
          const object = left?.type === 'attribute' ? childByField(left, 'object') : undefined;
          const nameNode = left?.type === 'attribute' ? childByField(left, 'attribute') : undefined;
          if (object && nameNode && this.file.textOf(object) === 'self') {
            const list = attributes.get(this.file.textOf(nameNode)) ?? [];
            // An augmented assignment makes the attribute a variable, not a setting.
            list.push(node.type === 'assignment' && right ? right : node);
            if (node.type === 'augmented_assignment') list.push(node);
            attributes.set(this.file.textOf(nameNode), list);
          }
        }
        return true;
      });
    }
    this.selfAttributes.set(cls, attributes);
    return attributes;
  }

  /** Class-level fields in declaration order: `name: T = default` or `name = default`. */
  classFields(cls: PyNode): { name: string; value?: PyNode; annotation?: PyNode }[] {
    const body = childByField(cls, 'body');
    const fields: { name: string; value?: PyNode; annotation?: PyNode }[] = [];
    for (const statement of body ? namedChildren(body) : []) {
      if (statement.type !== 'expression_statement') continue;
      const assignment = namedChildren(statement)[0];
      if (assignment?.type !== 'assignment') continue;
      const left = childByField(assignment, 'left');
      if (left?.type !== 'identifier') continue;
      const right = childByField(assignment, 'right');
      const annotation = childByField(assignment, 'type');
      const field: { name: string; value?: PyNode; annotation?: PyNode } = { name: this.file.textOf(left) };
      if (right) field.value = this.fieldDefault(right);
      if (annotation) field.annotation = annotation;
      fields.push(field);
    }
    return fields;
  }

  /** `field(default=x)` -> x. */
  private fieldDefault(value: PyNode): PyNode | undefined {
    const inner = unwrap(value);
    if (inner.type !== 'call') return inner;
    const callee = childByField(inner, 'function');
    const calleeName = callee ? this.file.textOf(callee) : '';
    if (calleeName !== 'field' && !calleeName.endsWith('.field')) return inner;
    const args = childByField(inner, 'arguments');
    for (const argument of args ? namedChildren(args) : []) {
      if (argument.type !== 'keyword_argument') continue;
      const name = childByField(argument, 'name');
      if (name && this.file.textOf(name) === 'default') return childByField(argument, 'value');
    }
    return undefined;
  }

  private classField(cls: PyNode, name: string): PyNode | undefined {
    return this.classFields(cls).find((field) => field.name === name)?.value;
  }

  private classAnnotation(cls: PyNode, name: string): PyNode | undefined {
    return this.classFields(cls).find((field) => field.name === name)?.annotation;
  }

  /** The argument given for a field at construction; 'unknown' when splats hide it. */
  private constructionArgument(cls: PyNode, call: PyNode, name: string): PyNode | undefined | 'unknown' {
    const args = childByField(call, 'arguments');
    if (!args) return undefined;
    const fields = this.classFields(cls);
    let position = 0;
    for (const argument of namedChildren(args)) {
      if (argument.type === 'keyword_argument') {
        const key = childByField(argument, 'name');
        if (key && this.file.textOf(key) === name) return childByField(argument, 'value');
      } else if (argument.type === 'list_splat' || argument.type === 'dictionary_splat') {
        return 'unknown';
      } else {
        if (fields[position]?.name === name) return argument;
        position++;
      }
    }
    return undefined;
  }

  // ---------------------------------------------------------------- evaluation

  evaluate(node: PyNode | undefined, depth = 0): PyValue | undefined {
    if (!node || depth > MAX_FOLLOW) return undefined;
    const inner = unwrap(node);
    switch (inner.type) {
      case 'integer':
        return parseInteger(this.file.textOf(inner));
      case 'float': {
        const text = this.file.textOf(inner).replace(/_/g, '');
        if (/[jJ]$/.test(text)) return undefined;
        const value = Number(text);
        return Number.isFinite(value) ? value : undefined;
      }
      case 'true':
        return true;
      case 'false':
        return false;
      case 'none':
        return null;
      case 'string':
        return this.stringValue(inner);
      case 'tuple':
      case 'list':
      case 'set': {
        const values: PyValue[] = [];
        for (const item of namedChildren(inner)) {
          const value = this.evaluate(item, depth + 1);
          if (value === undefined) return undefined;
          values.push(value);
        }
        return values;
      }
      case 'unary_operator': {
        const argument = this.evaluate(childByField(inner, 'argument'), depth + 1);
        const operator = inner.children.find((child) => !child.named);
        if (typeof argument !== 'number' || !operator) return undefined;
        const op = this.file.textOf(operator);
        return op === '-' ? -argument : op === '+' ? argument : undefined;
      }
      case 'binary_operator':
        return this.evaluateBinary(inner, depth);
      case 'identifier':
      case 'attribute': {
        const special = this.file.qualify(inner);
        if (special === 'math.inf') return Infinity;
        if (special === 'sys.maxsize') return Number.MAX_SAFE_INTEGER;
        const followed = this.follow(inner);
        return followed === inner ? undefined : this.evaluate(followed, depth + 1);
      }
      case 'call':
        return this.evaluateCall(inner, depth);
      default:
        return undefined;
    }
  }

  evaluateNumber(node: PyNode | undefined): number | undefined {
    const value = this.evaluate(node);
    if (typeof value === 'number') return value;
    if (typeof value === 'boolean') return value ? 1 : 0;
    return undefined;
  }

  /** A literal list/tuple/set the expression refers to, with each item's node (for fixes). */
  listLiteral(node: PyNode | undefined): ListLiteral | undefined {
    if (!node) return undefined;
    const target = this.follow(node);
    if (target.type !== 'tuple' && target.type !== 'list' && target.type !== 'set') return undefined;
    const items: { value: PyValue; node: PyNode }[] = [];
    for (const item of namedChildren(target)) {
      const value = this.evaluate(item);
      if (value === undefined) return undefined;
      items.push({ value, node: item });
    }
    return { node: target, items };
  }

  private stringValue(node: PyNode): string | undefined {
    let text = '';
    for (const child of node.children) {
      if (child.type === 'interpolation') return undefined;
      if (child.type === 'string_content') text += this.file.textOf(child);
      if (child.type === 'escape_sequence') return undefined;
    }
    const prefix = this.file.textOf(node).match(/^[a-zA-Z]*/)?.[0] ?? '';
    if (/[bf]/i.test(prefix)) return undefined;
    return text;
  }

  private evaluateBinary(node: PyNode, depth: number): PyValue | undefined {
    const left = this.evaluate(childByField(node, 'left'), depth + 1);
    const right = this.evaluate(childByField(node, 'right'), depth + 1);
    const operatorNode = childByField(node, 'operator');
    if (typeof left !== 'number' || typeof right !== 'number' || !operatorNode) return undefined;
    switch (this.file.textOf(operatorNode)) {
      case '+':
        return left + right;
      case '-':
        return left - right;
      case '*':
        return left * right;
      case '/':
        return right === 0 ? undefined : left / right;
      case '//':
        return right === 0 ? undefined : Math.floor(left / right);
      case '%':
        return right === 0 ? undefined : left % right;
      case '**': {
        const value = left ** right;
        return Number.isFinite(value) ? value : undefined;
      }
      default:
        return undefined;
    }
  }

  private evaluateCall(node: PyNode, depth: number): PyValue | undefined {
    const callee = childByField(node, 'function');
    const args = childByField(node, 'arguments');
    if (!callee || !args) return undefined;
    const name = this.file.textOf(callee);
    const values = namedChildren(args);
    if (values.some((value) => value.type !== 'keyword_argument' && value.type.endsWith('splat'))) return undefined;
    if (name === 'float' && values.length === 1) {
      const argument = this.evaluate(values[0], depth + 1);
      if (typeof argument === 'string' && /^[+]?inf(inity)?$/i.test(argument.trim())) return Infinity;
      if (typeof argument === 'number') return argument;
      return undefined;
    }
    if (name === 'int' && values.length === 1) {
      const argument = this.evaluate(values[0], depth + 1);
      return typeof argument === 'number' ? Math.trunc(argument) : undefined;
    }
    if ((name === 'min' || name === 'max') && values.length >= 2) {
      const numbers = values.map((value) => this.evaluate(value, depth + 1));
      if (!numbers.every((value): value is number => typeof value === 'number')) return undefined;
      return name === 'min' ? Math.min(...numbers) : Math.max(...numbers);
    }
    return undefined;
  }
}

function parseInteger(text: string): number | undefined {
  const clean = text.replace(/_/g, '').toLowerCase();
  if (/[jl]$/.test(clean)) return undefined;
  let value: number;
  if (clean.startsWith('0x')) value = Number.parseInt(clean.slice(2), 16);
  else if (clean.startsWith('0o')) value = Number.parseInt(clean.slice(2), 8);
  else if (clean.startsWith('0b')) value = Number.parseInt(clean.slice(2), 2);
  else value = Number(clean);
  return Number.isFinite(value) ? value : undefined;
}

/** `name = value` as a whole statement: the value. */
function plainAssignment(file: { textOf(node: PyNode): string }, statement: PyNode, name: string): PyNode | undefined {
  if (statement.type !== 'expression_statement') return undefined;
  const assignment = namedChildren(statement)[0];
  if (assignment?.type !== 'assignment') return undefined;
  const left = childByField(assignment, 'left');
  const right = childByField(assignment, 'right');
  if (left?.type !== 'identifier' || file.textOf(left) !== name || !right || right.type === 'assignment') return undefined;
  return right;
}

/** Whether anything in the statement may bind the name (assignment, loop target, `with ... as`, import...). */
function bindsName(file: { textOf(node: PyNode): string }, statement: PyNode, name: string): boolean {
  let found = false;
  walk(statement, (node) => {
    if (found) return false;
    if (node.type === 'identifier' && file.textOf(node) === name) {
      const parent = node.parent;
      // A read (`session.get(url)`, `f(session)`) binds nothing; anything else might.
      if (parent && (parent.type === 'attribute' || parent.type === 'argument_list' || parent.type === 'call') && childByField(parent, 'left') !== node) return true;
      found = true;
    }
    return true;
  });
  return found;
}

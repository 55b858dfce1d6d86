/**
 * Validates a JSONC node tree against a JSON Schema, reporting each problem at the node
 * that causes it, with what was expected and what was found.
 *
 * The walker interprets the keywords our config schema uses, which gives messages a person
 * can act on ("expected an integer >= 1, found "five""). A subschema with any other keyword
 * (a rule's own options schema may use `pattern`, `allOf`, ...) is handed to ajv whole.
 * Invalid values are left out of the result, so a caller can go on with the rest.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { closestMatch, didYouMean } from './did-you-mean.js';
import type { JsonSchema, JsonType } from './json-schema.js';

export type JsonPath = readonly (string | number)[];

export interface SchemaIssue {
  readonly path: JsonPath;
  /** The offending node: the value, or the key of an unknown or duplicate property. */
  readonly node: Node;
  readonly message: string;
}

/** Marks a value that failed validation (and is left out of its parent). */
export const INVALID: unique symbol = Symbol('invalid');

const ANNOTATIONS = new Set([
  '$schema', '$id', '$comment', 'title', 'description', 'markdownDescription', 'default', 'examples',
  'enumDescriptions', 'markdownEnumDescriptions', 'deprecationMessage', 'defaultSnippets', 'definitions',
]);
const WALKED = new Set([
  '$ref', 'type', 'enum', 'properties', 'additionalProperties', 'required', 'items', 'additionalItems',
  'minItems', 'maxItems', 'uniqueItems', 'minimum', 'maximum', 'minLength', 'anyOf', 'oneOf',
]);

function isWalkable(schema: JsonSchema): boolean {
  const keywords = Object.keys(schema).filter((key) => !ANNOTATIONS.has(key));
  if (!keywords.every((key) => WALKED.has(key))) return false;
  // Alternatives are walked only on their own: siblings would need all-of semantics.
  const hasAlternatives = keywords.some((key) => key === 'anyOf' || key === 'oneOf');
  return !hasAlternatives || keywords.length === 1;
}

export class SchemaValidator {
  private ajv: Ajv | undefined;
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor(
    private readonly rootSchema: JsonSchema,
    /** The source text, to quote numbers as written (`1e400`, not `Infinity`). */
    private readonly text: string,
    /** Names what an unknown key is at a path: "rule", "policy option", "key". */
    private readonly keyNoun: (objectPath: JsonPath) => string = () => 'key',
  ) {}

  /** The value with invalid parts left out, or INVALID; issues are appended. */
  validate(node: Node, schema: JsonSchema, path: JsonPath, issues: SchemaIssue[]): unknown {
    const resolved = this.resolve(schema);
    if (!isWalkable(resolved)) return this.validateWithAjv(node, resolved, path, issues);
    const alternatives = resolved.anyOf ?? resolved.oneOf;
    if (alternatives) return this.validateAlternatives(node, resolved, alternatives, path, issues);
    if (resolved.enum) return this.validateEnum(node, resolved, path, issues);
    if (resolved.type !== undefined && !typeMatches(node, resolved.type)) {
      issues.push({ path, node, message: this.expected(resolved, node) });
      return INVALID;
    }
    switch (node.type) {
      case 'object':
        return this.validateObject(node, resolved, path, issues);
      case 'array':
        return this.validateArray(node, resolved, path, issues);
      case 'number':
        return this.validateNumber(node, resolved, path, issues);
      case 'string':
        if (resolved.minLength !== undefined && (node.value as string).length < resolved.minLength) {
          issues.push({ path, node, message: this.expected(resolved, node) });
          return INVALID;
        }
        return node.value;
      default:
        return plainValue(node);
    }
  }

  /** A schema's `$ref` (`#/definitions/name`) followed to the schema it names. */
  resolve(schema: JsonSchema): JsonSchema {
    let current = schema;
    for (let hops = 0; current.$ref !== undefined && hops < 16; hops++) {
      const match = /^#\/definitions\/(.+)$/.exec(current.$ref);
      const target = match ? this.rootSchema.definitions?.[match[1]] : undefined;
      if (!target) throw new Error(`Unresolvable $ref ${current.$ref}`);
      current = target;
    }
    return current;
  }

  /** "an integer >= 1", `one of "off", "warn", "error"`, "a non-empty string". */
  describe(schema: JsonSchema): string {
    const resolved = this.resolve(schema);
    const alternatives = resolved.anyOf ?? resolved.oneOf;
    if (alternatives) return joinAlternatives(alternatives.map((alternative) => this.describe(alternative)));
    if (resolved.enum) {
      const values = resolved.enum.map((value) => JSON.stringify(value));
      return values.length === 1 ? values[0] : `one of ${values.join(', ')}`;
    }
    const types = resolved.type === undefined ? [] : typeof resolved.type === 'string' ? [resolved.type] : resolved.type;
    if (types.length !== 1) return joinAlternatives(types.map((type) => describeType(type, {})));
    return describeType(types[0], resolved);
  }

  private expected(schema: JsonSchema, node: Node): string {
    return `expected ${this.describe(schema)}, found ${this.found(node)}`;
  }

  /** The value as written, shortened; containers by kind. */
  private found(node: Node): string {
    switch (node.type) {
      case 'object':
        return 'an object';
      case 'array':
        return node.children?.length ? 'an array' : 'an empty array';
      case 'number':
        return shorten(this.text.slice(node.offset, node.offset + node.length));
      case 'string':
        return shorten(JSON.stringify(node.value));
      default:
        return String(node.value);
    }
  }

  private validateEnum(node: Node, schema: JsonSchema, path: JsonPath, issues: SchemaIssue[]): unknown {
    const value = plainValue(node);
    const allowed = schema.enum ?? [];
    if (allowed.some((candidate) => sameJson(candidate, value))) return value;
    const hint =
      typeof value === 'string' ? didYouMean(value, allowed.filter((item): item is string => typeof item === 'string')) : '';
    issues.push({ path, node, message: `${this.expected(schema, node)}${hint}` });
    return INVALID;
  }

  private validateAlternatives(
    node: Node,
    schema: JsonSchema,
    alternatives: readonly JsonSchema[],
    path: JsonPath,
    issues: SchemaIssue[],
  ): unknown {
    const admitting = alternatives.filter((alternative) => this.admitsKind(alternative, node));
    if (admitting.length === 0) {
      issues.push({ path, node, message: this.expected(schema, node) });
      return INVALID;
    }
    let firstIssues: SchemaIssue[] | undefined;
    let firstValue: unknown = INVALID;
    for (const alternative of admitting) {
      const attempt: SchemaIssue[] = [];
      const value = this.validate(node, alternative, path, attempt);
      if (attempt.length === 0) return value;
      if (!firstIssues) {
        firstIssues = attempt;
        firstValue = value;
      }
    }
    // None fits: the problems of the first alternative of the value's kind say most.
    issues.push(...(firstIssues ?? []));
    return firstValue;
  }

  /** Whether an alternative is about values of this node's kind (string, array...). */
  private admitsKind(schema: JsonSchema, node: Node): boolean {
    const resolved = this.resolve(schema);
    const alternatives = resolved.anyOf ?? resolved.oneOf;
    if (alternatives) return alternatives.some((alternative) => this.admitsKind(alternative, node));
    if (resolved.enum) return resolved.enum.some((value) => kindOf(value) === node.type);
    if (resolved.type === undefined) return true;
    const types = typeof resolved.type === 'string' ? [resolved.type] : resolved.type;
    return types.some((type) => (type === 'integer' ? 'number' : type) === node.type);
  }

  private validateObject(node: Node, schema: JsonSchema, path: JsonPath, issues: SchemaIssue[]): unknown {
    const declared = schema.properties ?? {};
    const result: Record<string, unknown> = {};
    const seen = new Set<string>();
    const present = new Set<string>();
    const suggested = new Set<string>();
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode || !valueNode) continue; // a syntax error, reported by the parser
      const key = String(keyNode.value);
      const keyPath = [...path, key];
      if (seen.has(key)) {
        issues.push({ path: keyPath, node: keyNode, message: `duplicate key ${JSON.stringify(key)}` });
        continue;
      }
      seen.add(key);
      let childSchema: JsonSchema | undefined = Object.hasOwn(declared, key) ? declared[key] : undefined;
      if (!childSchema) {
        if (schema.additionalProperties === false) {
          const suggestion = closestMatch(key, Object.keys(declared));
          if (suggestion !== undefined) suggested.add(suggestion);
          issues.push({
            path: keyPath,
            node: keyNode,
            message: `unknown ${this.keyNoun(path)}${didYouMean(key, Object.keys(declared))}`,
          });
          continue;
        }
        childSchema = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
      }
      present.add(key);
      const value = this.validate(valueNode, childSchema, keyPath, issues);
      if (value !== INVALID) defineOwn(result, key, value);
    }
    let complete = true;
    for (const key of schema.required ?? []) {
      if (Object.hasOwn(result, key)) continue;
      complete = false;
      // `"file": ...` already says "did you mean "files"?": no second problem for the same typo.
      if (!present.has(key) && !suggested.has(key)) issues.push({ path, node, message: `missing required key ${JSON.stringify(key)}` });
    }
    return complete ? result : INVALID;
  }

  private validateArray(node: Node, schema: JsonSchema, path: JsonPath, issues: SchemaIssue[]): unknown {
    const children = node.children ?? [];
    const count = children.length;
    if (schema.minItems !== undefined && count < schema.minItems) {
      issues.push({ path, node, message: `expected ${this.describe(schema)} with at least ${items(schema.minItems)}, found ${this.found(node)}` });
      return INVALID;
    }
    if (Array.isArray(schema.items)) return this.validateTuple(node, schema, schema.items, path, issues);
    if (schema.maxItems !== undefined && count > schema.maxItems) {
      issues.push({ path, node, message: `expected at most ${items(schema.maxItems)}, found ${count}` });
      return INVALID;
    }
    const itemSchema = (schema.items as JsonSchema | undefined) ?? {};
    const result: unknown[] = [];
    children.forEach((child, index) => {
      const value = this.validate(child, itemSchema, [...path, index], issues);
      if (value === INVALID) return;
      if (schema.uniqueItems && result.some((earlier) => sameJson(earlier, value))) {
        issues.push({ path: [...path, index], node: child, message: `duplicate value ${this.found(child)}` });
        return;
      }
      result.push(value);
    });
    return result;
  }

  /** `[severity, options]`: positions mean different things, so one bad item spoils it. */
  private validateTuple(
    node: Node,
    schema: JsonSchema,
    positions: readonly JsonSchema[],
    path: JsonPath,
    issues: SchemaIssue[],
  ): unknown {
    const result: unknown[] = [];
    let valid = true;
    (node.children ?? []).forEach((child, index) => {
      let itemSchema = positions[index];
      if (!itemSchema) {
        if (schema.additionalItems === false) {
          issues.push({ path: [...path, index], node: child, message: `unexpected item: expected at most ${items(positions.length)}` });
          valid = false;
          return;
        }
        itemSchema = typeof schema.additionalItems === 'object' ? schema.additionalItems : {};
      }
      const value = this.validate(child, itemSchema, [...path, index], issues);
      if (value === INVALID) valid = false;
      else result.push(value);
    });
    return valid ? result : INVALID;
  }

  private validateNumber(node: Node, schema: JsonSchema, path: JsonPath, issues: SchemaIssue[]): unknown {
    const value = node.value as number;
    const tooSmall = schema.minimum !== undefined && value < schema.minimum;
    const tooLarge = schema.maximum !== undefined && value > schema.maximum;
    if (tooSmall || tooLarge || !Number.isFinite(value)) {
      issues.push({ path, node, message: this.expected(schema, node) });
      return INVALID;
    }
    // JSON has no negative zero worth keeping.
    return value === 0 ? 0 : value;
  }

  private validateWithAjv(node: Node, schema: JsonSchema, path: JsonPath, issues: SchemaIssue[]): unknown {
    const value = plainValue(node);
    const validate = this.compile(schema);
    if (validate(value)) return value;
    for (const error of validate.errors ?? []) issues.push(this.fromAjvError(error, node, path));
    return INVALID;
  }

  private compile(schema: JsonSchema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      this.ajv ??= new Ajv({ allErrors: true, strict: false, verbose: true });
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  private fromAjvError(error: ErrorObject, base: Node, basePath: JsonPath): SchemaIssue {
    const segments = error.instancePath
      .split('/')
      .slice(1)
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
    const node = findNodeAtLocation(base, segments) ?? base;
    const path = [...basePath, ...segments];
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const keyNode = findNodeAtLocation(node, [key])?.parent?.children?.[0] ?? node;
      const known = Object.keys((error.parentSchema as JsonSchema | undefined)?.properties ?? {});
      return { path: [...path, key], node: keyNode, message: `unknown ${this.keyNoun(path)}${didYouMean(key, known)}` };
    }
    if (error.keyword === 'enum') {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return { path, node, message: this.expected({ enum: allowed }, node) };
    }
    return { path, node, message: `${error.message ?? 'invalid'}, found ${this.found(node)}` };
  }
}

function typeMatches(node: Node, type: JsonType | readonly JsonType[]): boolean {
  const types: readonly JsonType[] = typeof type === 'string' ? [type] : type;
  return types.some((candidate) => {
    if (candidate === 'integer') return node.type === 'number' && Number.isInteger(node.value);
    return candidate === node.type;
  });
}

function kindOf(value: unknown): Node['type'] {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as Node['type'];
}

function describeType(type: JsonType, schema: JsonSchema): string {
  switch (type) {
    case 'integer':
    case 'number':
      return `${type === 'integer' ? 'an integer' : 'a number'}${describeRange(schema)}`;
    case 'string':
      return schema.minLength ? 'a non-empty string' : 'a string';
    case 'boolean':
      return 'true or false';
    case 'array':
      return schema.title ? `an array ${schema.title}` : 'an array';
    case 'object':
      return 'an object';
    case 'null':
      return 'null';
  }
}

function describeRange(schema: JsonSchema): string {
  const { minimum, maximum } = schema;
  if (minimum !== undefined && maximum !== undefined) return ` between ${minimum} and ${maximum}`;
  if (minimum !== undefined) return ` >= ${minimum}`;
  if (maximum !== undefined) return ` <= ${maximum}`;
  return '';
}

function joinAlternatives(descriptions: readonly string[]): string {
  if (descriptions.length <= 1) return descriptions[0] ?? 'a value';
  return `${descriptions.slice(0, -1).join(', ')} or ${descriptions[descriptions.length - 1]}`;
}

function items(count: number): string {
  return count === 1 ? '1 item' : `${count} items`;
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** A property even when named `__proto__`, which plain assignment would turn into a prototype. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The node's value (later duplicate keys lose, as they are reported). */
export function plainValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode || Object.hasOwn(result, String(keyNode.value))) continue;
        defineOwn(result, String(keyNode.value), plainValue(valueNode));
      }
      return result;
    }
    case 'array':
      return (node.children ?? []).map(plainValue);
    default:
      return node.value;
  }
}

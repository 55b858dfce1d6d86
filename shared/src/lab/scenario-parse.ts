/**
 * Reads a scenario file (JSON with comments): checked against the scenario schema, then
 * for what a schema cannot say (a rate must be above 0, a window must end after it starts).
 * Every problem names the file, the JSON path, the line and column. A file may start from a
 * built-in scenario with `"extends"`; objects then merge key by key, arrays are replaced.
 */
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { ConfigProblem } from '../policy/config.js';
import { readJsonDocument } from '../policy/json-document.js';
import { INVALID, SchemaValidator, type JsonPath, type SchemaIssue } from '../policy/schema-validator.js';
import type { Scenario } from './scenario.js';
import { buildScenarioSchema, TAGGED_UNIONS } from './scenario-schema.js';
import { BUILT_IN_SCENARIO_NAMES, builtInScenario } from './scenarios.js';

export interface ParsedScenario {
  readonly scenario?: Scenario;
  readonly problems: readonly ConfigProblem[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: Json, changes: Json): Json {
  const result: Json = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    result[key] = isObject(value) && isObject(base[key]) ? merge(base[key], value) : value;
  }
  return result;
}

function checkTaggedUnions(root: Node, validator: SchemaValidator, issues: SchemaIssue[]): void {
  for (const union of TAGGED_UNIONS) {
    const node = findNodeAtLocation(root, [...union.path]);
    if (!node) continue;
    const items = union.each ? (node.type === 'array' ? (node.children ?? []) : []) : [node];
    items.forEach((item, index) => {
      if (item.type !== 'object') return;
      const path: JsonPath = union.each ? [...union.path, index] : union.path;
      const kindNode = findNodeAtLocation(item, ['kind']);
      const kinds = Object.keys(union.kinds);
      const schema = typeof kindNode?.value === 'string' ? union.kinds[kindNode.value] : undefined;
      if (!schema) {
        issues.push({ path: [...path, 'kind'], node: kindNode ?? item, message: `expected "kind" to be one of ${kinds.map((kind) => JSON.stringify(kind)).join(', ')}` });
        return;
      }
      validator.validate(item, schema, path, issues);
    });
  }
}

interface Check {
  readonly path: JsonPath;
  readonly holds: boolean;
  readonly message: string;
}

/** What the schema cannot express, on the merged scenario. */
function semanticChecks(scenario: Scenario): Check[] {
  const checks: Check[] = [];
  const { arrival, server } = scenario;
  if (arrival.kind !== 'burst') checks.push({ path: ['arrival', 'ratePerSecond'], holds: arrival.ratePerSecond > 0, message: 'expected a rate above 0' });
  if (server.latency.kind === 'lognormal') {
    checks.push({ path: ['server', 'latency', 'medianMs'], holds: server.latency.medianMs > 0, message: 'expected a median above 0' });
    checks.push({ path: ['server', 'latency', 'p99Ms'], holds: server.latency.p99Ms >= server.latency.medianMs, message: 'expected p99Ms >= medianMs' });
  }
  if (server.latency.kind === 'uniform') {
    checks.push({ path: ['server', 'latency', 'maxMs'], holds: server.latency.maxMs >= server.latency.minMs, message: 'expected maxMs >= minMs' });
  }
  server.rateLimits.forEach((limit, index) => {
    if (limit.kind === 'token-bucket') {
      checks.push({ path: ['server', 'rateLimits', index, 'ratePerSecond'], holds: limit.ratePerSecond > 0, message: 'expected a rate above 0' });
    } else {
      checks.push({ path: ['server', 'rateLimits', index, 'windowMs'], holds: limit.windowMs > 0, message: 'expected a window above 0 ms' });
    }
  });
  server.errorBursts.forEach((burst, index) => {
    checks.push({ path: ['server', 'errorBursts', index, 'toMs'], holds: burst.toMs > burst.fromMs, message: 'expected toMs after fromMs' });
  });
  server.outages.forEach((outage, index) => {
    checks.push({ path: ['server', 'outages', index, 'toMs'], holds: outage.toMs > outage.fromMs, message: 'expected toMs after fromMs' });
  });
  checks.push({ path: ['peakWindowMs'], holds: scenario.peakWindowMs > 0, message: 'expected a window above 0 ms' });
  return checks.filter((check) => !check.holds);
}

/** The deepest node of `path` the file itself has: a merged value may come from the built-in. */
function nodeFor(root: Node, path: JsonPath): Node {
  for (let length = path.length; length > 0; length--) {
    const node = findNodeAtLocation(root, [...path.slice(0, length)]);
    if (node) return node;
  }
  return root;
}

export function parseScenarioText(text: string, file: string): ParsedScenario {
  const document = readJsonDocument(text, file);
  const root = document.root;
  if (!root) return { problems: document.problems };
  const schema = buildScenarioSchema(BUILT_IN_SCENARIO_NAMES);
  const validator = new SchemaValidator(schema, document.source);
  const issues: SchemaIssue[] = [];
  const checked = validator.validate(root, schema, [], issues);
  checkTaggedUnions(root, validator, issues);
  const toProblem = (issue: SchemaIssue) => document.problemAt(issue.path, issue.node.offset, issue.node.length, issue.message);
  if (issues.length > 0 || checked === INVALID) {
    return { problems: issues.slice().sort((a, b) => a.node.offset - b.node.offset).map(toProblem) };
  }
  const changes = checked as Json;
  const base = builtInScenario(typeof changes.extends === 'string' ? changes.extends : 'article-rate-limit') as unknown as Json;
  const { extends: _extends, $schema: _schema, ...rest } = changes;
  const named = changes.name === undefined && changes.extends === undefined ? { name: file } : {};
  const scenario = merge(merge(base, named), rest) as unknown as Scenario;
  const failed = semanticChecks(scenario).map((check) => {
    const node = nodeFor(root, check.path);
    return { path: check.path, node, message: check.message };
  });
  if (failed.length > 0) return { problems: failed.map(toProblem) };
  return { scenario, problems: [] };
}

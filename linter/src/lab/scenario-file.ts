/**
 * A Retry Lab server scenario file (JSON with comments): a name, steps, and whether they
 * repeat. Each step is tagged by `scenario` and checked against that mode's options, so a
 * problem names the option the mode does not have. Every problem has the file, the JSON path,
 * the line and the column.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { didYouMean, INVALID, readJsonDocument, SchemaValidator, type ConfigProblem, type JsonPath, type JsonSchema, type SchemaIssue } from '@retrylint/shared';
import { ConfigError } from '../config/config-error.js';
import { LAB_MODES, type LabMode, type LabScenario } from './scenario.js';

const count: JsonSchema = { type: 'integer', minimum: 1 };
const nonNegativeInteger: JsonSchema = { type: 'integer', minimum: 0 };
const windowMs: JsonSchema = { type: 'integer', minimum: 1 };

const MODE_OPTIONS: Readonly<Record<LabMode, Readonly<Record<string, JsonSchema>>>> = {
  ok: { latencyMs: nonNegativeInteger },
  'rate-limit': { windowMs, limit: nonNegativeInteger, retryAfter: { enum: ['seconds', 'date'] }, retryAfterMs: { type: 'boolean' } },
  'window-head': { windowMs, rejectFirst: nonNegativeInteger, retryAfter: { type: 'boolean' } },
  'server-errors': { status: { enum: [500, 502, 503, 504] }, errors: nonNegativeInteger, period: count },
  'slow-first-byte': { delayMs: nonNegativeInteger },
  hang: {},
  'stream-cut': { chunksBeforeCut: nonNegativeInteger },
  'wrong-key': {},
  'context-length': {},
  'insufficient-quota': {},
  mixed: { mix: { type: 'array', minItems: 1, items: { type: 'object' } } },
};

function stepSchema(mode: LabMode, extra: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', properties: { scenario: { enum: [mode] }, ...MODE_OPTIONS[mode], ...extra }, required: ['scenario'], additionalProperties: false };
}

const FILE_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['steps'],
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    repeat: { type: 'boolean' },
    steps: { type: 'array', minItems: 1, items: { type: 'object' } },
  },
};

export interface ParsedLabScenario {
  readonly scenario?: LabScenario;
  readonly problems: readonly ConfigProblem[];
}

/** Checks each object of an array against the schema of the mode its `scenario` names. */
function checkSteps(items: readonly Node[], path: JsonPath, modes: readonly LabMode[], extra: Record<string, JsonSchema>, validator: SchemaValidator, issues: SchemaIssue[]): void {
  items.forEach((item, index) => {
    if (item.type !== 'object') return;
    const itemPath = [...path, index];
    const modeNode = findNodeAtLocation(item, ['scenario']);
    const mode = modeNode?.value;
    if (typeof mode !== 'string' || !(modes as readonly string[]).includes(mode)) {
      const found = typeof mode === 'string' ? `, found "${mode}"${didYouMean(mode, modes)}` : modeNode ? '' : ' (missing)';
      issues.push({ path: [...itemPath, 'scenario'], node: modeNode ?? item, message: `expected "scenario" to be one of ${modes.join(', ')}${found}` });
      return;
    }
    validator.validate(item, stepSchema(mode as LabMode, extra), itemPath, issues);
    if (mode === 'mixed') {
      const mix = findNodeAtLocation(item, ['mix']);
      if (mix?.type === 'array') checkSteps(mix.children ?? [], [...itemPath, 'mix'], LAB_MODES.filter((candidate) => candidate !== 'mixed'), { weight: { type: 'number', minimum: 0 } }, validator, issues);
      for (const [entryIndex, entry] of (mix?.children ?? []).entries()) {
        if (entry.type === 'object' && !findNodeAtLocation(entry, ['weight'])) {
          issues.push({ path: [...itemPath, 'mix', entryIndex], node: entry, message: 'expected a "weight" (a number >= 0)' });
        }
      }
    }
  });
}

/** What the schema cannot say: which steps need a request count, weights that sum to 0. */
function semanticIssues(root: Node, scenario: LabScenario): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const stepNodes = findNodeAtLocation(root, ['steps'])?.children ?? [];
  scenario.steps.forEach((step, index) => {
    const last = index === scenario.steps.length - 1;
    if (step.requests === undefined && (!last || scenario.repeat)) {
      issues.push({
        path: ['steps', index],
        node: stepNodes[index],
        message: scenario.repeat ? 'expected "requests": every step of a repeating scenario needs one' : 'expected "requests": only the last step may answer all remaining requests',
      });
    }
    if (step.scenario === 'mixed' && step.mix && step.mix.reduce((sum, entry) => sum + entry.weight, 0) <= 0) {
      issues.push({ path: ['steps', index, 'mix'], node: findNodeAtLocation(root, ['steps', index, 'mix']) ?? stepNodes[index], message: 'expected at least one weight above 0' });
    }
  });
  return issues;
}

export function parseLabScenarioText(text: string, file: string): ParsedLabScenario {
  const document = readJsonDocument(text, file);
  const root = document.root;
  if (!root) return { problems: document.problems };
  const validator = new SchemaValidator(FILE_SCHEMA, document.source);
  const issues: SchemaIssue[] = [];
  const checked = validator.validate(root, FILE_SCHEMA, [], issues);
  const steps = findNodeAtLocation(root, ['steps']);
  if (steps?.type === 'array') checkSteps(steps.children ?? [], ['steps'], LAB_MODES, { requests: count }, validator, issues);
  const toProblems = (found: readonly SchemaIssue[]) =>
    found
      .slice()
      .sort((a, b) => a.node.offset - b.node.offset)
      .map((issue) => document.problemAt(issue.path, issue.node.offset, issue.node.length, issue.message));
  if (issues.length > 0 || checked === INVALID) return { problems: toProblems(issues) };
  const { $schema: _schema, ...fields } = checked as Record<string, unknown>;
  const scenario = { name: path.basename(file, '.json'), ...fields } as unknown as LabScenario;
  const semantic = semanticIssues(root, scenario);
  if (semantic.length > 0) return { problems: toProblems(semantic) };
  return { scenario, problems: [] };
}

/** Reads and checks a scenario file; throws a ConfigError naming each problem's place. */
export function readLabScenarioFile(file: string, cwd: string): LabScenario {
  const absolute = path.resolve(cwd, file);
  const shown = path.relative(cwd, absolute) || absolute;
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'cannot be read';
    throw new ConfigError([{ file: shown, path: '', line: 1, column: 1, message: `scenario ${reason}` }]);
  }
  const parsed = parseLabScenarioText(text, shown);
  if (!parsed.scenario) throw new ConfigError(parsed.problems);
  return parsed.scenario;
}

/**
 * Reads `retrylint.config.json` text: JSON with comments and trailing commas, checked
 * against the config schema. Every problem names the file, the JSON path, the line and
 * column of the offending value, what was expected and what was found.
 */
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { ConfigFile, ConfigProblem } from './config.js';
import { buildConfigSchema } from './config-schema.js';
import { didYouMean } from './did-you-mean.js';
import type { JsonSchema } from './json-schema.js';
import { readJsonDocument } from './json-document.js';
import { isPresetName, PRESET_NAMES, PRESET_PREFIX } from './presets.js';
import { INVALID, SchemaValidator, type JsonPath, type SchemaIssue } from './schema-validator.js';

export { formatJsonPath } from './json-document.js';

export interface ParsedConfig {
  /**
   * Present when the text is a JSON object. Values with problems are left out, so a caller
   * may go on with the rest (the editor) or stop at the first problem (the CLI).
   */
  readonly config?: ConfigFile;
  /** Sorted by position. */
  readonly problems: readonly ConfigProblem[];
}

let cachedSchema: JsonSchema | undefined;

function configSchema(): JsonSchema {
  cachedSchema ??= buildConfigSchema();
  return cachedSchema;
}

export function parseConfigText(text: string, file: string): ParsedConfig {
  const document = readJsonDocument(text, file);
  const { source, root } = document;
  if (!root) return { problems: document.problems };

  const schema = configSchema();
  const issues: SchemaIssue[] = [];
  const checked = new SchemaValidator(schema, source, unknownKeyNoun).validate(root, schema, [], issues);
  const config = checked === INVALID ? undefined : withoutUnknownPresets(checked as ConfigFile, root, issues);
  const problems = issues
    .slice()
    .sort((a, b) => a.node.offset - b.node.offset)
    .map((issue) => document.problemAt(issue.path, issue.node.offset, issue.node.length, issue.message));
  return config ? { config, problems } : { problems };
}

/** `retrylint.config.json:4:5 policy.maxAttempts: expected an integer >= 1, found "five"` */
export function formatConfigProblem(problem: ConfigProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path ? `${where} ${problem.path}: ${problem.message}` : `${where} ${problem.message}`;
}

/** What an unknown key inside the object at `objectPath` is called in messages. */
function unknownKeyNoun(objectPath: JsonPath): string {
  const inConfigObject = objectPath.length === 1 || (objectPath.length === 3 && objectPath[0] === 'overrides');
  const last = objectPath[objectPath.length - 1];
  if (inConfigObject && last === 'rules') return 'rule';
  if (inConfigObject && last === 'policy') return 'policy option';
  if (objectPath.length >= 3 && objectPath[objectPath.length - 3] === 'rules' && last === 1) return 'rule option';
  return 'key';
}

/** `extends` entries that look like presets (`retrylint:...`) but name none are problems. */
function withoutUnknownPresets(config: ConfigFile, root: Node, issues: SchemaIssue[]): ConfigFile {
  const extendsNode = findNodeAtLocation(root, ['extends']);
  if (!extendsNode || config.extends === undefined) return config;
  const entries = extendsNode.type === 'array' ? (extendsNode.children ?? []) : [extendsNode];
  const unknown = new Set<string>();
  entries.forEach((node, index) => {
    if (node.type !== 'string') return;
    const name = node.value as string;
    if (!name.startsWith(PRESET_PREFIX) || isPresetName(name)) return;
    unknown.add(name);
    const hint = didYouMean(name, PRESET_NAMES) || `; the presets are ${PRESET_NAMES.map((preset) => JSON.stringify(preset)).join(' and ')}`;
    const path = extendsNode.type === 'array' ? ['extends', index] : ['extends'];
    issues.push({ path, node, message: `unknown preset ${JSON.stringify(name)}${hint}` });
  });
  if (unknown.size === 0) return config;
  const { extends: entriesValue, ...rest } = config;
  if (typeof entriesValue === 'string') return rest;
  return { ...rest, extends: (entriesValue ?? []).filter((name) => !unknown.has(name)) };
}

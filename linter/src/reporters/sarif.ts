import { createHash } from 'node:crypto';
import { rules, type AnyRule } from '@retrylint/shared';
import type { FileResult, ResultMessage } from '../cli/results.js';
import { displayPath } from './paths.js';
import type { Formatter, ReportContext } from './reporter.js';
import { whatItDoes } from './rule-doc-text.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/retrylint/retrylint';
/** The key under which results carry their fingerprint; bump the version if the hash changes. */
export const FINGERPRINT_KEY = 'retrylintLineHash/v1';

type SarifLevel = 'error' | 'warning' | 'note' | 'none';

function levelOf(severity: string): SarifLevel {
  if (severity === 'error') return 'error';
  if (severity === 'warn') return 'warning';
  return 'none';
}

function describeRule(rule: AnyRule, context: ReportContext): Record<string, unknown> {
  const { meta } = rule;
  const doc = context.ruleDoc(meta.id);
  const fallbackHelp = `${meta.description}\n\nDocumentation: ${meta.docsUrl}`;
  return {
    id: meta.id,
    name: meta.id,
    shortDescription: { text: meta.description },
    fullDescription: { text: (doc && whatItDoes(doc)) ?? meta.description },
    helpUri: meta.docsUrl,
    help: { text: doc ?? fallbackHelp, markdown: doc ?? fallbackHelp },
    defaultConfiguration: { level: levelOf(meta.defaultSeverity) },
    properties: { tags: ['reliability', 'retry', meta.type] },
  };
}

function location(message: ResultMessage, result: FileResult, cwd: string): Record<string, unknown> {
  const uri = displayPath(result.filePath, cwd);
  const isRelative = !uri.startsWith('/') && !/^[A-Za-z]:/.test(uri);
  return {
    physicalLocation: {
      artifactLocation: isRelative
        ? { uri: encodeURI(uri), uriBaseId: '%SRCROOT%' }
        : { uri: encodeURI(`file://${uri.startsWith('/') ? '' : '/'}${uri}`) },
      region: {
        startLine: message.line,
        startColumn: message.column,
        endLine: message.endLine,
        endColumn: Math.max(message.endColumn, 1),
      },
    },
  };
}

/**
 * Stable across runs and unrelated edits: the rule, the file and the text of the reported
 * lines (not their numbers), plus an occurrence index for identical lines in one file.
 */
function fingerprint(message: ResultMessage, file: string, seen: Map<string, number>): string {
  const hash = createHash('sha256')
    .update(`${message.ruleId ?? ''}\u0000${file}\u0000${message.lineText}`)
    .digest('hex')
    .slice(0, 32);
  const occurrence = (seen.get(hash) ?? 0) + 1;
  seen.set(hash, occurrence);
  return `${hash}:${occurrence}`;
}

export const formatSarif: Formatter = (results: readonly FileResult[], context: ReportContext) => {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.meta.id, index]));
  const sarifResults: Record<string, unknown>[] = [];
  const notifications: Record<string, unknown>[] = [];
  for (const result of results) {
    const file = displayPath(result.filePath, context.cwd);
    const seen = new Map<string, number>();
    for (const message of result.messages) {
      const level = message.severity === 2 ? 'error' : 'warning';
      const index = message.ruleId === null ? undefined : ruleIndex.get(message.ruleId);
      if (message.ruleId === null || index === undefined) {
        // Problems of the file itself (syntax error, unreadable) are not rule results.
        notifications.push({
          level,
          message: { text: message.message },
          locations: [location(message, result, context.cwd)],
        });
        continue;
      }
      sarifResults.push({
        ruleId: message.ruleId,
        ruleIndex: index,
        level,
        message: { text: message.message },
        locations: [location(message, result, context.cwd)],
        partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(message, file, seen) },
      });
    }
  }
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'retrylint',
            informationUri: INFORMATION_URI,
            version: context.toolVersion,
            semanticVersion: context.toolVersion,
            rules: rules.map((rule) => describeRule(rule, context)),
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToDirectoryUri(context.cwd) } },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

function pathToDirectoryUri(directory: string): string {
  const forward = directory.split('\\').join('/');
  const withSlash = forward.endsWith('/') ? forward : `${forward}/`;
  return encodeURI(`file://${withSlash.startsWith('/') ? '' : '/'}${withSlash}`);
}

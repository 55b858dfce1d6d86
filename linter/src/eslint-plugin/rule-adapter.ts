/**
 * A retrylint rule as an ESLint rule: the same frontend extraction (on the tree ESLint
 * parsed) and the same shared check. Safe fixes become `fix`; unsafe fixes and
 * suggestions become `suggest`, as ESLint keeps `--fix` to changes that are certain.
 */
import type { Rule } from 'eslint';
import type { AnyRule, Fix, Span } from '@retrylint/shared';
import { renderFix } from '../fixes/render.js';
import { sitesFor } from './extraction-cache.js';
import { policyFrom } from './policy-settings.js';

function location(span: Span): { start: { line: number; column: number }; end: { line: number; column: number } } {
  return {
    start: { line: span.line, column: span.column - 1 },
    end: { line: span.endLine, column: span.endColumn - 1 },
  };
}

function fixer(fix: Fix, text: string): Rule.ReportFixer | undefined {
  const edits = renderFix(fix, text, 'typescript');
  if (!edits || edits.length === 0) return undefined;
  return (ruleFixer) => edits.map((edit) => ruleFixer.replaceTextRange([edit.start, edit.end], edit.text));
}

export function toEslintRule(rule: AnyRule): Rule.RuleModule {
  const { meta } = rule;
  const schema = meta.optionsSchema ? [meta.optionsSchema] : [];
  return {
    meta: {
      type: meta.type,
      docs: { description: meta.description, url: meta.docsUrl, recommended: meta.defaultSeverity !== 'off' },
      messages: meta.messages,
      ...(meta.fixable === 'safe' || meta.fixable === 'unsafe' ? { fixable: 'code' as const } : {}),
      hasSuggestions: meta.fixable !== 'none',
      schema: schema as Rule.RuleMetaData['schema'],
    },
    create(context) {
      return {
        'Program:exit'() {
          const { sourceCode } = context;
          const text = sourceCode.text;
          const model = sitesFor(sourceCode.ast, text, context.filename);
          const policy = policyFrom(context.settings as Record<string, unknown>);
          const options = { ...rule.defaultOptions, ...(context.options[0] as object | undefined) };
          const seen = new Set<string>();
          for (const site of model.sites) {
            if (!meta.languages.includes(site.language)) continue;
            for (const report of rule.check(site, policy, options)) {
              const key = `${report.messageId}|${report.span.start}|${report.span.end}`;
              if (seen.has(key)) continue;
              seen.add(key);
              const safeFix = report.fix && report.fix.applicability === 'safe' ? fixer(report.fix, text) : undefined;
              const offered = [
                ...(report.fix && report.fix.applicability !== 'safe' ? [report.fix] : []),
                ...(report.suggestions ?? []),
              ];
              const suggest = offered
                .filter((fix) => fix.applicability !== 'display-only')
                .map((fix) => ({ fix, render: fixer(fix, text) }))
                .filter((entry): entry is { fix: Fix; render: Rule.ReportFixer } => entry.render !== undefined)
                .map((entry) => ({ desc: entry.fix.title, fix: entry.render }));
              context.report({
                loc: location(report.span),
                messageId: report.messageId,
                data: Object.fromEntries(Object.entries(report.data ?? {}).map(([key, value]) => [key, String(value)])),
                ...(safeFix ? { fix: safeFix } : {}),
                ...(suggest.length > 0 ? { suggest } : {}),
              });
            }
          }
        },
      };
    },
  };
}

/**
 * A tiny stand-in frontend for the CLI's own tests: it recognises only
 * `retry_call(<fn>, max_tries=<n | None>)` (Python), so the tests control exactly which
 * sites exist, and the real rules, fix renderer and fixer run on them.
 */
import { known, LineIndex, makeSite, type FileModel, type Language, type RetrySite } from '@retrylint/shared';
import type { Frontend } from '../../../linter/src/frontends/frontend.js';

const CALL = /retry_call\((\w+), max_tries=(\w+)\)/g;

function extract(text: string): FileModel {
  const lines = new LineIndex(text);
  const sites: RetrySite[] = [];
  for (const match of text.matchAll(CALL)) {
    const start = match.index;
    const containerStart = start + 'retry_call'.length;
    const valueStart = start + match[0].indexOf('max_tries=') + 'max_tries='.length;
    const value = match[2];
    const valueSpan = lines.span(valueStart, valueStart + value.length);
    const max = value === 'None' ? 'unbounded' : Number(value);
    sites.push(
      makeSite(
        {
          id: `wrapper@${start}`,
          kind: 'wrapper',
          language: 'python',
          library: 'fake',
          span: lines.span(start, start + match[0].length),
          reportSpan: lines.span(start, start + match[0].length),
        },
        {
          attempts: {
            max: known(max, valueSpan),
            slot: {
              name: 'max_tries',
              style: 'keyword-argument',
              container: lines.span(containerStart, start + match[0].length),
              valueSpan,
              unit: 'attempts',
            },
          },
        },
      ),
    );
  }
  const broken = text.indexOf('(((');
  const parseErrors = broken >= 0 ? [{ message: 'unexpected "((("', span: lines.span(broken, broken + 3) }] : [];
  return { language: 'python', sites, parseErrors };
}

export const fakeFrontend: Frontend = {
  language: 'python',
  extensions: ['.py'],
  load: async () => {},
  extract: (text) => extract(text),
  parses: (text) => !text.includes('((('),
};

export function fakeFrontendFor(language: Language): Promise<Frontend> {
  if (language !== 'python') throw new Error(`the fake frontend reads python only, not ${language}`);
  return Promise.resolve(fakeFrontend);
}

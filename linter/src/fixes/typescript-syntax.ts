import type { LanguageSyntax } from './render.js';

export const typescriptSyntax: LanguageSyntax = {
  boolean: (value) => (value ? 'true' : 'false'),
  min: (expression, cap) => `Math.min(${expression}, ${cap})`,
  fullJitter: (expression) => `Math.random() * (${expression})`,
  asyncSleep: null,
  clientTimeout: () => null,
  ensureImport: () => undefined,
  singleElementNeedsComma: () => false,
  emptyList: (listText) => `${listText[0]}${listText[listText.length - 1]}`,
};

import type { Frontend } from '../frontend.js';

// Placeholder until the typescript frontend lands: finds no sites.
export const frontend: Frontend = {
  language: 'typescript',
  extensions: [],
  load: async () => {},
  extract: () => ({ language: 'typescript', sites: [], parseErrors: [] }),
  parses: () => true,
};

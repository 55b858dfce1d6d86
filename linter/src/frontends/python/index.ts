import type { Frontend } from '../frontend.js';

// Placeholder until the python frontend lands: finds no sites.
export const frontend: Frontend = {
  language: 'python',
  extensions: [],
  load: async () => {},
  extract: () => ({ language: 'python', sites: [], parseErrors: [] }),
  parses: () => true,
};

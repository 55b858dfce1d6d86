#!/usr/bin/env node
'use strict';
// The installed command. The bundle is built by `npm run build` (run by `npm ci` too).

let cli;
try {
  cli = require('../dist/cli.cjs');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && /Cannot find module '[^']*dist[\\/]cli\.cjs'/.test(String(error.message))) {
    process.stderr.write('retrylint is not built yet: run `npm run build` in the repository first.\n');
    process.exitCode = 2;
    return;
  }
  throw error;
}

cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`retrylint: internal error: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 2;
  },
);

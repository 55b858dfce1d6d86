// Preloaded into a timed CLI run (`node --require`): writes the process's peak resident
// set in KB to $RETRYLINT_BENCH_RSS_FILE when it exits.
const fs = require('node:fs');

const target = process.env.RETRYLINT_BENCH_RSS_FILE;
if (target) process.on('exit', () => fs.writeFileSync(target, String(process.resourceUsage().maxRSS)));

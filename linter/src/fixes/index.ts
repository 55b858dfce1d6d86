export { renderFix, applyEditsTo, formatNumber } from './render.js';
export { applyFixes, applicableFix, MAX_FIX_PASSES, type FixOptions, type FixOutcome } from './apply.js';
export { isLosslessUtf8, writeFileAtomically } from './write.js';

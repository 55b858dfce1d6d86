export { renderFix, applyEditsTo, formatNumber, isCrossFileFix } from './render.js';
export { applyFixes, applicableFix, MAX_FIX_PASSES, type FixOptions, type FixOutcome } from './apply.js';
export { isLosslessUtf8, writeFileAtomically, writeFilesTogether, FilesNotWritten } from './write.js';
export { renderCrossFileFix, type CrossFileEdits, type RenderedCrossFileFix, type TargetText } from './render-cross-file.js';
export { applyCrossFileFixes, type ChangedFile, type CrossFileOutcome, type CrossFileRequest } from './apply-cross-file.js';
export { textChanges } from './text-changes.js';

import path from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __RETRYLINT_VERSION__: string | undefined;

/** The folder of the running code: `dist/` in the bundle, `src/cli/` from the sources. */
export function moduleDirectory(): string {
  return typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
}

/** Set by the build; the sources run as a development version. */
export const TOOL_VERSION: string = typeof __RETRYLINT_VERSION__ === 'string' ? __RETRYLINT_VERSION__ : '0.0.0-dev';

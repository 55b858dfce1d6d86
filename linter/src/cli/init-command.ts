import { promises as fs } from 'node:fs';
import path from 'node:path';
import { starterConfigText } from '@retrylint/shared';
import { CONFIG_FILE_NAME } from '../config/discovery.js';
import { EXIT_CLEAN, EXIT_FAILURE } from './exit-code.js';
import type { CommandIo } from './lint-command.js';

/** `retrylint init`: writes the commented starter config; never overwrites one. */
export async function runInitCommand(io: CommandIo): Promise<number> {
  const target = path.join(io.cwd, CONFIG_FILE_NAME);
  try {
    await fs.writeFile(target, starterConfigText(), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      io.stderr.write(`${CONFIG_FILE_NAME} already exists here; not overwriting it.\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  io.stdout.write(`Wrote ${CONFIG_FILE_NAME}. Run \`retrylint\` to lint this folder with it.\n`);
  return EXIT_CLEAN;
}

/** Files whose change can change any result: configs (and what they extend) and ignore files. */
export const WATCHED_FILE_PATTERNS: readonly string[] = [
  '**/retrylint.config.json',
  '**/*.retrylint.json',
  '**/.retrylintignore',
  '**/.gitignore',
];

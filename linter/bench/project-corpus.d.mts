// Types of project-corpus.mjs for its test.
export interface PinnedRepository {
  readonly name: string;
  readonly url: string;
  readonly commit: string;
  readonly packages: readonly { readonly dir: string; readonly sources: readonly string[]; readonly skip?: readonly string[] }[];
}
export declare const PROJECT_REPOSITORY: PinnedRepository;
export declare function fetchCommands(repository: PinnedRepository, target: string): string[];
export declare function projectCorpus(
  cacheDir: string,
  log: (line: string) => void,
  repository?: PinnedRepository,
): { name: string; root: string; paths: string[]; files: number; bytes: number; tsconfigs: number; repository: PinnedRepository };

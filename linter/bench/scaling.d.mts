// Types of scaling.mjs for the tests that generate the same files.
export declare const SCALING_SITES: readonly number[];
export declare function generatedSource(language: 'python' | 'typescript', sites: number): string;
export declare function writeGeneratedFile(dir: string, language: 'python' | 'typescript', sites: number): string;

// Types of project-report.mjs for its test.
export interface ProjectRow {
  readonly tool: string;
  readonly medianMs: number;
  readonly cpuMs?: number;
  readonly findings?: number;
}
interface Named {
  readonly name: string;
}
export declare const PROJECT_TARGET_SPEEDUP: number;
export declare function findingsDelta(projectKeys: readonly string[], perFileKeys: readonly string[]): { gained: string[]; lost: string[] };
export declare function projectVerdict(
  rows: readonly ProjectRow[],
  tools: { readonly project: Named; readonly perFile: Named; readonly typed: Named },
  target?: number,
): { speedup: number; cpuSpeedup?: number; met: boolean; target: number; projectOverPerFile: number; perFileSpeedup: number };

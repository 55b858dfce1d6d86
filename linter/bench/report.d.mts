// Types of report.mjs for its test.
export declare function updateSections(text: string, sections: Readonly<Record<string, string>>): string;

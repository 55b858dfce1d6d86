/** The first paragraph under a doc page's "What it does" heading, if there is one. */
export function whatItDoes(markdown: string): string | undefined {
  const match = /^##\s+What it does\s*$([\s\S]*?)(?=^##\s|(?![\s\S]))/m.exec(markdown);
  const paragraph = match?.[1]
    ?.trim()
    .split(/\r?\n\s*\r?\n/)[0]
    ?.replace(/\s*\r?\n\s*/g, ' ')
    .trim();
  return paragraph || undefined;
}

/** The few ANSI styles the stylish format uses; identity functions when colour is off. */
export interface Palette {
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly underline: (text: string) => string;
}

const style = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

const identity = (text: string) => text;

export function palette(color: boolean): Palette {
  if (!color) return { red: identity, yellow: identity, dim: identity, bold: identity, underline: identity };
  return { red: style(31, 39), yellow: style(33, 39), dim: style(2, 22), bold: style(1, 22), underline: style(4, 24) };
}

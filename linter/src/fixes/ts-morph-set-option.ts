/**
 * Sets an option in a TypeScript/JavaScript text with ts-morph's manipulation API: the
 * object literal or argument list at the slot's container gets the property, set or added
 * in the file's own style (indentation, line endings, trailing commas). Declines (null)
 * when the container is not exactly such a node, or the option is spelled in a way a
 * change could get wrong (twice, as a method, before a spread that may override it).
 */
import path from 'node:path';
import type { OptionSlot, TextEdit } from '@retrylint/shared';
import type { CallExpression, NewExpression, Node as TsNode, ObjectLiteralExpression, Project, SourceFile } from 'ts-morph';
import { detectEol, indentationAt } from './source-text.js';
import { minimalEdit } from './text-changes.js';

type TsMorph = typeof import('ts-morph');

let loading: Promise<TsMorph> | undefined;
let project: Project | undefined;
let rendered = 0;

/** ts-morph (and the TypeScript compiler it carries) loads only when a cross-file fix needs it. */
function loadTsMorph(): Promise<TsMorph> {
  loading ??= import('ts-morph');
  return loading;
}

function projectOf(tsMorph: TsMorph): Project {
  project ??= new tsMorph.Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  return project;
}

/** The edit that sets `slot` to `written` (the value as TS source) in `text`; null when declined. */
export async function setOptionWithTsMorph(text: string, filePath: string, slot: OptionSlot, written: string): Promise<TextEdit | null> {
  if (slot.style === 'keyword-argument' || !/^[A-Za-z_$][\w$]*$/.test(slot.name)) return null;
  // ts-morph's text leaves a byte-order mark out: offsets move by one.
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const body = text.slice(bom);
  const inBody = bom ? shiftedSlot(slot, -bom) : slot;
  const tsMorph = await loadTsMorph();
  const inMemory = projectOf(tsMorph);
  // A new path each time: a file created again under a removed file's path got wrong indentation.
  const source = inMemory.createSourceFile(`/retrylint-fix/${rendered++}/${path.basename(filePath)}`, body);
  try {
    if (source.getFullText() !== body) return null;
    configureStyle(tsMorph, inMemory, body, inBody);
    const changed =
      inBody.style === 'object-property' ? setProperty(tsMorph, source, inBody, written) : addOptionsArgument(tsMorph, source, inBody, written);
    if (!changed) return null;
    const after = source.getFullText();
    return after === body ? null : minimalEdit(body, after, bom);
  } finally {
    inMemory.removeSourceFile(source);
  }
}

function shiftedSlot(slot: OptionSlot, by: number): OptionSlot {
  const shift = <T extends { start: number; end: number }>(span: T): T => ({ ...span, start: span.start + by, end: span.end + by });
  return { ...slot, container: shift(slot.container), ...(slot.valueSpan ? { valueSpan: shift(slot.valueSpan) } : {}) };
}

function nodeSpanning(tsMorph: TsMorph, source: SourceFile, start: number, end: number, accepts: (node: TsNode) => boolean): TsNode | undefined {
  for (let node: TsNode | undefined = source.getDescendantAtPos(start); node && !tsMorph.Node.isSourceFile(node); node = node.getParent()) {
    if (node.getStart() < start) return undefined;
    if (node.getStart() === start && node.getEnd() === end && accepts(node)) return node;
  }
  return undefined;
}

function propertyName(tsMorph: TsMorph, node: TsNode): string | undefined {
  if (tsMorph.Node.isPropertyAssignment(node) || tsMorph.Node.isShorthandPropertyAssignment(node)) {
    const name = node.getNameNode();
    return tsMorph.Node.isIdentifier(name) || tsMorph.Node.isStringLiteral(name) ? name.getText().replace(/^['"]|['"]$/g, '') : undefined;
  }
  if (tsMorph.Node.isMethodDeclaration(node) || tsMorph.Node.isGetAccessorDeclaration(node) || tsMorph.Node.isSetAccessorDeclaration(node)) {
    return node.getName();
  }
  return undefined;
}

function setProperty(tsMorph: TsMorph, source: SourceFile, slot: OptionSlot, written: string): boolean {
  const found = nodeSpanning(tsMorph, source, slot.container.start, slot.container.end, (node) => tsMorph.Node.isObjectLiteralExpression(node));
  if (!found) return false;
  const object = found as ObjectLiteralExpression;
  const properties = object.getProperties();
  const named = properties.filter((property) => propertyName(tsMorph, property) === slot.name);
  if (named.length > 1) return false;
  const entry = `${slot.name}: ${written}`;
  if (named.length === 0) {
    if (slot.valueSpan) return false; // the slot saw the option here: this is not the text it was read from
    addProperty(object, entry, slot.name, written);
    return true;
  }
  const [property] = named;
  // A spread after the option may set it again; the change would not be the one that counts.
  if (properties.slice(properties.indexOf(property) + 1).some((later) => tsMorph.Node.isSpreadAssignment(later))) return false;
  if (tsMorph.Node.isPropertyAssignment(property)) {
    const initializer = property.getInitializerOrThrow();
    if (slot.valueSpan && (initializer.getStart() !== slot.valueSpan.start || initializer.getEnd() !== slot.valueSpan.end)) return false;
    property.setInitializer(written);
    return true;
  }
  if (tsMorph.Node.isShorthandPropertyAssignment(property)) {
    property.replaceWithText(entry);
    return true;
  }
  return false;
}

/** A one-line object stays on one line (`{ apiKey, maxRetries: 0 }`); a multi-line one gets a line. */
function addProperty(object: ObjectLiteralExpression, entry: string, name: string, written: string): void {
  const properties = object.getProperties();
  if (object.getStartLineNumber() !== object.getEndLineNumber()) {
    object.addPropertyAssignment({ name, initializer: written });
    return;
  }
  if (properties.length === 0) {
    object.replaceWithText(`{ ${entry} }`);
    return;
  }
  const own = object.getText();
  const lastEnd = properties[properties.length - 1].getEnd() - object.getStart();
  object.replaceWithText(`${own.slice(0, lastEnd)}, ${entry}${own.slice(lastEnd)}`);
}

function addOptionsArgument(tsMorph: TsMorph, source: SourceFile, slot: OptionSlot, written: string): boolean {
  const openParen = source.getDescendantAtPos(slot.container.start);
  if (!openParen || openParen.getKind() !== tsMorph.SyntaxKind.OpenParenToken) return false;
  const call = openParen.getParent();
  if (!call || !(tsMorph.Node.isCallExpression(call) || tsMorph.Node.isNewExpression(call))) return false;
  const closeParen = call.getLastChildByKind(tsMorph.SyntaxKind.CloseParenToken);
  if (!closeParen || closeParen.getEnd() !== slot.container.end) return false;
  (call as CallExpression | NewExpression).addArgument(`{ ${slot.name}: ${written} }`);
  return true;
}

/** ts-morph writes new lines in the file's style: its indentation step, line endings, trailing commas. */
function configureStyle(tsMorph: TsMorph, inMemory: Project, text: string, slot: OptionSlot): void {
  const { IndentationText, NewLineKind } = tsMorph;
  const step = indentationStep(text, slot.container.start);
  const indentationText =
    step === '\t' ? IndentationText.Tab : step === '    ' ? IndentationText.FourSpaces : step === '        ' ? IndentationText.EightSpaces : IndentationText.TwoSpaces;
  const close = slot.container.end - 1;
  const beforeClose = text.slice(slot.container.start + 1, close).trimEnd();
  inMemory.manipulationSettings.set({
    indentationText,
    newLineKind: detectEol(text) === '\r\n' ? NewLineKind.CarriageReturnLineFeed : NewLineKind.LineFeed,
    useTrailingCommas: beforeClose.endsWith(','),
  });
}

/** How much deeper the first line inside the container is indented than the container's line. */
function indentationStep(text: string, open: number): string {
  const outer = indentationAt(text, open);
  const newline = text.indexOf('\n', open);
  if (newline < 0) return '  ';
  const inner = /^[ \t]*/.exec(text.slice(newline + 1))?.[0] ?? '';
  return inner.startsWith(outer) && inner.length > outer.length ? inner.slice(outer.length) : '  ';
}

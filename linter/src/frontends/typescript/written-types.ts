/**
 * The few type annotations the recognizers read, taken from the text when the tree has none.
 * The CLI parses with oxc's JS-shaped tree (`astType: 'js'`, see parse.ts): it keeps casts,
 * `!` and enums but leaves out annotations and type arguments, which halves the tree that
 * has to be deserialized. ESLint's parsers keep them; both trees give the same answers here.
 */
import type { Node } from './syntax.js';

const IDENTIFIER = /[A-Za-z_$][\w$]*/y;

function skipSpaces(text: string, from: number): number {
  let at = from;
  while (at < text.length && /\s/.test(text[at])) at++;
  return at;
}

/** The index just past the `>` that closes the `<` at `open` (`=>` inside is not a bracket), or -1. */
function closingAngle(text: string, open: number, limit: number): number {
  let depth = 0;
  for (let at = open; at < limit; at++) {
    const char = text[at];
    if (char === '<') depth++;
    else if (char === '>' && text[at - 1] !== '=') {
      depth--;
      if (depth === 0) return at + 1;
    }
  }
  return -1;
}

/**
 * The name of a plain type reference (`OpenAI`, `Client<T>`; not a union, array, `typeof` or
 * qualified name) annotating a binding: from its `typeAnnotation`, or else as written right
 * after its name (`client?: OpenAI`).
 */
export function annotatedTypeName(binding: Node, text: string): string | undefined {
  // A JS-shaped Identifier has no `typeAnnotation` key at all (ESLint's trees have one, maybe empty).
  const end = binding.range[1];
  if (binding.type === 'Identifier' && !('typeAnnotation' in binding)) return typeNameWrittenAfter(end, text);
  if ('typeAnnotation' in binding) {
    const annotation = binding.typeAnnotation;
    const type = annotation && 'typeAnnotation' in annotation ? (annotation.typeAnnotation as Node) : undefined;
    return type?.type === 'TSTypeReference' && type.typeName.type === 'Identifier' ? type.typeName.name : undefined;
  }
  return undefined;
}

function typeNameWrittenAfter(end: number, text: string): string | undefined {
  let at = skipSpaces(text, end);
  if (text[at] === '?') at = skipSpaces(text, at + 1);
  if (text[at] !== ':') return undefined;
  IDENTIFIER.lastIndex = skipSpaces(text, at + 1);
  const name = IDENTIFIER.exec(text)?.[0];
  if (!name) return undefined;
  at = skipSpaces(text, IDENTIFIER.lastIndex);
  if (text[at] === '<') {
    const closed = closingAngle(text, at, text.length);
    if (closed < 0) return undefined;
    at = skipSpaces(text, closed);
  }
  const next = text[at];
  return next === undefined || next === ',' || next === ')' || (next === '=' && text[at + 1] !== '>') ? name : undefined;
}

/**
 * Where the type arguments of a call end (`create<T>(...)`): the end of its `typeArguments`,
 * or, when the tree has none, of the `<...>` written between `from` and the argument list.
 */
export function endOfTypeArguments(call: Node & { typeArguments?: Node | null }, from: number, text: string): number {
  if (call.typeArguments) return call.typeArguments.range[1];
  if ('typeArguments' in call) return from;
  let at = skipSpaces(text, from);
  if (text.startsWith('?.', at)) at = skipSpaces(text, at + 2);
  if (text[at] !== '<') return from;
  const closed = closingAngle(text, at, call.range[1]);
  return closed < 0 ? from : closed;
}

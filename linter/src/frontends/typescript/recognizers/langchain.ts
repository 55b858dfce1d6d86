/**
 * LangChain JS chat models, LLMs and embeddings (`new ChatOpenAI({ maxRetries })`,
 * `ChatAnthropic`, `OpenAIEmbeddings`...). Their AsyncCaller retries every call `maxRetries`
 * times (default 6, so 7 attempts) through p-retry, and the provider SDK client underneath is
 * built with `maxRetries: 0`. The construction is a retry site (its attempts are judged; the
 * default only by the strict preset), and `invoke`, `stream`, `batch`, `embedQuery`... on the
 * instance are remote calls whose attempts multiply with a retry around them.
 */
import { known, makeCall, makeSite, unknown, type RetrySite } from '@retrylint/shared';
import type { ExtractionContext } from '../context.js';
import { instanceOrigin } from '../instances.js';
import { propertyName, stripCasts, type CallExpression, type NewExpression, type Node } from '../syntax.js';
import type { RecognizedCall } from './call.js';
import { attemptsFromRetries } from './retry-count.js';

export const LANGCHAIN_DEFAULT_RETRIES = 6;

/** Provider packages, and the legacy entry points of `langchain` itself. */
const PROVIDER_MODULE = /^(@langchain\/(openai|anthropic|google-genai|google-vertexai|mistralai|groq|ollama|cohere|aws|deepseek|xai)|langchain\/(chat_models|llms|embeddings)\/\w+)$/;
const MODEL_CLASS = /^(Chat\w+|\w*Embeddings|OpenAI|AzureOpenAI|Cohere|Ollama|Bedrock)$/;
const CALL_METHODS = new Set(['invoke', 'stream', 'batch', 'call', 'predict', 'predictMessages', 'generate', 'generatePrompt', 'streamEvents', 'embedQuery', 'embedDocuments']);

function isLangchainModel(node: NewExpression, context: ExtractionContext): boolean {
  const callee = stripCasts(node.callee);
  if (callee.type !== 'Identifier') return false;
  const declaration = context.index.lookup(callee.name, callee);
  if (declaration?.kind !== 'import') return false;
  return PROVIDER_MODULE.test(declaration.binding.module) && MODEL_CLASS.test(declaration.binding.imported);
}

export function recognizeLangchainModel(node: NewExpression, context: ExtractionContext): RetrySite | undefined {
  if (!isLangchainModel(node, context)) return undefined;
  const options = context.options(node, 0);
  const attempts = attemptsFromRetries(options, 'maxRetries', LANGCHAIN_DEFAULT_RETRIES);
  const slot = options.slot('maxRetries', 'retries');
  return makeSite(context.identity('client', 'langchain', node), {
    isAsync: known(true),
    attempts: {
      max: attempts ? known(attempts.value, attempts.span) : unknown('maxRetries not visible'),
      ...(attempts && attempts.span === undefined ? { libraryDefault: true } : {}),
      ...(slot ? { slot } : {}),
    },
  });
}

function modelConstruction(receiver: Node, context: ExtractionContext): NewExpression | undefined {
  const origin = instanceOrigin(receiver, context);
  if (origin?.kind !== 'created' || origin.node.type !== 'NewExpression') return undefined;
  return isLangchainModel(origin.node, context) ? origin.node : undefined;
}

export function recognizeLangchainCall(call: CallExpression, context: ExtractionContext): RecognizedCall | undefined {
  const callee = stripCasts(call.callee);
  if (callee.type !== 'MemberExpression') return undefined;
  const method = propertyName(callee.property, callee.computed);
  if (!method || !CALL_METHODS.has(method)) return undefined;
  const construction = modelConstruction(callee.object, context);
  if (!construction) return undefined;
  const options = context.options(construction, 0);
  const attempts = attemptsFromRetries(options, 'maxRetries', LANGCHAIN_DEFAULT_RETRIES);
  const slot = options.slot('maxRetries', 'retries');
  return {
    node: call,
    facts: makeCall(
      { kind: 'sdk', library: 'langchain', span: context.span(call) },
      {
        method: known('POST'),
        timeout: unknown('LangChain sets no timeout of its own'),
        streaming: known(method === 'stream' || method === 'streamEvents'),
        clientAttempts: attempts ? known(attempts.value) : unknown('options not visible'),
        ...(slot ? { clientRetriesSlot: slot } : {}),
        clientSpan: context.span(construction),
      },
    ),
    generic: false,
  };
}

/** Every HTTP / SDK call recognizer, tried in turn. */
import type { ExtractionContext } from '../context.js';
import type { CallExpression } from '../syntax.js';
import { recognizeSdkCall } from './ai-sdk.js';
import { recognizeAxios } from './axios.js';
import type { RecognizedCall } from './call.js';
import { recognizeFetch } from './fetch.js';
import { recognizeGot } from './got.js';
import { recognizeKy } from './ky.js';
import { recognizeLangchainCall } from './langchain.js';
import { recognizeOpenAiV3Call } from './openai-v3.js';
import { recognizeVercelAiCall } from './vercel-ai.js';

const RECOGNIZERS = [recognizeFetch, recognizeAxios, recognizeGot, recognizeKy, recognizeSdkCall, recognizeVercelAiCall, recognizeLangchainCall, recognizeOpenAiV3Call];

export function recognizeCall(call: CallExpression, context: ExtractionContext): RecognizedCall | undefined {
  return context.memo(`call:${call.range[0]}:${call.range[1]}`, () => {
    for (const recognize of RECOGNIZERS) {
      const recognized = recognize(call, context);
      if (recognized) return recognized;
    }
    return undefined;
  });
}

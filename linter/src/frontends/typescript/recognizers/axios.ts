/**
 * axios calls (`axios.get(url, config)`, `axios(config)`, instances from `axios.create`).
 * axios waits forever by default (`timeout: 0`). Whether the instance retries by itself
 * (axios-retry) is filled in by the axios-retry recognizer.
 */
import { known, makeCall, unknown, type Maybe, type TimeoutFacts } from '@retrylint/shared';
import type { ExtractionContext, Options } from '../context.js';
import { refersTo } from '../file-index.js';
import { moduleLinks } from '../cross-module.js';
import { instanceOrigin } from '../instances.js';
import { propertyName, stringValue, stripCasts, type CallExpression, type Node } from '../syntax.js';
import { axiosRetryAttempts } from './axios-retry.js';
import type { RecognizedCall } from './call.js';

const BODY_METHODS = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);
const NO_BODY_METHODS = new Set(['get', 'delete', 'head', 'options']);

const AXIOS_TYPES: ReadonlySet<string> = new Set(['AxiosInstance', 'AxiosStatic', 'Axios']);

/**
 * The axios instance an expression refers to: the default export or an `axios.create(...)`
 * result; in project mode also a parameter or field declared as an `AxiosInstance` (injected:
 * its configuration, timeout and retries, is the caller's).
 */
export function axiosInstance(expression: Node, context: ExtractionContext): { created?: CallExpression; injected?: true } | undefined {
  const node = stripCasts(expression);
  if (refersTo(context.index.importRef(node), ['axios'], 'default')) return {};
  const origin = instanceOrigin(node, context);
  if (origin?.kind !== 'created') {
    const declared = origin?.kind === 'import' ? undefined : moduleLinks()?.project?.declaredType(context, node, ['axios']);
    return declared?.module === 'axios' && AXIOS_TYPES.has(declared.name) ? { injected: true } : undefined;
  }
  if (origin.node.type !== 'CallExpression') return undefined;
  const creator = stripCasts(origin.node.callee);
  if (creator.type !== 'MemberExpression' || propertyName(creator.property, creator.computed) !== 'create') return undefined;
  return refersTo(context.index.importRef(creator.object), ['axios'], 'default') ? { created: origin.node } : undefined;
}

export function recognizeAxios(call: CallExpression, context: ExtractionContext): RecognizedCall | undefined {
  const callee = stripCasts(call.callee);
  let instance: { created?: CallExpression; injected?: true } | undefined;
  let method: string | undefined;
  let config: Options;
  if (callee.type === 'MemberExpression') {
    const name = propertyName(callee.property, callee.computed);
    if (!name || (!BODY_METHODS.has(name) && !NO_BODY_METHODS.has(name) && name !== 'request')) return undefined;
    instance = axiosInstance(callee.object, context);
    if (!instance) return undefined;
    if (name === 'request') {
      config = context.options(call, 0);
    } else {
      method = name.replace(/Form$/, '').toUpperCase();
      config = context.options(call, BODY_METHODS.has(name) ? 2 : 1);
    }
  } else {
    instance = axiosInstance(callee, context);
    if (!instance) return undefined;
    const first = call.arguments[0];
    config = first && stripCasts(first).type === 'ObjectExpression' ? context.options(call, 0) : context.options(call, 1);
  }
  if (!method) {
    const written = config.value('method');
    method = written ? stringValue(written)?.toUpperCase() : config.defaultsApply ? 'GET' : undefined;
  }
  const defaults = instance.created ? context.options(instance.created, 0) : undefined;
  const timeout = instance.injected && !config.has('timeout') ? unknown('the injected instance is configured by its caller') : axiosTimeout(config, defaults, context);
  const slot = config.slot('timeout', 'ms');
  const headers = config.value('headers');
  const retrying = instance.injected ? undefined : axiosRetryAttempts(instance, context);
  const retriesSlot = retrying ? context.options(retrying.call, 1).slot('retries', 'retries') : undefined;
  return {
    node: call,
    facts: makeCall(
      { kind: 'http', library: 'axios', span: context.span(call) },
      {
        method: method ? known(method) : unknown(),
        timeout,
        ...(slot && !config.has('timeout') ? { timeoutSlot: slot } : {}),
        streaming: config.value('responseType') && stringValue(config.value('responseType')) === 'stream' ? known(true) : unknown(),
        clientAttempts: instance.injected ? unknown() : retrying ? (retrying.attempts === undefined ? unknown() : known(retrying.attempts)) : known(1),
        ...(retrying ? { clientSpan: context.span(retrying.call) } : {}),
        ...(retriesSlot ? { clientRetriesSlot: retriesSlot } : {}),
      },
    ),
    ...(headers ? { headers } : {}),
    generic: true,
  };
}

function axiosTimeout(config: Options, defaults: Options | undefined, context: ExtractionContext): Maybe<TimeoutFacts> {
  for (const options of [config, defaults]) {
    if (!options) continue;
    if (options.has('timeout')) {
      const ms = context.evaluate.number(options.value('timeout'));
      if (ms === undefined) return unknown('computed timeout');
      return known(ms === 0 ? { kind: 'missing' } : { kind: 'explicit', ms });
    }
    if (!options.defaultsApply) return unknown();
  }
  // A global `axios.defaults.timeout = ...` somewhere would change this: see axiosDefaultsTouched.
  return axiosDefaultsTouched(context) ? unknown() : known({ kind: 'missing' });
}

function axiosDefaultsTouched(context: ExtractionContext): boolean {
  return context.memo('axios.defaults.timeout', () => /\.defaults\.timeout\s*=/.test(context.text));
}

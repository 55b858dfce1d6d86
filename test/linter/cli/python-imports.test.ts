import { describe, expect, it } from 'vitest';
import { mayContainRetryCode } from '../../../linter/src/cli/prefilter.js';
import { pythonCodeText } from '../../../linter/src/cli/python-code.js';
import { importedNames } from '../../../linter/src/cli/python-imports.js';

const namesOf = (text: string) => importedNames(pythonCodeText(text) ?? text);

describe('importedNames', () => {
  it('binds names as the frontend does', () => {
    const text = [
      'import os, urllib3.util',
      'import requests.adapters as ra',
      'from urllib3.util.retry import Retry, Timeout as T',
      'from httpx import (',
      '    Client,  # the sync one',
      '    AsyncClient,',
      ')',
      'if TYPE_CHECKING: import openai; from tenacity import retry',
      'from os import \\',
      '    path',
      '',
    ].join('\n');
    expect(namesOf(text)).toEqual([
      'os',
      'urllib3',
      'requests.adapters',
      'urllib3.util.retry.Retry',
      'urllib3.util.retry.Timeout',
      'httpx.Client',
      'httpx.AsyncClient',
      'openai',
      'tenacity.retry',
      'os.path',
    ]);
  });

  it('binds nothing for relative and star imports, and reads no import from comments or docstrings', () => {
    expect(namesOf('from . import requests\nfrom .sessions import Session\nfrom urllib3 import *\n"""import requests"""\n# import httpx\n')).toEqual([]);
  });

  it('gives up (undefined) on an import it cannot read, so the file is parsed', () => {
    expect(namesOf('x = "cannot import this: %s" % name\n')).toBeUndefined();
  });
});

describe('the Python prefilter reads imports for the names sites are made of', () => {
  it('keeps a file that imports a client, a module function or a retry class', () => {
    for (const line of ['import requests', 'from requests import get', 'from urllib3.util import Retry', 'import urllib3.util', 'from openai import OpenAI', 'from tenacity.stop import stop_after_attempt']) {
      expect(mayContainRetryCode(`${line}\n`, 'python'), line).toBe(true);
    }
  });

  it('drops a file whose imports bring in only exceptions and helpers of those libraries', () => {
    const text = ['from urllib3.exceptions import ProtocolError', 'from requests.structures import CaseInsensitiveDict', '', 'def headers(raw):', '    return CaseInsensitiveDict(raw)', ''].join('\n');
    expect(mayContainRetryCode(text, 'python')).toBe(false);
  });
});

/** `retrylint lab serve` as a user runs it: the built CLI in a child process, on 127.0.0.1. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { cliBin, makeProject, runCli } from '../../e2e/cli-harness.js';
import { LAB_MODES } from '../../../linter/src/lab/scenario.js';
import { labServer, MESSAGES } from './lab-harness.js';

interface Served {
  readonly url: string;
  /** Sends the signal; resolves with the exit code and everything written. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `retrylint lab serve --port 0 ...args` and waits for the line with its address. */
function serve(args: readonly string[], cwd: string): Promise<Served> {
  const child = spawn(process.execPath, [cliBin, 'lab', 'serve', '--port', '0', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data) => (stdout += data));
  child.stderr.on('data', (data) => (stderr += data));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no address within 10 s; stdout: ${stdout}; stderr: ${stderr}`));
    }, 10_000);
    const onData = () => {
      const match = /Retry Lab server on (http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        url: match[1],
        stop: async (signal) => {
          child.kill(signal);
          const code = await exited;
          return { code, stdout, stderr };
        },
      });
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening; stderr: ${stderr}`));
    });
  });
}

async function chat(url: string): Promise<number> {
  const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(MESSAGES) });
  await response.body.dump();
  return response.statusCode;
}

describe('retrylint lab serve', () => {
  it('plays a scenario file, logs each request, and prints a summary on Ctrl+C', async () => {
    const project = makeProject({
      'outage.json': JSON.stringify({ name: 'outage', steps: [{ scenario: 'server-errors', errors: 1, period: 1, requests: 2 }, { scenario: 'ok' }] }),
    });
    try {
      const served = await serve(['--scenario-file', 'outage.json', '--seed', '5'], project.dir);
      expect([await chat(served.url), await chat(served.url), await chat(served.url)]).toEqual([503, 503, 200]);
      const { code, stdout } = await served.stop('SIGINT');
      expect(code).toBe(0);
      const lines = stdout.split('\n');
      expect(lines[0]).toMatch(/^Retry Lab server on http:\/\/127\.0\.0\.1:\d+\/v1 \(scenario outage: server-errors -> ok; seed 5\)\. Ctrl\+C stops it\.$/);
      expect(lines.filter((line) => / POST \/v1\/chat\/completions /.test(line)).map((line) => line.split(' ').slice(3, 7).join(' '))).toEqual([
        '503 step 1 server-errors',
        '503 step 1 server-errors',
        '200 step 2 ok',
      ]);
      expect(stdout).toContain('SIGINT: stopping.\nRetry Lab summary: 3 request(s) in');
      expect(stdout).toContain('  by status: 200: 1, 503: 2\n  by scenario: ok: 1, server-errors: 2\n');
    } finally {
      project.dispose();
    }
  });

  it('stops on SIGTERM too, and checks --key', async () => {
    const served = await serve(['--scenario', 'ok', '--key', 'sk-lab'], process.cwd());
    expect(await chat(served.url)).toBe(401);
    const { code, stdout } = await served.stop('SIGTERM');
    expect(code).toBe(0);
    expect(stdout).toContain('key required');
    expect(stdout).toContain('rejected before the scenario (bad input, wrong key, unknown path): 1');
  });

  it('--limit and --window-ms set the rate limit of --scenario rate-limit', async () => {
    const served = await serve(['--scenario', 'rate-limit', '--limit', '1', '--window-ms', '600000'], process.cwd());
    expect([await chat(served.url), await chat(served.url)]).toEqual([200, 429]);
    const { stdout } = await served.stop('SIGINT');
    expect(stdout).toContain('429 rate-limit (over the limit 2/1)');
    expect(runCli(['lab', 'serve', '--scenario', 'hang', '--limit', '3'], process.cwd()).stderr).toBe('--limit and --window-ms apply to --scenario rate-limit or window-head\n');
  });

  it('a bad scenario file: exit code 2 and each problem with its line and column', () => {
    const project = makeProject({ 'bad.json': '{\n  "steps": [{ "scenario": "hang" }, { "scenario": "rate-limit", "limit": -1 }]\n}' });
    try {
      const run = runCli(['lab', 'serve', '--port', '0', '--scenario-file', 'bad.json'], project.dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('bad.json:2:74 steps[1].limit: expected an integer >= 0, found -1\n');
      const invalid = runCli(['lab', 'serve', '--port', '0', '--scenario-file', 'missing.json'], project.dir);
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toBe('missing.json:1:1 scenario file not found\n');
    } finally {
      project.dispose();
    }
  });

  it('usage errors: an unknown scenario, both scenario flags, a bad port, a port in use', async () => {
    const unknown = runCli(['lab', 'serve', '--scenario', 'rate-limt'], process.cwd());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^unknown scenario "rate-limt"; did you mean "rate-limit"\? \(one of: ok, rate-limit, /);
    expect(runCli(['lab', 'serve', '--scenario', 'ok', '--scenario-file', 'x.json'], process.cwd()).stderr).toBe('use --scenario or --scenario-file, not both\n');
    expect(runCli(['lab', 'serve', '--port', '70000'], process.cwd()).stderr).toBe('--port expects an integer from 0 to 65535, got "70000"\n');
    const busy = await labServer('ok');
    const taken = runCli(['lab', 'serve', '--port', String(busy.port)], process.cwd());
    expect(taken.code).toBe(2);
    expect(taken.stderr).toBe(`port ${busy.port} on 127.0.0.1 is in use: pick another with --port (0 picks a free one)\n`);
  });

  it('--help lists every scenario with one line each', () => {
    const help = runCli(['lab', 'serve', '--help'], process.cwd());
    expect(help.code).toBe(0);
    for (const mode of LAB_MODES) expect(help.stdout).toMatch(new RegExp(`^  ${mode} +\\S.*$`, 'm'));
  });
});

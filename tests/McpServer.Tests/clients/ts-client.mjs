// Drives the server through the official TypeScript SDK client and prints one JSON summary on stdout
// for the C# test to assert on. The client checks what a real agent's client checks: the protocol
// handshake, and every structuredContent against the tool's outputSchema (a mismatch is -32602).
//
// Usage: node ts-client.mjs '<config JSON>'
//   config: { transport: "stdio", command, args, cwd } | { transport: "http", url }
//           plus { source, scanPath } (a vulnerable C# snippet; a path under the workspace root)
//         | { transport: "discover", url }: only what a client without a token learns (see discover below)
//   env MCPSEC_TOKEN: the bearer token for HTTP (kept off the command line, where ps would show it).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { discoverOAuthProtectedResourceMetadata, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { checkResourceAllowed, resourceUrlFromServerUrl } from '@modelcontextprotocol/sdk/shared/auth-utils.js';

const config = JSON.parse(process.argv[2]);

// What the SDK's client does when a request without a token gets 401 (MCP authorization, RFC 9728):
// read resource_metadata from WWW-Authenticate, fetch the protected-resource metadata, and use it only
// if its resource names this server.
async function discover(url) {
  let found = {};
  try {
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    const challenge = extractWWWAuthenticateParams(answer);
    found = { status: answer.status, wwwAuthenticate: answer.headers.get('www-authenticate'), resourceMetadataUrl: challenge.resourceMetadataUrl?.href ?? null };
    const metadata = await discoverOAuthProtectedResourceMetadata(url, { resourceMetadataUrl: challenge.resourceMetadataUrl });
    const resourceAllowed = checkResourceAllowed({ requestedResource: resourceUrlFromServerUrl(url), configuredResource: metadata.resource });
    return { ...found, metadata, resourceAllowed };
  } catch (error) {
    return { ...found, error: String(error?.message ?? error) };
  }
}

function transportFor(settings) {
  if (settings.transport === 'stdio') {
    return new StdioClientTransport({
      command: settings.command,
      args: settings.args,
      cwd: settings.cwd,
      env: Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'MCPSEC_TOKEN')),
      stderr: 'inherit',
    });
  }

  return new StreamableHTTPClientTransport(new URL(settings.url), {
    requestInit: { headers: { Authorization: `Bearer ${process.env.MCPSEC_TOKEN}` } },
  });
}

function text(result) {
  return (result.content ?? []).filter((block) => block.type === 'text').map((block) => block.text).join('\n');
}

async function outcome(call) {
  try {
    const result = await call();
    const structured = result.structuredContent ?? null;
    // The text block repeats structuredContent as JSON; keep it only where it is the whole answer.
    return { threw: false, isError: result.isError === true, structured, text: structured === null ? text(result) : null };
  } catch (error) {
    return { threw: true, error: { code: error?.code ?? null, message: String(error?.message ?? error) } };
  }
}

async function exercise() {
  const client = new Client({ name: 'mcpsec-ts-client-test', version: '1.0.0' });
  await client.connect(transportFor(config));

  // listTools first: the client caches each tool's outputSchema here and validates results against it.
  const listed = await client.listTools();
  const call = (name, args) => outcome(() => client.callTool({ name, arguments: args }));

  const summary = {
    transport: config.transport,
    serverInfo: client.getServerVersion() ?? null,
    capabilities: client.getServerCapabilities() ?? null,
    tools: listed.tools.map((tool) => ({ name: tool.name, hasOutputSchema: tool.outputSchema !== undefined })),
    calls: {},
  };

  summary.calls.list_rules = await call('list_rules', {});
  summary.calls.explain_rule = await call('explain_rule', { id: 'mcpsec202' });
  summary.calls.explain_rule_unknown = await call('explain_rule', { id: 'NOPE' });
  summary.calls.scan_code = await call('scan_code', { source: config.source });
  summary.calls.fix_code = await call('fix_code', { source: config.source });
  summary.calls.scan_path = await call('scan_path', { path: config.scanPath });
  summary.calls.scan_path_escape = await call('scan_path', { path: '../' });
  summary.calls.run_program = await call('run_program', { program: 'echo', arguments: ['$(id)', ';', 'uname'] });
  summary.calls.run_program_refused = await call('run_program', { program: 'sh', arguments: ['-c', 'id'] });

  // Several requests in flight at once on one client (what SEP-1699's multiple streams are about).
  const concurrent = await Promise.allSettled([client.ping(), client.listTools(), client.callTool({ name: 'explain_rule', arguments: { id: 'MCPSEC201' } })]);
  summary.concurrent = concurrent.map((settled) => settled.status === 'fulfilled' ? 'ok' : String(settled.reason?.message ?? settled.reason));

  summary.ping = await outcome(async () => ({ content: [], structuredContent: await client.ping() }));

  await client.close();
  return summary;
}

const summary = config.transport === 'discover'
  ? { transport: 'discover', discovery: await discover(config.url) }
  : await exercise();
process.stdout.write(JSON.stringify(summary) + '\n');

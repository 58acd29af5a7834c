// The reference server of the throughput benchmark: the official TypeScript MCP SDK, written the way
// its documentation shows (createMcpExpressApp, StreamableHTTPServerTransport, requireBearerAuth), with
// one tool that answers what McpSecurity's explain_rule answers and HS256 JWT verification (jose).
//
//   node server.mjs --port 5190 --mode stateful|stateless [--json] --rule rule.json
//
// Loopback only. SECRET_KEY, the issuer and the audience are McpSecurity's (mcpsec / mcpsec-mcp), so one
// token works against both servers. The process stops itself when its parent goes away (stdin closes).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { jwtVerify } from 'jose';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string' },
    mode: { type: 'string', default: 'stateful' },
    json: { type: 'boolean', default: false },
    rule: { type: 'string' },
  },
});

const secret = process.env.SECRET_KEY;
if (!secret || secret.length < 32) {
  console.error('SECRET_KEY of at least 32 characters is required');
  process.exit(2);
}

const key = new TextEncoder().encode(secret);
const explanation = JSON.parse(readFileSync(options.rule, 'utf8'));
const enableJsonResponse = options.json;

function createServer() {
  const server = new McpServer({ name: 'reference', version: '1.0.0' });
  server.registerTool(
    'explain_rule',
    { description: 'Explains one rule.', inputSchema: { id: z.string() } },
    async ({ id }) => {
      const result = { ...explanation, id };
      return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
    });
  return server;
}

const verifier = {
  async verifyAccessToken(token) {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: 'mcpsec', audience: 'mcpsec-mcp' });
    return {
      token,
      clientId: String(payload.sub),
      scopes: String(payload.scope ?? '').split(' ').filter(Boolean),
      expiresAt: payload.exp,
    };
  },
};

const app = createMcpExpressApp({ host: '127.0.0.1' });
const auth = requireBearerAuth({ verifier, requiredScopes: ['mcp:tools'] });

if (options.mode === 'stateless') {
  // The SDK's stateless pattern: a new server and transport for every request.
  app.post('/mcp', auth, async (req, res) => {
    const server = createServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse });
    res.on('close', () => {
      transport.close();
      server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
} else {
  // The SDK's stateful pattern: one server and transport per session, found by Mcp-Session-Id.
  const transports = new Map();
  app.post('/mcp', auth, async (req, res) => {
    const sessionId = req.headers['mcp-session-id'];
    let transport = sessionId ? transports.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId || !isInitializeRequest(req.body)) {
        res.status(400).json({ jsonrpc: '2.0', error: { code: -32000, message: 'No valid session' }, id: null });
        return;
      }

      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse,
        onsessioninitialized: id => transports.set(id, transport),
      });
      transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
      await createServer().connect(transport);
    }

    await transport.handleRequest(req, res, req.body);
  });
}

const listener = app.listen(Number(options.port), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${options.port}/mcp (${options.mode}${enableJsonResponse ? ', json' : ', sse'})`);
});
process.stdin.on('end', () => {
  listener.close();
  process.exit(0);
});
process.stdin.resume();

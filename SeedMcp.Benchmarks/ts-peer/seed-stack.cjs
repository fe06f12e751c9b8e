// The seed's design in TypeScript: the like-for-like anchor for SeedMcp's full stack (issue 13). What a team would
// write today from the seed document with the usual Node libraries:
//   - the official MCP TypeScript SDK on Express, stateful Streamable HTTP sessions, one `echo` tool;
//   - OpenTelemetry's NodeSDK with getNodeAutoInstrumentations (fs off), OTLP/HTTP trace export, a parent-based
//     10 % trace-id ratio sampler, and a `tool.execute.<tool>` span with the seed's attributes (tool.name, user.id,
//     session.id) around each tool execution;
//   - bearer JWTs checked on every request against the provider's JWKS (jose, keys found through OpenID discovery);
//   - the session touched in Redis on every request (ioredis);
//   - a Redis rate limit per caller (rate-limiter-flexible, the common library for it);
//   - prom-client's http_request_duration_seconds histogram, served at /metrics.
// CommonJS on purpose: auto-instrumentation patches modules as they are `require`d, so the SDK starts first.
//
// Configuration (environment): PORT, AUTH_AUTHORITY (issuer; its /.well-known/openid-configuration names the JWKS),
// AUTH_AUDIENCE, REDIS_URL, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (full URL, .../v1/traces), OTEL_TRACES_SAMPLER_ARG
// (default 0.1), RATE_LIMIT_POINTS and RATE_LIMIT_WINDOW_SECONDS (per caller), SESSION_TTL_SECONDS.
'use strict';

const { NodeSDK } = require('@opentelemetry/sdk-node');
const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } = require('@opentelemetry/sdk-trace');

const sdk = new NodeSDK({
    serviceName: 'ts-seed-stack',
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(Number(process.env.OTEL_TRACES_SAMPLER_ARG ?? 0.1)) }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT }) })],
    instrumentations: [getNodeAutoInstrumentations({ '@opentelemetry/instrumentation-fs': { enabled: false } })],
});
sdk.start();

const { randomUUID } = require('node:crypto');
const { trace, SpanStatusCode } = require('@opentelemetry/api');
const z = require('zod');
const jose = require('jose');
const Redis = require('ioredis');
const { RateLimiterRedis } = require('rate-limiter-flexible');
const promClient = require('prom-client');
const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { StreamableHTTPServerTransport } = require('@modelcontextprotocol/sdk/server/streamableHttp.js');
const { createMcpExpressApp } = require('@modelcontextprotocol/sdk/server/express.js');
const { isInitializeRequest } = require('@modelcontextprotocol/sdk/types.js');

const port = Number(process.env.PORT ?? 3002);
const authority = required('AUTH_AUTHORITY');
const audience = required('AUTH_AUDIENCE');
const sessionTtlSeconds = Number(process.env.SESSION_TTL_SECONDS ?? 1800);
const tracer = trace.getTracer('ts-seed-stack');

const redis = new Redis(required('REDIS_URL'));
const rateLimiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'ratelimit',
    points: Number(process.env.RATE_LIMIT_POINTS ?? 100),
    duration: Number(process.env.RATE_LIMIT_WINDOW_SECONDS ?? 60),
});

const httpDuration = new promClient.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests in seconds',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

const transports = new Map();

function required(name) {
    const value = process.env[name];
    if (!value) {
        console.error(`${name} is required.`);
        process.exit(2);
    }
    return value;
}

function createServer() {
    const server = new McpServer({ name: 'ts-seed-stack', version: '1.0.0' });
    server.registerTool(
        'echo',
        { description: 'Returns the message it is given, unchanged.', inputSchema: { message: z.string() } },
        async ({ message }, extra) => tracer.startActiveSpan('tool.execute.echo', {
            attributes: {
                'tool.name': 'echo',
                'user.id': extra.authInfo?.extra?.sub ?? 'anonymous',
                'session.id': extra.sessionId ?? '',
            },
        }, span => {
            try {
                return { content: [{ type: 'text', text: message }] };
            } catch (error) {
                span.recordException(error);
                span.setStatus({ code: SpanStatusCode.ERROR });
                throw error;
            } finally {
                span.end();
            }
        }));
    return server;
}

async function main() {
    const discovery = await (await fetch(new URL('/.well-known/openid-configuration', authority))).json();
    const jwks = jose.createRemoteJWKSet(new URL(discovery.jwks_uri));
    const app = createMcpExpressApp();

    // Metrics first, so every response (401s and 429s too) is timed.
    app.use((req, res, next) => {
        const end = httpDuration.startTimer({ method: req.method });
        res.on('finish', () => end({ route: req.route?.path ?? req.path, status_code: res.statusCode }));
        next();
    });

    app.get('/health', (_req, res) => res.send('Healthy'));
    app.get('/metrics', async (_req, res) => {
        res.set('Content-Type', promClient.register.contentType);
        res.end(await promClient.register.metrics());
    });

    // Bearer JWT, checked against the JWKS on every request (signature, issuer, audience, lifetime).
    const authenticate = async (req, res, next) => {
        const header = req.headers.authorization ?? '';
        if (!header.startsWith('Bearer ')) {
            res.status(401).set('WWW-Authenticate', 'Bearer').end();
            return;
        }
        const token = header.slice(7);
        try {
            const { payload } = await jose.jwtVerify(token, jwks, { issuer: discovery.issuer ?? authority, audience, algorithms: ['RS256'] });
            req.auth = { token, clientId: String(payload.client_id ?? payload.sub), scopes: String(payload.scope ?? '').split(' '), extra: { sub: payload.sub } };
            next();
        } catch {
            res.status(401).set('WWW-Authenticate', 'Bearer error="invalid_token"').end();
        }
    };

    // One Redis rate limit per caller.
    const limit = async (req, res, next) => {
        try {
            await rateLimiter.consume(req.auth.extra.sub);
            next();
        } catch (rejection) {
            if (rejection instanceof Error) {
                next(rejection);
                return;
            }
            res.status(429).set('Retry-After', String(Math.ceil(rejection.msBeforeNext / 1000))).end();
        }
    };

    app.post('/mcp', authenticate, limit, async (req, res) => {
        const sessionId = req.headers['mcp-session-id'];
        let transport = sessionId ? transports.get(sessionId) : undefined;
        if (!transport) {
            if (sessionId || !isInitializeRequest(req.body)) {
                res.status(404).json({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
                return;
            }
            transport = new StreamableHTTPServerTransport({
                sessionIdGenerator: () => randomUUID(),
                onsessioninitialized: async id => {
                    transports.set(id, transport);
                    await redis.set(`session:${id}`, JSON.stringify({ user: req.auth.extra.sub, created: Date.now() }), 'EX', sessionTtlSeconds);
                },
            });
            transport.onclose = () => {
                if (transport.sessionId) {
                    transports.delete(transport.sessionId);
                    redis.del(`session:${transport.sessionId}`).catch(() => {});
                }
            };
            await createServer().connect(transport);
        } else if (await redis.expire(`session:${sessionId}`, sessionTtlSeconds) !== 1) {
            // Touched in Redis on every request: a session Redis has forgotten is over.
            transports.delete(sessionId);
            res.status(404).json({ jsonrpc: '2.0', error: { code: -32001, message: 'Session expired' }, id: null });
            return;
        }
        await transport.handleRequest(req, res, req.body);
    });

    app.delete('/mcp', authenticate, async (req, res) => {
        const transport = transports.get(req.headers['mcp-session-id']);
        if (!transport) {
            res.status(404).end();
            return;
        }
        await transport.handleRequest(req, res);
    });

    app.listen(port, '127.0.0.1', () => console.log(`ts-seed-stack listening on http://127.0.0.1:${port}/mcp`));
}

const shutdown = () => sdk.shutdown().finally(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

main().catch(error => {
    console.error(error);
    process.exit(1);
});

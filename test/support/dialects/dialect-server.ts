/**
 * An HTTP server that speaks one provider's dialect byte for byte (test/support/dialects/
 * dialects.ts holds the table). Unlike scripted-server.ts, which speaks clean OpenAI, every byte
 * here is written by the dialect: its SSE framing, line ends, comments, chunk shapes and error
 * bodies. The conversation is the same for all: the "read a file, then answer" task, decided
 * from the request itself (a request carrying a tool result gets the answer), so retries and
 * adapted re-sends are answered as the real server would.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatRequestBody } from '../scripted-server';

/** What the dialect sends back for one request. */
export interface DialectReply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Written as it is; a list is written piece by piece (a streamed reply). */
  readonly body: string | readonly string[];
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: ChatRequestBody;
}

export interface DialectContext {
  /** Chat requests this server answered before this one. */
  readonly index: number;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
}

export interface Dialect {
  readonly name: string;
  /** The quirk in a line, for test names. */
  readonly quirk: string;
  /** Where the bytes come from (the provider's docs or issue tracker). */
  readonly source: string;
  /** Path the client's base URL ends in (default `/v1`). */
  readonly basePath?: string;
  /** Extra client options a user of this provider sets (Azure's header and api-version). */
  readonly client?: { readonly headers?: Record<string, string>; readonly query?: Record<string, string> };
  /** Other routes the real server has (`GET /v1/models`, Ollama's `/api/show`, llama.cpp's `/props`). */
  readonly routes?: Readonly<Record<string, (body: unknown) => DialectReply>>;
  reply(request: ChatRequestBody, context: DialectContext): DialectReply;
}

export interface DialectServer {
  readonly baseURL: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

export async function startDialectServer(dialect: Dialect): Promise<DialectServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let chatIndex = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) write(res, { status: 500, body: `dialect server failed: ${String(error)}` });
      else res.destroy();
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
    const parsed = raw ? (JSON.parse(raw) as unknown) : undefined;
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: (parsed ?? {}) as ChatRequestBody });
    const extra = dialect.routes?.[route];
    if (extra) return write(res, extra(parsed));
    if (req.method === 'POST' && url.pathname.endsWith('/chat/completions')) {
      return write(res, dialect.reply(parsed as ChatRequestBody, { index: chatIndex++, url, headers: req.headers }));
    }
    write(res, { status: 404, body: '404 page not found' });
  }
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}${dialect.basePath ?? '/v1'}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function write(res: ServerResponse, reply: DialectReply): Promise<void> {
  const streamed = Array.isArray(reply.body);
  res.writeHead(reply.status ?? 200, {
    'content-type': streamed ? 'text/event-stream' : 'application/json',
    ...reply.headers,
  });
  if (!Array.isArray(reply.body)) return void res.end(reply.body);
  for (const piece of reply.body as readonly string[]) {
    res.write(piece);
    // A pause between pieces, so the client reads them as separate network reads.
    await sleep(1);
  }
  res.end();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

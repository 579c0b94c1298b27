/**
 * `npm run serve -- [--out DIR] [--port N]`: the archive site and the reader's pages on localhost, with
 * no AWS. It serves `<out>/site/` with the headers CloudFront adds, and answers the sign-up, confirm,
 * preference and unsubscribe flows against the local stores in `<out>/` (confirmation mail goes to
 * `<out>/outbox/` as .eml), through the same request handling as the reader Lambda.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { FsSubscriberStore } from './adapters/fs-store.ts';
import { DEFAULT_SERVE_PORT, localBriefingConfig } from './adapters/local-briefing-config.ts';
import { OutboxMailer } from './adapters/outbox-mailer.ts';
import { handleReaderRequest, MAX_FORM_BYTES, type ReaderRequest } from './app/reader-flows.ts';
import { DEFAULTS } from './contracts.ts';
import type { ReaderPage } from './core/render/reader-pages.ts';
import { signingKeysFrom } from './core/signing-keys.ts';
import { SITE_SECURITY_HEADERS } from './core/site/headers.ts';
import { createUnsubscribeHandler } from './handlers/unsubscribe.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.xml': 'application/atom+xml; charset=utf-8',
  '.json': 'application/feed+json; charset=utf-8',
};

export type ReaderHandler = (request: ReaderRequest) => Promise<ReaderPage | null>;

/** Bodies are read up to this many bytes and no further (the endpoint answers 413 beyond it). */
export const MAX_LOCAL_BODY_BYTES = MAX_FORM_BYTES;

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_LOCAL_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { ...SITE_SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
  response.end('Not found. The briefings are listed at /.\n');
}

async function serveFile(
  siteDir: string,
  pathname: string,
  response: ServerResponse,
  head: boolean,
): Promise<void> {
  const relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  const path = resolve(siteDir, `.${relative}`);
  if (!path.startsWith(siteDir + sep) || relative.includes('\0')) return notFound(response);
  const type = CONTENT_TYPES[extname(path)];
  if (!type) return notFound(response);
  try {
    if (!(await stat(path)).isFile()) return notFound(response);
    const body = await readFile(path);
    response.writeHead(200, { ...SITE_SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache' });
    response.end(head ? undefined : body);
  } catch {
    notFound(response);
  }
}

export interface LocalServerOptions {
  readonly outDir: string;
  readonly reader?: ReaderHandler;
}

export function createLocalServer(options: LocalServerOptions): Server {
  const siteDir = resolve(options.outDir, 'site');
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    void (async () => {
      const body = method === 'POST' ? await readBody(request) : '';
      const answer = options.reader
        ? await options.reader({
            method,
            path: url.pathname,
            query: url.searchParams,
            contentType: request.headers['content-type'] ?? '',
            body,
          })
        : null;
      if (answer) {
        response.writeHead(answer.status, { ...answer.headers });
        response.end(answer.body);
        if (body === null) request.resume();
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') {
        response.writeHead(405, {
          ...SITE_SECURITY_HEADERS,
          allow: 'GET, HEAD',
          'content-type': 'text/plain',
        });
        response.end('Method not allowed.\n');
        return;
      }
      await serveFile(siteDir, url.pathname, response, method === 'HEAD');
    })().catch((error: unknown) => {
      process.stderr.write(`news-digest serve: ${(error as Error).stack ?? String(error)}\n`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Something went wrong; see the server log.\n');
    });
  });
}

/**
 * The reader flows against the local stores: subscribers in `<out>/subscribers.json`, mail in
 * `<out>/outbox/`, links signed with the local key, pages linking back to `baseUrl`.
 */
export async function localReader(outDir: string, baseUrl: string, secret: string): Promise<ReaderHandler> {
  const config = await localBriefingConfig();
  const subscribers = new FsSubscriberStore(outDir);
  const unsubscribe = createUnsubscribeHandler({
    subscribers,
    secret: async () => secret,
    brand: { name: config.brandName, accentColor: config.accentColor },
  });
  const deps = {
    subscribers,
    mailer: new OutboxMailer(join(outDir, 'outbox')),
    keys: async () => signingKeysFrom(secret),
    unsubscribeSecret: async () => secret,
    config,
    baseUrl,
    defaults: { timeZone: DEFAULTS.scheduleTimeZone, hour: DEFAULTS.scheduleHour },
    timeZones: Intl.supportedValuesOf('timeZone'),
    now: () => new Date(),
    log: (message: string) => process.stdout.write(`${message}\n`),
  };
  return async (request) => {
    if (request.path === '/unsubscribe') {
      const result = await unsubscribe({
        requestContext: { http: { method: request.method } },
        queryStringParameters: Object.fromEntries(request.query),
        body: request.body ?? '',
        headers: {},
      } as never);
      if (typeof result === 'string') return { status: 200, headers: {}, body: result };
      return {
        status: result.statusCode ?? 200,
        headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
        body: result.body ?? '',
      };
    }
    return handleReaderRequest(deps, request);
  };
}

export async function runServe(argv: string[], secret: string): Promise<Server> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, port: { type: 'string' } },
    strict: true,
  });
  const port = values.port === undefined ? DEFAULT_SERVE_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, not "${values.port}".`);
  }
  const outDir = resolve(values.out ?? 'out');
  // The reader's links name the port actually bound (--port 0 picks a free one).
  let reader: ReaderHandler | null = null;
  const server = createLocalServer({ outDir, reader: async (request) => (reader ? reader(request) : null) });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', done);
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  reader = await localReader(outDir, `http://localhost:${actual}`, secret);
  process.stdout.write(
    `Serving ${join(outDir, 'site')} and the reader pages at http://localhost:${actual}/\n`,
  );
  return server;
}

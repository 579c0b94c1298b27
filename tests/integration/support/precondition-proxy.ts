/**
 * A small HTTP proxy in front of s3rver that enforces S3's conditional writes, which s3rver ignores
 * (DESIGN.md §5): PUT with `If-None-Match: *` fails with 412 when the object exists, and PUT with
 * `If-Match: <etag>` fails with 412 when the current ETag differs. Requests to one key are serialised,
 * so the check and the write are atomic, and no reader sees a half-written object, as in S3.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const PRECONDITION_FAILED_XML =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>';

/**
 * The current ETag of an object, or null when it does not exist. Sent unsigned: the client's signature
 * covers its PUT, and s3rver would refuse it on a HEAD (s3rver serves anonymous requests).
 */
function headEtag(target: URL, path: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path, method: 'HEAD' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? String(res.headers.etag ?? '') : null);
    });
    req.on('error', reject);
    req.end();
  });
}

function forward(target: URL, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
        upstreamRes.on('end', resolve);
        upstreamRes.on('error', () => {
          res.destroy();
          resolve();
        });
      },
    );
    upstream.on('error', (error) => {
      // s3rver sometimes sends stray bytes after a complete response, which Node reports as a parse
      // error on a response already relayed. The client has its answer (or sees a reset and retries,
      // as against S3); writing a 502 then would throw ERR_HTTP_HEADERS_SENT and kill the test run.
      if (res.headersSent) {
        res.destroy();
      } else {
        res.writeHead(502);
        res.end(String(error));
      }
      resolve();
    });
    upstream.end(body);
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Per-key queue: conditional writes to the same key run one at a time. */
const keyLocks = new Map<string, Promise<void>>();

async function withKeyLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = keyLocks.get(key) ?? Promise.resolve();
  let release!: () => void;
  const current = new Promise<void>((resolve) => {
    release = resolve;
  });
  keyLocks.set(
    key,
    previous.then(() => current),
  );
  await previous;
  try {
    return await work();
  } finally {
    release();
  }
}

export async function startPreconditionProxy(upstreamUrl: string): Promise<{ url: string; server: Server }> {
  const target = new URL(upstreamUrl);
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(502);
        res.end(String(error));
      }
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const ifNoneMatch = req.headers['if-none-match'];
    const ifMatch = req.headers['if-match'];
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method !== 'PUT' || (ifNoneMatch === undefined && ifMatch === undefined)) {
      // s3rver writes objects in place, so a GET during a PUT can read half a file; S3 never shows a
      // torn object. Serialising each key's requests gives the emulator S3's atomicity.
      await withKeyLock(path, () => forward(target, req, res, body));
      return;
    }
    await withKeyLock(path, async () => {
      const current = await headEtag(target, path);
      const fails =
        (ifNoneMatch === '*' && current !== null) ||
        (ifMatch !== undefined &&
          (current === null || current.replace(/"/g, '') !== ifMatch.replace(/"/g, '')));
      if (fails) {
        res.writeHead(412, { 'content-type': 'application/xml' });
        res.end(PRECONDITION_FAILED_XML);
        return;
      }
      const headers = { ...req.headers };
      delete headers['if-none-match'];
      delete headers['if-match'];
      await forward(target, { ...req, headers } as IncomingMessage, res, body);
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

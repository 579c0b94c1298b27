/**
 * Fault injection for the integration tests: real SDK clients talking to the real emulators, with a
 * middleware that fails chosen requests before they leave the process. Everything that is not a fault
 * goes through to s3rver / aws-ses-v2-local / dynalite untouched.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { SESClient, SESServiceException } from '@aws-sdk/client-ses';

export interface Request {
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/** Returns an error to throw for this request, or null to let it through. */
export type FaultRule = (request: Request) => Error | null;

type Next = (args: { input: unknown }) => Promise<never>;

/** An initialize-step middleware that throws the first error a rule returns for the request. */
function faultMiddleware(rules: FaultRule[]) {
  return (next: Next, context: { commandName?: string }) => async (args: { input: unknown }) => {
    const request = { command: context.commandName ?? '', input: args.input as Record<string, unknown> };
    for (const rule of rules) {
      const error = rule(request);
      if (error) throw error;
    }
    return next(args);
  };
}

const STEP = { step: 'initialize', name: 'faultInjection' } as const;

/** An S3 client for the local emulator whose requests first pass through `rules`. */
export function faultyS3(rules: FaultRule[]): S3Client {
  const client = new S3Client({ forcePathStyle: true });
  client.middlewareStack.add(faultMiddleware(rules) as never, STEP);
  return client;
}

/** An SES client for the local emulator (`endpoint`, else AWS_ENDPOINT_URL_SES) whose requests first pass through `rules`. */
export function faultySes(rules: FaultRule[], endpoint?: string): SESClient {
  const client = new SESClient(endpoint ? { endpoint } : {});
  client.middlewareStack.add(faultMiddleware(rules) as never, STEP);
  return client;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A private aws-ses-v2-local for one test file. The shared one's /store is read (and cleared) by other
 * test files running in parallel, so mail sent here must not land there.
 */
export async function startPrivateSes(): Promise<{ endpoint: string; stop(): void }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      join(process.cwd(), 'node_modules/aws-ses-v2-local/dist/cli.js'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`aws-ses-v2-local exited with code ${child.exitCode}.`);
    try {
      await fetch(`${endpoint}/health-check`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`aws-ses-v2-local did not answer at ${endpoint}.`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { endpoint, stop: () => child.kill() };
}

/** A DynamoDB client for the local emulator whose requests first pass through `rules`. */
export function faultyDynamo(rules: FaultRule[]): DynamoDBClient {
  const client = new DynamoDBClient({});
  client.middlewareStack.add(faultMiddleware(rules) as never, STEP);
  return client;
}

/** What DynamoDB answers under load: throttling (400) or an internal error (500). */
export function dynamoError(name = 'ThrottlingException', status = 400): DynamoDBServiceException {
  return new DynamoDBServiceException({
    name,
    message: `${name}: injected fault`,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

export function s3ServerError(name = 'SlowDown', status = 503): S3ServiceException {
  return new S3ServiceException({
    name,
    message: `${name}: injected fault`,
    $fault: 'server',
    $metadata: { httpStatusCode: status },
  });
}

export function sesError(name: string, message: string, status = 400): SESServiceException {
  return new SESServiceException({
    name,
    message,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** A rule that fires for the first `times` matching requests only (then the dependency "recovers"). */
export function times(count: number, rule: FaultRule): FaultRule {
  let left = count;
  return (request) => {
    if (left <= 0) return null;
    const error = rule(request);
    if (error) left--;
    return error;
  };
}

/** A switch to turn a rule off once the test has seen the fault (the operator "fixed" it). */
export function switchable(rule: FaultRule): { rule: FaultRule; off(): void } {
  let on = true;
  return { rule: (request) => (on ? rule(request) : null), off: () => (on = false) };
}

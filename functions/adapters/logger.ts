/** Structured JSON logs (Powertools) with every email address redacted before it is written. */
import { Logger } from '@aws-lambda-powertools/logger';
import { redactingJsonReplacer } from '../core/redact.ts';

export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, jsonReplacerFn: redactingJsonReplacer });
}

/**
 * A fresh item table on dynalite for one test file, made with the key schema the stack gives the real
 * one (functions/contracts.ts), and the environment that points the functions at it.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { ENV_NAMES } from '../../../functions/contracts.ts';
import { createItemTable } from '../../support/emulator-processes.ts';

export interface LocalItemTable {
  readonly table: string;
  readonly client: DynamoDBClient;
}

export async function useItemTable(): Promise<LocalItemTable> {
  const endpoint = inject('dynamoEndpoint');
  const table = `items-${randomUUID().slice(0, 8)}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'DYNALITE',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'DYNALITE',
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    [ENV_NAMES.itemTableName]: table,
  });
  const client = new DynamoDBClient({ endpoint });
  await createItemTable(client, table);
  return { table, client };
}

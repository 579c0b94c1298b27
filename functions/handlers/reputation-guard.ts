/**
 * Reputation guard: the bounce-rate and complaint-rate alarms invoke it (a CloudWatch alarm Lambda
 * action). When an alarm enters ALARM it sets the sending pause, which every send function reads before
 * sending; it never clears it: an operator resumes once the cause is understood (README runbook).
 */
import { env } from '../adapters/env.ts';
import { createLogger } from '../adapters/logger.ts';
import { S3SendingPause } from '../adapters/s3-sending-pause.ts';
import type { SendingPause } from '../ports.ts';

const logger = createLogger('news-digest-reputation-guard');

/** The part of CloudWatch's alarm-action event the guard reads. */
export interface AlarmEvent {
  readonly alarmData?: {
    readonly alarmName?: string;
    readonly state?: { readonly value?: string; readonly reason?: string };
  };
}

export function createReputationGuardHandler(deps: {
  readonly pause: SendingPause;
  readonly now?: () => Date;
}) {
  return async (event: AlarmEvent): Promise<{ paused: boolean }> => {
    const name = event.alarmData?.alarmName ?? 'an unnamed alarm';
    const state = event.alarmData?.state?.value;
    if (state !== 'ALARM') {
      logger.info('Reputation alarm changed state; sending stays as it is', { alarm: name, state });
      return { paused: false };
    }
    const reason = `${name} fired: ${event.alarmData?.state?.reason ?? 'no reason given'}`.slice(0, 1000);
    await deps.pause.pause(reason, deps.now?.() ?? new Date());
    logger.warn('Sending paused by the reputation guard', { alarm: name });
    return { paused: true };
  };
}

let defaultHandler: ReturnType<typeof createReputationGuardHandler> | undefined;

export const handler = (event: AlarmEvent) => {
  defaultHandler ??= createReputationGuardHandler({ pause: new S3SendingPause(env.bucketName()) });
  return defaultHandler(event);
};

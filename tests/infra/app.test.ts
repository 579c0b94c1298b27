/**
 * infra/app.ts as the CDK CLI runs it (a subprocess given CDK_CONTEXT_JSON and CDK_OUTDIR), with bundling
 * and the built-in CloudFormation validation skipped: the cdk.json configuration synthesises a clean stack, and a bad value stops it with a clear message.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/paths.ts';

function cdkJsonContext(): Record<string, unknown> {
  return (
    JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
  ).context;
}

function runApp(extraContext: Record<string, unknown>) {
  const outdir = mkdtempSync(join(tmpdir(), 'news-digest-app-'));
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      // The built-in CloudFormation schema validation costs ~20 s of CPU per synth; `cdk synth` keeps it.
      CDK_VALIDATION: 'false',
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({
        ...cdkJsonContext(),
        'aws:cdk:bundling-stacks': [],
        ...extraContext,
      }),
    },
  });
  return { ...result, outdir };
}

describe('infra/app.ts', () => {
  it('synthesises the NewsDigest stack from cdk.json, cdk-nag clean, and flags the shipped placeholders', () => {
    const run = runApp({});
    expect(run.stderr).not.toMatch(/ValidationFailed|Error/);
    expect(run.status).toBe(0);
    const template = JSON.parse(readFileSync(join(run.outdir, 'NewsDigest.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: { Runtime?: string } }>;
    };
    const runtimes = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Runtime?.startsWith('nodejs'))
      .map((r) => r.Properties.Runtime);
    expect(runtimes).toHaveLength(9);
    const report = JSON.parse(readFileSync(join(run.outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: unknown[];
    };
    expect(report.pluginReports).toEqual([]);
    expect(run.stderr).toContain('senderAddress briefing@example.com is a placeholder');
    expect(run.stderr).toContain('postalAddress is a placeholder');
  });

  it('stops before synth on an invalid value, naming the key and the fix', () => {
    const run = runApp({ 'newsDigest.scheduleHour': '25' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Invalid configuration newsDigest.scheduleHour');
    expect(run.stderr).toContain('Fix: -c newsDigest.scheduleHour=7');
    expect(existsSync(join(run.outdir, 'NewsDigest.template.json'))).toBe(false);
  });

  it('takes -c overrides over cdk.json and stays quiet when no placeholder is left', () => {
    const run = runApp({
      'newsDigest.senderAddress': 'briefing@news.example.co.uk',
      'newsDigest.postalAddress': '1 High Street, London N1 1AA',
      'newsDigest.scheduleHour': '6',
    });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain('placeholder');
    const template = readFileSync(join(run.outdir, 'NewsDigest.template.json'), 'utf8');
    expect(template).toMatch(/"SCHEDULE_HOUR": "6"/);
    expect(template).toContain('briefing@news.example.co.uk');
  });
});

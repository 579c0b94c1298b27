/** Builds the stack the way the infra tests need it: no bundling, no CloudFormation validation, cdk-nag on. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONFIG_CONTEXT_KEY, type DigestConfig, parseConfig } from '../../functions/core/deploy-config.ts';
import { DigestStack } from '../../infra/digest-stack.ts';
import {
  HANDLER_ENTRIES,
  HANDLER_NAMES,
  type HandlerEntries,
  missingHandlerEntries,
  REPO_ROOT,
} from '../../infra/paths.ts';

export const BASE_CONFIG = {
  senderAddress: 'briefing@news.example.org',
  postalAddress: '1 High Street, London N1 1AA',
  initialSubscribers: ['ana@example.org', 'bo@example.org'],
};

/** The feature flags of cdk.json, so that tests synthesise what `cdk synth` synthesises. */
export function cdkJsonFeatureFlags(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return Object.fromEntries(Object.entries(cdkJson.context).filter(([key]) => key !== CONFIG_CONTEXT_KEY));
}

const STUB_ENTRY = join(import.meta.dirname, 'fixtures', 'stub-handler.ts');

/**
 * The real handlers once they exist; until the lead has written all of them, a stub entry stands in
 * (DigestFunction checks that the entry file exists even when bundling is skipped).
 */
export function testEntries(): HandlerEntries {
  if (missingHandlerEntries().length === 0) return HANDLER_ENTRIES;
  return Object.fromEntries(HANDLER_NAMES.map((name) => [name, STUB_ENTRY])) as unknown as HandlerEntries;
}

export interface Synthesised {
  readonly stack: DigestStack;
  readonly template: Template;
  /** cdk-nag's findings that survived the acknowledgements, from the policy validation report. */
  readonly violations: Violation[];
  readonly config: DigestConfig;
}

/** Every acknowledgement recorded in the stack: where, which rule, and the reason given. */
export function acknowledgements(stack: DigestStack): { path: string; id: string; reason: string }[] {
  return stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

export interface Violation {
  readonly ruleName: string;
  readonly severity: string;
  readonly description: string;
  readonly resources: string[];
}

interface ValidationReport {
  pluginReports?: {
    violations?: {
      ruleName: string;
      severity?: string;
      description: string;
      violatingConstructs?: { constructPath?: string }[];
      violatingResources?: { constructPath?: string; resourceLogicalId?: string }[];
    }[];
  }[];
}

/**
 * Synthesise the stack with `overrides` on top of BASE_CONFIG. `extend` may add constructs before synth
 * (used to prove that the cdk-nag checks really run). Throws when cdk-nag reports an unacknowledged error.
 */
export function synthesise(
  overrides: Record<string, unknown> = {},
  extend?: (stack: DigestStack) => void,
): Synthesised {
  const config = parseConfig({ ...BASE_CONFIG, ...overrides });
  const outdir = mkdtempSync(join(tmpdir(), 'news-digest-cdk-'));
  const app = new App({
    outdir,
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonFeatureFlags(), 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new DigestStack(app, 'NewsDigestTest', {
    config,
    handlerEntries: testEntries(),
    env: { account: '123456789012', region: 'eu-west-2' },
  });
  extend?.(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  const template = Template.fromJSON(assembly.getStackByName(stack.stackName).template);
  return { stack, template, violations: readViolations(assembly.directory), config };
}

function readViolations(dir: string): Violation[] {
  let report: ValidationReport;
  try {
    report = JSON.parse(readFileSync(join(dir, 'validation-report.json'), 'utf8')) as ValidationReport;
  } catch {
    return [];
  }
  return (report.pluginReports ?? []).flatMap((plugin) =>
    (plugin.violations ?? []).map((v) => ({
      ruleName: v.ruleName,
      severity: v.severity ?? 'unknown',
      description: v.description,
      resources: [...(v.violatingConstructs ?? []), ...(v.violatingResources ?? [])].map(
        (r) => r.constructPath ?? ('resourceLogicalId' in r ? String(r.resourceLogicalId) : '?'),
      ),
    })),
  );
}

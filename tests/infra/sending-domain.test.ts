/**
 * The sending domain in the template: an SES domain identity with Easy DKIM (RSA 2048) and a custom MAIL
 * FROM, the configuration set (suppression for bounces and complaints, reputation metrics), every DNS
 * record as an output, and the records themselves in Route 53 when a hosted zone is configured.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesise } from './synth.ts';

describe('sending domain', () => {
  const synth = synthesise();
  const outputs = synth.template.toJSON().Outputs as Record<string, { Value: unknown }>;
  const outputText = (suffix: string) =>
    JSON.stringify(Object.entries(outputs).find(([id]) => id.endsWith(suffix))?.[1]?.Value ?? null);

  it('is a domain identity signed with Easy DKIM RSA 2048, with MAIL FROM mail.<domain>, using the configuration set', () => {
    synth.template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'news.example.org',
      DkimAttributes: { SigningEnabled: true },
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      MailFromAttributes: {
        MailFromDomain: 'mail.news.example.org',
        BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
      },
      ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
    });
  });

  it('has a configuration set that suppresses bounces and complaints and keeps reputation metrics', () => {
    synth.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    // Every send names it.
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SES_CONFIGURATION_SET: Match.anyValue() }) },
    });
  });

  it('outputs the three DKIM CNAMEs, the MAIL FROM MX and SPF TXT and a report-only DMARC TXT', () => {
    for (const n of [1, 2, 3]) expect(outputText(`DkimRecord${n}`)).toContain('CNAME');
    expect(outputText('MailFromMxRecord')).toContain(
      'mail.news.example.org MX 10 feedback-smtp.eu-west-2.amazonses.com',
    );
    expect(outputText('MailFromSpfRecord')).toContain('v=spf1 include:amazonses.com ~all');
    expect(outputText('DmarcRecord')).toContain('_dmarc.news.example.org TXT');
    expect(outputText('DmarcRecord')).toContain('v=DMARC1; p=none; rua=mailto:briefing@news.example.org');
    synth.template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  it('creates every record in the configured Route 53 hosted zone', () => {
    const zoned = synthesise({ hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    const records = Object.values(zoned.template.findResources('AWS::Route53::RecordSet')).map(
      (r) => (r as { Properties: { Type: string; Name: string } }).Properties,
    );
    expect(records.map((r) => r.Type).sort()).toEqual(['CNAME', 'CNAME', 'CNAME', 'MX', 'TXT', 'TXT']);
    expect(
      records
        .filter((r) => r.Type === 'TXT')
        .map((r) => r.Name)
        .sort(),
    ).toEqual(['_dmarc.news.example.org.', 'mail.news.example.org.']);
    for (const r of records) expect(JSON.stringify(r)).toContain('Z0123456789ABCDEFGHIJ');
  });

  it('refuses a sender domain that would not align with the From address', () => {
    expect(() => synthesise({ senderDomain: 'other.example.com' })).toThrow(
      /newsDigest\.senderDomain.*not the domain of senderAddress/,
    );
    expect(() => synthesise({ hostedZoneId: 'not-a-zone' })).toThrow(/newsDigest\.hostedZoneId/);
  });
});

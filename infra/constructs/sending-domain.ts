/**
 * The sending domain: an SES domain identity signed with Easy DKIM (RSA 2048) and a custom MAIL FROM
 * subdomain, so SPF and DKIM both align with the From domain (what Gmail and Yahoo require of bulk
 * senders since 2024), and the configuration set every send names: SES's suppression list for bounces
 * and complaints, and reputation metrics for the guard's alarms.
 *
 * The stack outputs each DNS record the operator publishes (DKIM CNAMEs, MAIL FROM MX and SPF TXT, a
 * report-only DMARC TXT); with a Route 53 hosted zone it creates them itself.
 */
import { Annotations, CfnOutput, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { suggestedDmarc } from '../../functions/core/mail-domain-config.ts';

export interface SendingDomainProps {
  readonly senderDomain: string;
  readonly mailFromDomain: string;
  /** A Route 53 public hosted zone for `senderDomain`; absent: the records are outputs to publish by hand. */
  readonly hostedZoneId?: string;
  /** Where DMARC aggregate reports go (the suggested record's rua). */
  readonly dmarcReportAddress: string;
}

export class SendingDomain extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;

  constructor(scope: Construct, id: string, props: SendingDomainProps) {
    super(scope, id);
    const zone =
      props.hostedZoneId === undefined
        ? undefined
        : route53.PublicHostedZone.fromHostedZoneAttributes(this, 'Zone', {
            hostedZoneId: props.hostedZoneId,
            zoneName: props.senderDomain,
          });

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      // SES's own list keeps a hard bounce or a complaint from being sent to again, even before the
      // feedback function has updated the subscriber list.
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      sendingEnabled: true,
    });

    this.identity = new ses.EmailIdentity(this, 'DomainIdentity', {
      identity: zone ? ses.Identity.publicHostedZone(zone) : ses.Identity.domain(props.senderDomain),
      dkimSigning: true,
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
      mailFromDomain: props.mailFromDomain,
      mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
      configurationSet: this.configurationSet,
    });

    const region = Stack.of(this).region;
    const dmarc = suggestedDmarc(props.dmarcReportAddress);
    if (zone) {
      // Identity.publicHostedZone makes the DKIM CNAMEs and the MAIL FROM MX and TXT; DMARC is ours.
      new route53.TxtRecord(this, 'Dmarc', {
        zone,
        recordName: `_dmarc.${props.senderDomain}`,
        values: [dmarc],
      });
    }
    // At stack level, so that the output names are the ones the README tells the operator to look for.
    const record = (name: string, value: string, description: string) =>
      new CfnOutput(Stack.of(this), name, { value, description });
    this.identity.dkimRecords.forEach((dkim, i) => {
      record(`DkimRecord${i + 1}`, `${dkim.name} CNAME ${dkim.value}`, `DKIM record ${i + 1} of 3 (CNAME)`);
    });
    record(
      'MailFromMxRecord',
      `${props.mailFromDomain} MX 10 feedback-smtp.${region}.amazonses.com`,
      'MAIL FROM: MX record (bounces come back through SES)',
    );
    record(
      'MailFromSpfRecord',
      `${props.mailFromDomain} TXT "v=spf1 include:amazonses.com ~all"`,
      'MAIL FROM: SPF TXT record',
    );
    record(
      'DmarcRecord',
      `_dmarc.${props.senderDomain} TXT "${dmarc}"`,
      'Suggested DMARC TXT record (report only; move to p=quarantine once reports are clean, README Deploy)',
    );
    if (!zone) {
      Annotations.of(this).addInfo(
        `Publish the DKIM, MAIL FROM and DMARC records of ${props.senderDomain} (stack outputs DkimRecord1-3, MailFromMxRecord, MailFromSpfRecord, DmarcRecord), or set newsDigest.hostedZoneId to have the stack create them.`,
      );
    }
  }
}

import { Construct } from "constructs";
import { TerraformProvider, Token } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { DOMAIN_NAME } from "./limits";

export interface DnsValidatedCertificateProps {
  /** Names on the certificate; the first is its domain name, the rest subject alternative names. */
  readonly names: readonly string[];
  /** Public hosted zone the validation records go in. */
  readonly zoneId: string;
  /** Provider of the certificate's region (us-east-1 for CloudFront). @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * An ACM certificate validated through DNS: one CNAME per name in the zone (keyed by the name,
 * so adding a name adds one record), and a validation resource whose ARN is safe to use (it is
 * only known once the certificate is issued). ACM gives a name the same validation record in
 * every region of an account, so two certificates for the same names share records
 * (`allow_overwrite`).
 */
export class DnsValidatedCertificate extends Construct {
  /** ARN of the issued certificate (depends on validation). */
  public readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    if (props.names.length === 0) throw new Error("DnsValidatedCertificate: names must list at least one name");
    for (const n of props.names) {
      if (!Token.isUnresolved(n) && !DOMAIN_NAME.test(n)) throw new Error(`DnsValidatedCertificate: names must be lowercase DNS names, got ${JSON.stringify(n)}`);
    }
    if (new Set(props.names).size !== props.names.length) throw new Error(`DnsValidatedCertificate: names must be unique, got ${props.names.join(", ")}`);
    const [domainName, ...alternatives] = props.names;
    const cert = new AcmCertificate(this, "cert", {
      provider: props.provider,
      domainName,
      subjectAlternativeNames: alternatives.length ? alternatives : undefined,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      lifecycle: { createBeforeDestroy: true },
    });
    // Names are known at synth time, so records are keyed by name (not by the set ACM returns).
    const option = (name: string, attr: string) => `\${{ for o in ${cert.fqn}.domain_validation_options : o.domain_name => o }["${name}"].${attr}}`;
    const fqdns = props.names.map((name) => {
      const record = new Route53Record(this, `validation-${name.replace(/\./g, "-")}`, {
        zoneId: props.zoneId,
        name: option(name, "resource_record_name"),
        type: option(name, "resource_record_type"),
        records: [option(name, "resource_record_value")],
        ttl: 300,
        allowOverwrite: true,
      });
      return record.fqdn;
    });
    const validation = new AcmCertificateValidation(this, "validation", {
      provider: props.provider,
      certificateArn: cert.arn,
      validationRecordFqdns: fqdns,
    });
    this.certificateArn = validation.certificateArn;
  }
}

import { Resolver, collectObjects, readStacks } from "../scripts/kubernetes-check";
import { Json, ofType, fixtureProjectSynth } from "./helpers";

/**
 * The guest's path end to end, read from `npm run synth` output: a viewer's request for
 * app.guest.<domain>/front goes CloudFront (guest's CLOUDFRONT web ACL) -> guest's ALB (guest's REGIONAL web
 * ACL, origin-verify header) -> guest's listener rule -> guest's ip target group (in guest's VPC) -> over
 * the guest<->host VPC peering -> pods of guest's namespace in host's cluster, registered by the
 * AWS Load Balancer Controller from guest's TargetGroupBinding.
 */
const out = fixtureProjectSynth();
const stacks = readStacks(out.outdir);
const edge = out.stack("guest-edge");
const resolver = new Resolver(stacks);
const key = (ref: string) => /^\$\{[a-z0-9_]+\.([^.]+)\./.exec(ref)![1];
const res = (stack: Json, type: string, ref: string) => stack.resource[type][key(ref)] as Json;

describe("the guest's path: CloudFront -> WAF -> guest's ALB -> target group -> pods of guest's namespace in host's cluster", () => {
  const [cdn] = ofType(edge, "aws_cloudfront_distribution");

  test("1. CloudFront of guest, protected by guest's CLOUDFRONT web ACL, sends to guest's origin host (guest's ALB)", () => {
    expect(cdn.aliases).toEqual(["app.guest.harbor.example.com"]);
    expect(res(edge, "aws_wafv2_web_acl", cdn.web_acl_id).scope).toBe("CLOUDFRONT");
    expect(cdn.origin.map((o: Json) => o.domain_name)).toEqual(["origin.guest.harbor.example.com"]);
    const origin = ofType(edge, "aws_route53_record").find((r) => r.name === "origin.guest.harbor.example.com")!;
    expect(origin.alias.name).toMatch(/^\$\{aws_lb\.alb_[0-9A-F]+\.dns_name\}$/);
  });

  test("2. guest's ALB carries guest's REGIONAL web ACL", () => {
    const [assoc] = ofType(edge, "aws_wafv2_web_acl_association");
    expect(assoc.resource_arn).toMatch(/^\$\{aws_lb\.alb_[0-9A-F]+\.arn\}$/);
    expect(res(edge, "aws_wafv2_web_acl", assoc.web_acl_arn).scope).toBe("REGIONAL");
  });

  test.each([["front"], ["keyed"]])("3. %s: a listener rule on guest's HTTPS listener (path + origin-verify) forwards to guest's ip target group in guest's VPC", (name) => {
    const rule = ofType(edge, "aws_lb_listener_rule").find((r) => JSON.stringify(r.condition).includes(`"/${name}"`))!;
    expect(res(edge, "aws_lb_listener", rule.listener_arn)).toMatchObject({ port: 443, protocol: "HTTPS", load_balancer_arn: expect.stringMatching(/^\$\{aws_lb\.alb_/) });
    expect(rule.condition).toContainEqual({ http_header: { http_header_name: "X-Origin-Verify", values: [expect.stringMatching(/origin-verify/)] } });
    const tg = res(edge, "aws_lb_target_group", rule.action[0].target_group_arn);
    expect(tg).toMatchObject({ name: `harbor-guest-${name}`, target_type: "ip", port: 8080, vpc_id: expect.stringMatching(/cross-stack-reference-input-guest-network/) });
  });

  test("4. guest's VPC is peered with host's: routes both ways (guest's ALB subnets only on the way back), pods' security group and guest ALB's egress opened on 8080 only", () => {
    const [peering] = ofType(edge, "aws_vpc_peering_connection");
    expect(peering).toMatchObject({ auto_accept: true, vpc_id: expect.stringMatching(/guest-network/), peer_vpc_id: expect.stringMatching(/host-network/) });
    const routes = ofType(edge, "aws_route");
    for (const r of routes) expect(r.vpc_peering_connection_id).toMatch(/^\$\{aws_vpc_peering_connection\.peering_[0-9A-F]+\.id\}$/);
    expect(routes.filter((r) => /guest-network.*public-rt/.test(r.route_table_id)).map((r) => r.destination_cidr_block)).toEqual(["10.30.0.0/16"]);
    const back = routes.filter((r) => /host-network.*private-rt/.test(r.route_table_id));
    expect(back).toHaveLength(9); // 3 private route tables x guest's 3 public subnets
    expect(new Set(back.map((r) => r.destination_cidr_block))).toEqual(new Set(["10.20.232.0/22", "10.20.236.0/22", "10.20.240.0/22"]));
    const ingress = ofType(edge, "aws_vpc_security_group_ingress_rule");
    expect(ingress.map((r) => [r.security_group_id.includes("host-network") && /sg_app/.test(r.security_group_id), r.from_port, r.to_port, r.cidr_ipv4])).toEqual(
      ["10.20.232.0/22", "10.20.236.0/22", "10.20.240.0/22"].map((c) => [true, 8080, 8080, c]),
    );
    const [egress] = ofType(edge, "aws_vpc_security_group_egress_rule");
    expect(egress).toMatchObject({ security_group_id: expect.stringMatching(/guest-network.*sg_alb/), from_port: 8080, to_port: 8080, cidr_ipv4: "10.30.0.0/16" });
  });

  test.each([["front"], ["keyed"]])("5. %s: guest's TargetGroupBinding binds that target group (its VPC named) to guest's Service in namespace guest of host's cluster", (name) => {
    const { objects } = collectObjects(stacks);
    const tgb = objects.find((o) => o.stack === "guest-apps" && o.kind === "TargetGroupBinding" && o.object.metadata.name === name)!;
    expect(resolver.cluster("guest-apps")).toBe("host-platform");
    expect(resolver.resolve("guest-apps", tgb.object.metadata.namespace)).toBe("guest");
    // The ARN is guest-edge's target group of this service.
    const arn = resolver.resolve("guest-apps", tgb.object.spec.targetGroupARN) as string;
    const tg = res(edge, "aws_lb_target_group", arn);
    expect(tg.name).toBe(`harbor-guest-${name}`);
    expect(resolver.resolve("guest-apps", tgb.object.spec.vpcID)).toBe(resolver.resolve("guest-edge", tg.vpc_id));
    expect(resolver.resolve("guest-edge", tg.vpc_id)).toMatch(/^\$\{aws_vpc\.network_vpc_[0-9A-F]+\.id\}$/);
    expect(tgb.object.spec).toMatchObject({ targetType: "ip", serviceRef: { name, port: 8080 } });
    // The Service selects guest's pods of this service, whose container port is the target group's port.
    const svc = objects.find((o) => o.stack === "guest-apps" && o.kind === "Service" && o.object.metadata.name === name)!;
    const dep = objects.find((o) => o.stack === "guest-apps" && o.kind === "Deployment" && o.object.metadata.name === name)!;
    expect(dep.object.spec.template.metadata.labels).toMatchObject(svc.object.spec.selector);
    expect(dep.object.spec.template.metadata.labels["harbor.io/environment"]).toBe("guest");
    expect(dep.object.spec.template.spec.containers[0].ports[0].containerPort).toBe(tg.port);
  });

  test("6. guest's namespace admits the ALB: from guest's public subnets on 8080 (the pods are IP targets, no proxy in between)", () => {
    const { objects } = collectObjects(stacks);
    const policy = objects.find((o) => o.stack === "guest-addons" && o.kind === "NetworkPolicy" && o.object.metadata.name === "allow-from-load-balancer")!;
    expect(policy.object.spec.ingress).toEqual([{ from: ["10.20.232.0/22", "10.20.236.0/22", "10.20.240.0/22"].map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: 8080, protocol: "TCP" }] }]);
  });

  test("the host's own path: host's ALB reaches its pods in its own VPC (security-group reference, no peering)", () => {
    const host = out.stack("host-edge");
    expect(ofType(host, "aws_vpc_peering_connection")).toHaveLength(0);
    expect(ofType(host, "aws_vpc_security_group_ingress_rule")).toEqual([
      expect.objectContaining({ from_port: 8080, to_port: 8080, security_group_id: expect.stringMatching(/host-network.*sg_app/), referenced_security_group_id: expect.stringMatching(/host-network.*sg_alb/) }),
    ]);
    const tgb = ofType(out.stack("host-apps"), "kubernetes_manifest").find((m) => m.manifest.kind === "TargetGroupBinding")!;
    expect(tgb.manifest.spec.vpcID).toBeUndefined();
  });

  test("no ingress-nginx anywhere in the synthesized output", () => {
    for (const [name, json] of stacks) expect([name, /ingress-nginx|nginx/.test(JSON.stringify(json))]).toEqual([name, false]);
  });
});

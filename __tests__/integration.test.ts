import { Json, ofType, repoProjectSynth } from "./helpers";

/** How the layers fit together in the project as `npm run synth` builds it. */
const out = repoProjectSynth();
const dashboardBody = (env: string) => String((ofType(out.stack(`${env}-observability`), "aws_cloudwatch_dashboard")[0] as Json).dashboard_body);

describe("the layers wired together", () => {
  test("every environment has network, platform and (unless disabled) edge, apps and observability stacks", () => {
    for (const env of ["dev", "prod"]) for (const layer of ["network", "platform", "edge", "apps", "observability"]) expect(out.stacks).toContain(`${env}-${layer}`);
    for (const layer of ["network", "platform", "addons", "edge", "apps", "observability"]) expect(out.stacks).toContain(`staging-${layer}`);
    expect(out.stacks).toContain("global");
  });

  test("the dashboard reads the edge and the ECS platform through remote state", () => {
    const body = dashboardBody("dev");
    expect(body).toMatch(/cross-stack-reference-input-dev-edge\.outputs\.[^"]*arn_suffix/);
    expect(body).toMatch(/cross-stack-reference-input-dev-platform\.outputs\./);
    expect(body).toMatch(/cross-stack-reference-input-dev-apps\.outputs\./);
    expect(body).toContain("## Platform (ECS)");
  });

  test("an EKS host's dashboard shows its cluster", () => {
    expect(dashboardBody("staging")).toContain("## Platform (EKS)");
    expect(dashboardBody("staging")).toMatch(/cross-stack-reference-input-staging-platform\.outputs\./);
  });

  test("the sandbox preset: no bastions, no edge, no dashboard, a parked NAT instance, spot-only capacity", () => {
    const sandbox = out.stacks.filter((s) => s.startsWith("sandbox-demo-"));
    expect(sandbox.sort()).toEqual(["sandbox-demo-apps", "sandbox-demo-network", "sandbox-demo-platform"]);
    const net = out.stack("sandbox-demo-network");
    expect(ofType(net, "aws_autoscaling_group").map((g) => g.name)).toEqual(["harbor-sandbox-demo-nat-instance"]);
    expect(ofType(net, "aws_autoscaling_schedule")).toHaveLength(2);
    const groups = ofType(out.stack("sandbox-demo-platform"), "aws_autoscaling_group");
    const onDemand = groups.find((g) => /on-demand/.test(g.name))!;
    expect(onDemand.max_size).toBe(0);
  });
});

package tests

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/stacks"
	"github.com/alb-privatelink/alb-privatelink/synth"
)

const testCertARN = "arn:aws:acm:ap-northeast-1:111122223333:certificate/0a1b2c3d-0000-1111-2222-333344445555"

func TestDefaultAppBuildsBothStacks(t *testing.T) {
	docs, built := synthApp(t, config.Config{})
	if len(docs) != 2 || docs["provider"] == nil || docs["consumer"] == nil {
		t.Fatalf("want stacks provider and consumer, got %v", keys(docs))
	}
	for name, doc := range docs {
		pName, p := onlyBlock(t, doc, "provider", "aws")
		expect(t, name+"/"+pName, p, "region", "ap-northeast-1")
		expect(t, name+"/"+pName, p, "default_tags.0.tags.ManagedBy", "cdktf")
		expect(t, name, resource(doc), "terraform.required_providers.aws.version", "~> 5.84")
	}
	if len(built.Provider.Notes) != 1 || !strings.Contains(built.Provider.Notes[0], "plain HTTP port 80") {
		t.Errorf("a plain-HTTP demo must say so at synth; notes = %q", built.Provider.Notes)
	}
}

// AWS_NOTES 15 and 5: the internet-facing demo ALB needs an IGW and a
// public route in two zones, placed by AZ ID, and the consumer lands in the
// same AZ IDs.
func TestDemoProviderNetworkAndALB(t *testing.T) {
	docs, _ := synthApp(t, config.Config{})
	doc := docs["provider"]
	vpcName, v := doc.one(t, "aws_vpc")
	expect(t, vpcName, v, "cidr_block", "10.10.0.0/16")
	igwName, _ := doc.one(t, "aws_internet_gateway")
	rtName, _ := doc.one(t, "aws_route_table")
	routeName, route := doc.one(t, "aws_route")
	expect(t, routeName, route, "destination_cidr_block", "0.0.0.0/0")
	expect(t, routeName, route, "gateway_id", ref("aws_internet_gateway", igwName, "id"))
	expect(t, routeName, route, "route_table_id", ref("aws_route_table", rtName, "id"))

	subnets := doc.resources("aws_subnet")
	if len(subnets) != 4 {
		t.Fatalf("want 2 public and 2 private subnets, got %d", len(subnets))
	}
	var public, private []string
	for name, s := range subnets {
		if _, ok := s["availability_zone"]; ok {
			t.Errorf("%s places a subnet by AZ name, which differs between accounts", name)
		}
		az := s["availability_zone_id"].(string)
		if strings.Contains(name, "Public") {
			public = append(public, az)
		} else {
			private = append(private, az)
		}
	}
	slices.Sort(public)
	slices.Sort(private)
	want := []string{"apne1-az1", "apne1-az4"}
	if !slices.Equal(public, want) || !slices.Equal(private, want) {
		t.Errorf("public AZ IDs %v, private %v; want %v each", public, private, want)
	}
	assocs := doc.resources("aws_route_table_association")
	if len(assocs) != 2 {
		t.Errorf("want both public subnets on the public route table, got %d associations", len(assocs))
	}

	albName, a := doc.one(t, "aws_alb")
	expect(t, albName, a, "internal", false)
	expect(t, albName, a, "drop_invalid_header_fields", true)
	expect(t, albName, a, "enable_deletion_protection", false)
	for _, sn := range a["subnets"].([]any) {
		if !strings.Contains(sn.(string), "Public") {
			t.Errorf("internet-facing ALB in a non-public subnet %v", sn)
		}
	}
	lName, l := doc.one(t, "aws_alb_listener")
	expect(t, lName, l, "protocol", "HTTP")
	expect(t, lName, l, "port", 80)
	expect(t, lName, l, "default_action.0.type", "fixed-response")

	// The NLB sits in the private subnets; the ALB's group admits it.
	nlbName, nlb := doc.one(t, "aws_lb")
	for _, sn := range nlb["subnets"].([]any) {
		if !strings.Contains(sn.(string), "Private") {
			t.Errorf("%s: NLB in a non-private subnet %v", nlbName, sn)
		}
	}
	albSG := a["security_groups"].([]any)[0].(string)
	var fromNLB, fromCloudFront bool
	for name, r := range doc.resources("aws_vpc_security_group_ingress_rule") {
		if r["security_group_id"] != albSG {
			t.Errorf("%s: unexpected ingress rule on another group", name)
		}
		if _, ok := r["cidr_ipv4"]; ok {
			t.Errorf("%s: the demo ALB admits no CIDR (CloudFront prefix list and the NLB only):\n%s", name, pretty(r))
		}
		fromNLB = fromNLB || r["referenced_security_group_id"] != nil
		fromCloudFront = fromCloudFront || strings.Contains(compact(r["prefix_list_id"]), "aws_ec2_managed_prefix_list")
	}
	if !fromNLB || !fromCloudFront {
		t.Errorf("ALB ingress from NLB: %v, from CloudFront: %v; want both", fromNLB, fromCloudFront)
	}

	// The attachment waits for the demo ALB's listener.
	attName, att := doc.one(t, "aws_lb_target_group_attachment")
	expect(t, attName, att, "depends_on", []string{"aws_alb_listener." + lName})

	consumerSubnets := docs["consumer"].resources("aws_subnet")
	var consumerAZ []string
	for _, s := range consumerSubnets {
		consumerAZ = append(consumerAZ, s["availability_zone_id"].(string))
	}
	slices.Sort(consumerAZ)
	if !slices.Equal(consumerAZ, want) {
		t.Errorf("consumer AZ IDs %v, want the provider's %v", consumerAZ, want)
	}
	if len(docs["consumer"].resources("aws_internet_gateway")) != 0 {
		t.Error("the consumer needs no internet gateway")
	}
}

func TestDemoProviderWithCertificateServesHTTPS(t *testing.T) {
	yes := true
	docs, built := synthApp(t, config.Config{Provider: config.Provider{
		CertificateARN: testCertARN, ALBDeletionProtection: true, NLB: config.NLB{DeletionProtection: &yes},
	}})
	doc := docs["provider"]
	lName, l := doc.one(t, "aws_alb_listener")
	expect(t, lName, l, "protocol", "HTTPS")
	expect(t, lName, l, "port", 443)
	expect(t, lName, l, "certificate_arn", testCertARN)
	expect(t, lName, l, "ssl_policy", stacks.TLSPolicy)
	tgName, tg := doc.one(t, "aws_lb_target_group")
	expect(t, tgName, tg, "port", 443)
	expect(t, tgName, tg, "health_check.protocol", "HTTPS")
	albName, a := doc.one(t, "aws_alb")
	expect(t, albName, a, "enable_deletion_protection", true)
	nlbName, nlb := doc.one(t, "aws_lb")
	expect(t, nlbName, nlb, "enable_deletion_protection", true)
	if len(built.Provider.Notes) != 0 {
		t.Errorf("HTTPS demo should not warn; notes = %q", built.Provider.Notes)
	}
	ruleName, rule := docs["consumer"].one(t, "aws_vpc_security_group_ingress_rule")
	expect(t, ruleName, rule, "from_port", 443)
}

// The point of the seed: publish an ALB that already exists, without
// duplicating the network, ALB or ECS service.
func TestExistingALBModeCreatesOnlyThePrivateLinkSide(t *testing.T) {
	docs, _ := synthApp(t, config.Config{Provider: config.Provider{ExistingALB: &config.ExistingALB{
		ARN: testALBARN, VPCID: testVPC, SubnetIDs: testSubnets, SecurityGroupID: testSG,
		Listeners: []config.Listener{{Port: 443, Protocol: "HTTPS"}, {Port: 8080, Protocol: "HTTP"}},
	}}})
	doc := docs["provider"]
	for _, typ := range []string{"aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_alb", "aws_alb_listener", "aws_lb_listener_rule"} {
		if n := len(doc.resources(typ)); n != 0 {
			t.Errorf("existing-ALB mode created %d %s", n, typ)
		}
	}
	tgs := doc.resources("aws_lb_target_group")
	expect(t, "443", tgs[findByPort(t, tgs, 443)], "health_check.protocol", "HTTPS")
	expect(t, "8080", tgs[findByPort(t, tgs, 8080)], "health_check.protocol", "HTTP")
	atts := doc.resources("aws_lb_target_group_attachment")
	ingress := doc.resources("aws_vpc_security_group_ingress_rule")
	if len(atts) != 2 || len(ingress) != 2 {
		t.Fatalf("want an attachment and an ALB ingress rule per listener (2 each), got %d and %d", len(atts), len(ingress))
	}
	for name, r := range atts {
		expect(t, name, r, "target_id", testALBARN)
	}
	for name, r := range ingress {
		expect(t, name, r, "security_group_id", testSG)
	}
	ports := map[string]bool{}
	for _, r := range docs["consumer"].resources("aws_vpc_security_group_ingress_rule") {
		ports[compact(r["from_port"])] = true
	}
	if !ports["443"] || !ports["8080"] || len(ports) != 2 {
		t.Errorf("consumer ports = %v, want the ALB's 443 and 8080", ports)
	}
}

func TestProviderAllowsItsOwnAccountAndConfiguredPrincipals(t *testing.T) {
	docs, _ := synthApp(t, config.Config{Provider: config.Provider{AllowedPrincipals: []string{"444455556666"}}})
	doc := docs["provider"]
	name, es := doc.one(t, "aws_vpc_endpoint_service")
	expect(t, name, es, "acceptance_required", true)
	expect(t, name, es, "allowed_principals", []string{
		"arn:${data.aws_partition.Partition.partition}:iam::${data.aws_caller_identity.Caller.account_id}:root",
		"arn:aws:iam::444455556666:root",
	})
	for _, out := range []string{"service_name", "service_id"} {
		if _, ok := get(resource(doc), "output."+out+".value"); !ok {
			t.Errorf("provider stack has no %s output", out)
		}
	}
}

// The consumer reads the service name from the provider stack through
// cdktf's cross-stack reference, and accepts itself (same account).
func TestConsumerReadsServiceNameAcrossStacks(t *testing.T) {
	docs, _ := synthApp(t, config.Config{})
	pName, _ := docs["provider"].one(t, "aws_vpc_endpoint_service")
	var crossOut string
	for name, o := range docs["provider"]["output"].(map[string]any) {
		if strings.HasPrefix(name, "cross-stack-output-") && o.(map[string]any)["value"] == ref("aws_vpc_endpoint_service", pName, "service_name") {
			crossOut = name
		}
	}
	if crossOut == "" {
		t.Fatalf("provider exports no cross-stack output of the service name:\n%s", pretty(docs["provider"]["output"]))
	}
	doc := docs["consumer"]
	if len(doc.data("terraform_remote_state")) != 1 {
		t.Errorf("consumer should read the provider's state once, got %d remote states", len(doc.data("terraform_remote_state")))
	}
	name, e := doc.one(t, "aws_vpc_endpoint")
	if sn, _ := e["service_name"].(string); !strings.Contains(sn, "terraform_remote_state") || !strings.Contains(sn, crossOut) {
		t.Errorf("%s: service_name = %q, want the provider's %s via remote state", name, sn, crossOut)
	}
	expect(t, name, e, "auto_accept", true)
	expect(t, name, e, "vpc_endpoint_type", "Interface")
	for _, out := range []string{"endpoint_id", "endpoint_dns_name"} {
		if _, ok := get(resource(doc), "output."+out+".value"); !ok {
			t.Errorf("consumer stack has no %s output", out)
		}
	}
}

func TestConsumerWithConfiguredServiceNameNeedsNoProviderState(t *testing.T) {
	docs, _ := synthApp(t, config.Config{Consumers: []config.Consumer{{
		ServiceName: testServiceName, CustomDomain: "orders.example.com", ClientCIDRs: []string{"10.20.128.0/20"},
	}}})
	doc := docs["consumer"]
	if n := len(doc.data("terraform_remote_state")); n != 0 {
		t.Errorf("consumer with a configured service name reads %d remote states", n)
	}
	name, e := doc.one(t, "aws_vpc_endpoint")
	expect(t, name, e, "service_name", testServiceName)
	expectUnset(t, name, e, "auto_accept")
	rName, rule := doc.one(t, "aws_vpc_security_group_ingress_rule")
	expect(t, rName, rule, "cidr_ipv4", "10.20.128.0/20")
	expect(t, rName, rule, "from_port", 443)
	doc.one(t, "aws_route53_zone")
	expect(t, "consumer", resource(doc), "output.custom_fqdn.value", "orders.example.com")
}

func onlyBlock(t *testing.T, doc tfDoc, kind, typ string) (string, resource) {
	t.Helper()
	raw, _ := get(resource(doc), kind+"."+typ)
	list, _ := raw.([]any)
	if len(list) != 1 {
		t.Fatalf("want one %s %s block, got %s", kind, typ, compact(raw))
	}
	return typ, list[0].(map[string]any)
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Flow logs are on for every VPC the app creates (Trivy AWS-0178), through
// a role only this account's flow-logs service can assume, allowed to
// write only to its own log group.
func TestDemoVPCsHaveFlowLogs(t *testing.T) {
	docs, _ := synthApp(t, config.Config{})
	for _, stack := range []string{"provider", "consumer"} {
		doc := docs[stack]
		vpcName, _ := doc.one(t, "aws_vpc")
		lgName, lg := doc.one(t, "aws_cloudwatch_log_group")
		expect(t, lgName, lg, "retention_in_days", 90)
		expectUnset(t, lgName, lg, "kms_key_id")
		roleName, role := doc.one(t, "aws_iam_role")
		flName, fl := doc.one(t, "aws_flow_log")
		expect(t, flName, fl, "vpc_id", ref("aws_vpc", vpcName, "id"))
		expect(t, flName, fl, "traffic_type", "ALL")
		expect(t, flName, fl, "log_destination_type", "cloud-watch-logs")
		expect(t, flName, fl, "log_destination", ref("aws_cloudwatch_log_group", lgName, "arn"))
		expect(t, flName, fl, "iam_role_arn", ref("aws_iam_role", roleName, "arn"))

		trust := parsePolicy(t, role["assume_role_policy"])
		expect(t, roleName, trust, "Statement.0.Principal.Service", "vpc-flow-logs.amazonaws.com")
		if _, ok := get(trust, "Statement.0.Condition.StringEquals.aws:SourceAccount"); !ok {
			t.Errorf("%s: trust policy has no aws:SourceAccount condition (confused deputy):\n%s", roleName, pretty(trust))
		}
		polName, pol := doc.one(t, "aws_iam_role_policy")
		doc2 := parsePolicy(t, pol["policy"])
		expect(t, polName, doc2, "Statement.0.Resource", []string{
			ref("aws_cloudwatch_log_group", lgName, "arn"), ref("aws_cloudwatch_log_group", lgName, "arn") + ":log-stream:*",
		})
		expect(t, polName, doc2, "Statement.1.Action", "logs:DescribeLogGroups")
		if actions := compact(doc2["Statement"]); strings.Contains(actions, `"logs:*"`) || strings.Contains(actions, `"*"`) {
			t.Errorf("%s: wildcard permission: %s", polName, actions)
		}
	}
}

func TestFlowLogsOptions(t *testing.T) {
	no := false
	key := "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	docs, _ := synthApp(t, config.Config{
		Provider:  config.Provider{FlowLogs: config.FlowLogs{RetentionDays: 365, KMSKeyARN: key}},
		Consumers: []config.Consumer{{FlowLogs: config.FlowLogs{Enabled: &no}}},
	})
	lgName, lg := docs["provider"].one(t, "aws_cloudwatch_log_group")
	expect(t, lgName, lg, "retention_in_days", 365)
	expect(t, lgName, lg, "kms_key_id", key)
	for _, typ := range []string{"aws_flow_log", "aws_cloudwatch_log_group", "aws_iam_role"} {
		if n := len(docs["consumer"].resources(typ)); n != 0 {
			t.Errorf("flow logs opted out, yet the consumer has %d %s", n, typ)
		}
	}
}

// parsePolicy decodes an IAM policy document held as a JSON string.
func parsePolicy(t *testing.T, raw any) resource {
	t.Helper()
	s, ok := raw.(string)
	if !ok {
		t.Fatalf("policy is %T, want a JSON string", raw)
	}
	var doc resource
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatalf("policy is not JSON: %v\n%s", err, s)
	}
	return doc
}

// Configured demo subnets are used as written, in AZ ID order, public ones
// for the ALB and private ones for the NLB and the endpoint.
func TestConfiguredSubnetCIDRsAreUsedAsWritten(t *testing.T) {
	docs, _ := synthApp(t, config.Config{
		Provider: config.Provider{VPCCIDR: "10.50.0.0/16", SubnetCIDRs: config.SubnetCIDRs{
			Public:  []string{"10.50.0.0/24", "10.50.1.0/24"},
			Private: []string{"10.50.128.0/24", "10.50.129.0/24"},
		}},
		Consumers: []config.Consumer{{VPCCIDR: "10.60.0.0/20", SubnetCIDRs: config.SubnetCIDRs{Private: []string{"10.60.0.0/26", "10.60.0.64/26"}}}},
	})
	for stack, want := range map[string]map[string]string{
		"provider": {"10.50.0.0/24": "apne1-az1", "10.50.1.0/24": "apne1-az4", "10.50.128.0/24": "apne1-az1", "10.50.129.0/24": "apne1-az4"},
		"consumer": {"10.60.0.0/26": "apne1-az1", "10.60.0.64/26": "apne1-az4"},
	} {
		got := map[string]string{}
		for _, s := range docs[stack].resources("aws_subnet") {
			cidr, _ := get(s, "cidr_block")
			az, _ := get(s, "availability_zone_id")
			got[cidr.(string)] = az.(string)
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s subnets (CIDR -> AZ ID) = %v, want %v", stack, got, want)
		}
	}
}

// Local state lives in the project folder, named by a path relative to the
// stack's folder, so nothing of the synthesizing machine is baked in.
func TestLocalStateIsRelativeToTheProject(t *testing.T) {
	docs, _ := synthApp(t, config.Config{})
	expect(t, "provider", resource(docs["provider"]), "terraform.backend.local.path", "../../../terraform.provider.tfstate")
	expect(t, "consumer", resource(docs["consumer"]), "terraform.backend.local.path", "../../../terraform.consumer.tfstate")
	expect(t, "consumer remote state", remoteState(t, docs["consumer"], "provider"), "config.path", "../../../terraform.provider.tfstate")

	// An output folder elsewhere in the project still finds the project.
	t.Chdir(t.TempDir())
	if _, err := synth.Run(resolve(t, config.Config{}), filepath.Join("build", "cdktf.out")); err != nil {
		t.Fatal(err)
	}
	deep := readOutdir(t, filepath.Join("build", "cdktf.out"))
	expect(t, "provider", resource(deep["provider"]), "terraform.backend.local.path", "../../../../terraform.provider.tfstate")
}

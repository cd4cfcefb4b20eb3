package tests

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsvpc"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
	"github.com/alb-privatelink/alb-privatelink/internal/validate"
)

const testServiceName = "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0"

var testConsumerSubnets = []string{"subnet-2b3c4d5e6f7081920", "subnet-3c4d5e6f708192a3b"}

func consumerProps() privatelink.ConsumerEndpointProps {
	return privatelink.ConsumerEndpointProps{
		VPCID:     "vpc-1b2c3d4e5f6071829",
		VPCCIDR:   "10.20.0.0/16",
		SubnetIDs: testConsumerSubnets,
		Service:   privatelink.EndpointServiceFromName(testServiceName),
	}
}

func synthConsumer(t *testing.T, props privatelink.ConsumerEndpointProps) (tfDoc, *privatelink.ConsumerEndpoint) {
	t.Helper()
	stack := newStack(t)
	ep, err := privatelink.NewConsumerEndpoint(stack, "Ep", props)
	if err != nil {
		t.Fatalf("NewConsumerEndpoint: %v", err)
	}
	return synthStack(t, stack), ep
}

// AWS_NOTES 13: aws_vpc_endpoint defaults to Gateway, the VPC default
// security group and no private DNS; the construct sets all three.
func TestEndpointIsInterfaceWithItsOwnSecurityGroup(t *testing.T) {
	doc, ep := synthConsumer(t, consumerProps())
	name, e := doc.one(t, "aws_vpc_endpoint")
	sgName, sg := doc.one(t, "aws_security_group")
	expect(t, name, e, "vpc_endpoint_type", "Interface")
	expect(t, name, e, "service_name", testServiceName)
	expect(t, name, e, "vpc_id", "vpc-1b2c3d4e5f6071829")
	expect(t, name, e, "subnet_ids", testConsumerSubnets)
	expect(t, name, e, "security_group_ids", []string{ref("aws_security_group", sgName, "id")})
	expect(t, name, e, "private_dns_enabled", false)
	expectUnset(t, name, e, "auto_accept")
	expectUnset(t, sgName, sg, "ingress")
	expectUnset(t, sgName, sg, "egress")
	if n := len(doc.resources("aws_vpc_security_group_egress_rule")); n != 0 {
		t.Errorf("endpoint interfaces start no connections; want no egress rules, got %d", n)
	}
	if ep.CustomFQDN() != "" || len(doc.resources("aws_route53_zone")) != 0 {
		t.Error("no custom domain asked for, yet one was made")
	}
}

// AWS_NOTES 14: the seed wrote cidr_blocks = aws_vpc.consumer.cidr_blok, a
// typo and a string. Rules here are separate resources whose source is one
// valid CIDR string: the VPC's, never 0.0.0.0/0 by default.
func TestEndpointIngressDefaultsToTheVPCCIDR(t *testing.T) {
	doc, _ := synthConsumer(t, consumerProps())
	name, rule := doc.one(t, "aws_vpc_security_group_ingress_rule")
	sgName, _ := doc.one(t, "aws_security_group")
	expect(t, name, rule, "security_group_id", ref("aws_security_group", sgName, "id"))
	expect(t, name, rule, "cidr_ipv4", "10.20.0.0/16")
	expect(t, name, rule, "ip_protocol", "tcp")
	expect(t, name, rule, "from_port", 443)
	expect(t, name, rule, "to_port", 443)
	if d, _ := rule["description"].(string); d == "" {
		t.Errorf("rule without description:\n%s", pretty(rule))
	}
}

func TestEndpointIngressReadsTheVPCCIDRWhenNotGiven(t *testing.T) {
	props := consumerProps()
	props.VPCCIDR = ""
	doc, _ := synthConsumer(t, props)
	vpcs := doc.data("aws_vpc")
	if len(vpcs) != 1 {
		t.Fatalf("want one aws_vpc data source, got %d", len(vpcs))
	}
	for dname := range vpcs {
		name, rule := doc.one(t, "aws_vpc_security_group_ingress_rule")
		expect(t, name, rule, "cidr_ipv4", "${data.aws_vpc."+dname+".cidr_block}")
	}
}

func TestEndpointPortsSourcesAndAllowFrom(t *testing.T) {
	props := consumerProps()
	props.Ports = []int{443, 8443}
	props.AllowedCIDRs = []string{"10.30.0.0/16"}
	stack := newStack(t)
	ep, err := privatelink.NewConsumerEndpoint(stack, "Ep", props)
	if err != nil {
		t.Fatal(err)
	}
	if err := ep.AllowFrom("192.168.0.0/24"); err != nil {
		t.Fatal(err)
	}
	if err := ep.AllowFrom("192.168.0.0/24"); err != nil { // twice is harmless
		t.Fatal(err)
	}
	if err := ep.AllowFrom("192.168.0.1/24"); err == nil || !strings.Contains(err.Error(), "did you mean 192.168.0.0/24") {
		t.Errorf("AllowFrom with host bits = %v", err)
	}
	doc := synthStack(t, stack)
	rules := doc.resources("aws_vpc_security_group_ingress_rule")
	if len(rules) != 4 {
		t.Errorf("want 4 ingress rules (2 sources x 2 ports, AllowFrom twice is one), got %d", len(rules))
	}
	got := map[string]bool{}
	for _, r := range rules {
		got[r["cidr_ipv4"].(string)+"@"+compact(r["from_port"])] = true
	}
	want := []string{"10.30.0.0/16@443", "10.30.0.0/16@8443", "192.168.0.0/24@443", "192.168.0.0/24@8443"}
	if len(got) != len(want) {
		t.Errorf("ingress rules = %v, want %v", got, want)
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("missing ingress rule %s; have %v", w, got)
		}
	}
}

// AWS_NOTES 9: HTTPS to vpce-....amazonaws.com presents the ALB's
// certificate for the app's name. A private zone for that name, associated
// with the consumer VPC, aliases it to the endpoint's first DNS entry.
func TestCustomDomainResolvesToTheEndpoint(t *testing.T) {
	props := consumerProps()
	props.CustomDomain = "orders.example.com."
	doc, ep := synthConsumer(t, props)
	if ep.CustomFQDN() != "orders.example.com" {
		t.Errorf("CustomFQDN = %q, want the name without the trailing dot", ep.CustomFQDN())
	}
	epName, _ := doc.one(t, "aws_vpc_endpoint")
	zName, zone := doc.one(t, "aws_route53_zone")
	expect(t, zName, zone, "name", "orders.example.com")
	expect(t, zName, zone, "vpc", []map[string]any{{"vpc_id": "vpc-1b2c3d4e5f6071829"}})
	rName, rec := doc.one(t, "aws_route53_record")
	expect(t, rName, rec, "zone_id", ref("aws_route53_zone", zName, "zone_id"))
	expect(t, rName, rec, "name", "orders.example.com")
	expect(t, rName, rec, "type", "A")
	expect(t, rName, rec, "alias.name", "${aws_vpc_endpoint."+epName+".dns_entry[0].dns_name}")
	expect(t, rName, rec, "alias.zone_id", "${aws_vpc_endpoint."+epName+".dns_entry[0].hosted_zone_id}")
	expect(t, rName, rec, "alias.evaluate_target_health", true)
}

func TestEndpointOptions(t *testing.T) {
	props := consumerProps()
	props.PrivateDNSEnabled = true
	props.AutoAccept = true
	props.ServiceRegion = "us-east-1"
	doc, _ := synthConsumer(t, props)
	name, e := doc.one(t, "aws_vpc_endpoint")
	expect(t, name, e, "private_dns_enabled", true)
	expect(t, name, e, "auto_accept", true)
	expect(t, name, e, "service_region", "us-east-1")
}

// An owned service and an imported one satisfy the same interface.
func TestConsumerTakesAnOwnedService(t *testing.T) {
	stack := newStack(t)
	svc, err := privatelink.NewProviderEndpointService(stack, "Svc", existingALBProps())
	if err != nil {
		t.Fatal(err)
	}
	props := consumerProps()
	props.Service = svc
	if _, err := privatelink.NewConsumerEndpoint(stack, "Ep", props); err != nil {
		t.Fatal(err)
	}
	doc := synthStack(t, stack)
	esName, _ := doc.one(t, "aws_vpc_endpoint_service")
	name, e := doc.one(t, "aws_vpc_endpoint")
	expect(t, name, e, "service_name", ref("aws_vpc_endpoint_service", esName, "service_name"))
}

// AWS_NOTES 5: an endpoint in a subnet whose zone the service lacks fails
// at apply. A precondition compares the subnets' zones with the service's,
// both read in the consumer's account, and fails the plan first.
func TestEndpointChecksSubnetZonesAgainstTheService(t *testing.T) {
	doc, _ := synthConsumer(t, consumerProps())
	name, e := doc.one(t, "aws_vpc_endpoint")
	svc := doc.data("aws_vpc_endpoint_service")
	if len(svc) != 1 {
		t.Fatalf("want one aws_vpc_endpoint_service data source, got %d", len(svc))
	}
	var svcName string
	for n, r := range svc {
		svcName = n
		expect(t, n, r, "service_name", testServiceName)
	}
	subnets := doc.data("aws_subnet")
	if len(subnets) != len(testConsumerSubnets) {
		t.Fatalf("want one aws_subnet data source per subnet, got %d", len(subnets))
	}
	cond, _ := get(e, "lifecycle.precondition.0.condition")
	c, _ := cond.(string)
	for sn, r := range subnets {
		if !strings.Contains(c, "contains(tolist(data.aws_vpc_endpoint_service."+svcName+".availability_zones), data.aws_subnet."+sn+".availability_zone)") {
			t.Errorf("%s: precondition does not check subnet %s (%v):\n%s", name, sn, r["id"], c)
		}
	}
	if !strings.HasPrefix(c, "${alltrue([") {
		t.Errorf("%s: precondition %q does not require every subnet", name, c)
	}
	msg, _ := get(e, "lifecycle.precondition.0.error_message")
	if m, _ := msg.(string); !strings.Contains(m, "Availability Zone") {
		t.Errorf("%s: unhelpful error message %q", name, m)
	}

	for _, mutate := range []func(*privatelink.ConsumerEndpointProps){
		func(p *privatelink.ConsumerEndpointProps) { p.SkipZoneCheck = true },
		func(p *privatelink.ConsumerEndpointProps) { p.ServiceRegion = "us-east-1" },
	} {
		props := consumerProps()
		mutate(&props)
		doc, _ := synthConsumer(t, props)
		name, e := doc.one(t, "aws_vpc_endpoint")
		expectUnset(t, name, e, "lifecycle")
		if len(doc.data("aws_vpc_endpoint_service")) != 0 {
			t.Error("no zone check wanted, yet the service is read")
		}
	}
}

// validate.IsToken mirrors cdktf's token encoding in Go (so validation
// never starts the jsii runtime); it must agree with cdktf on real tokens.
func TestIsTokenAgreesWithCdktf(t *testing.T) {
	stack := newStack(t)
	svc, err := privatelink.NewProviderEndpointService(stack, "Svc", existingALBProps())
	if err != nil {
		t.Fatal(err)
	}
	ep, err := privatelink.NewConsumerEndpoint(stack, "Ep", consumerProps())
	if err != nil {
		t.Fatal(err)
	}
	tokens := []string{*svc.ServiceName(), *svc.ServiceID(), *svc.NLBARN(), *ep.DNSName(), *ep.SecurityGroupID(),
		"arn:aws:iam::" + *svc.ServiceID() + ":root"}
	for _, tok := range tokens {
		if !*cdktf.Token_IsUnresolved(tok) || !validate.IsToken(tok) {
			t.Errorf("%q: cdktf says token %v, IsToken says %v", tok, *cdktf.Token_IsUnresolved(tok), validate.IsToken(tok))
		}
	}
	for _, plain := range []string{"", "vpc-0a1b2c3d4e5f60718", "${var.x}", "TfToken[", "${TfToken[]}", testServiceName} {
		if *cdktf.Token_IsUnresolved(plain) || validate.IsToken(plain) {
			t.Errorf("%q: cdktf says token %v, IsToken says %v", plain, *cdktf.Token_IsUnresolved(plain), validate.IsToken(plain))
		}
	}
}

// Mistakes that cdktf would turn into a panic come back as errors: a
// construct ID used twice, and token CIDRs whose rule IDs would collide.
func TestDuplicateIDsAndTokenSourcesAreErrorsNotPanics(t *testing.T) {
	stack := newStack(t)
	if _, err := privatelink.NewProviderEndpointService(stack, "Svc", existingALBProps()); err != nil {
		t.Fatal(err)
	}
	if _, err := privatelink.NewProviderEndpointService(stack, "Svc", existingALBProps()); err == nil || err.Error() != `construct ID "Svc" is already used in test; give each construct its own ID` {
		t.Errorf("second Svc: %v", err)
	}
	props := consumerProps()
	props.VPCCIDR = "" // the VPC's CIDR comes from a data source: a token
	ep, err := privatelink.NewConsumerEndpoint(stack, "Ep", props)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := privatelink.NewConsumerEndpoint(stack, "Ep", props); err == nil || !strings.Contains(err.Error(), `construct ID "Ep" is already used`) {
		t.Errorf("second Ep: %v", err)
	}
	other := dataawsvpc.NewDataAwsVpc(stack, jsii.String("Peer"), &dataawsvpc.DataAwsVpcConfig{Id: jsii.String("vpc-0123456789abcdef0")})
	if err := ep.AllowFrom(*other.CidrBlock()); err != nil {
		t.Fatalf("AllowFrom(token): %v", err)
	}
	if err := ep.AllowFrom("0.0.0.0/0"); err == nil || !strings.Contains(err.Error(), "admits the whole internet") {
		t.Errorf("AllowFrom(0.0.0.0/0) = %v", err)
	}
	doc := synthStack(t, stack)
	var ids []string
	for name := range doc.resources("aws_vpc_security_group_ingress_rule") {
		if strings.HasPrefix(name, "Ep_") {
			ids = append(ids, name[:strings.LastIndex(name, "_")])
		}
	}
	slices.Sort(ids)
	if want := []string{"Ep_Ingress443FromToken2", "Ep_Ingress443FromVpc"}; !slices.Equal(ids, want) {
		t.Errorf("ingress rules %v, want %v", ids, want)
	}
}

// An endpoint to an owned service serves the service's listener ports by
// default and refuses any other.
func TestEndpointPortsFollowTheService(t *testing.T) {
	stack := newStack(t)
	sp := existingALBProps()
	sp.Listeners = []privatelink.ALBListener{{Port: 443, Protocol: "HTTPS"}, {Port: 8443, Protocol: "HTTPS"}}
	svc, err := privatelink.NewProviderEndpointService(stack, "Svc", sp)
	if err != nil {
		t.Fatal(err)
	}
	props := consumerProps()
	props.Service = svc
	if _, err := privatelink.NewConsumerEndpoint(stack, "Ep", props); err != nil {
		t.Fatal(err)
	}
	props.Ports = []int{80}
	if _, err := privatelink.NewConsumerEndpoint(stack, "Ep80", props); err == nil || err.Error() != "Ports[0] 80: the service publishes 443, 8443 only; use one of its ports (an ALB listener port)" {
		t.Errorf("port 80: %v", err)
	}
	var ports []float64
	for name, r := range synthStack(t, stack).resources("aws_vpc_security_group_ingress_rule") {
		if v, _ := get(r, "from_port"); v != nil && strings.HasPrefix(name, "Ep_") {
			ports = append(ports, v.(float64))
		}
	}
	slices.Sort(ports)
	if !slices.Equal(ports, []float64{443, 8443}) {
		t.Errorf("endpoint ingress ports %v, want the service's 443 and 8443", ports)
	}
}

// AllowFrom refuses the CIDR that would take the endpoint's security group
// past its 60 inbound rules, with the same words as the props check.
func TestAllowFromStopsAtTheRuleQuota(t *testing.T) {
	props := consumerProps()
	props.Ports = []int{443, 8443}
	ep, err := privatelink.NewConsumerEndpoint(newStack(t), "Ep", props) // one rule per port from the VPC CIDR
	if err != nil {
		t.Fatal(err)
	}
	for i := range 29 {
		if err := ep.AllowFrom(fmt.Sprintf("192.168.%d.0/24", i)); err != nil {
			t.Fatalf("CIDR %d of 30 (60 rules): %v", i+2, err)
		}
	}
	err = ep.AllowFrom("172.16.0.0/16")
	if err == nil || err.Error() != `AllowFrom "172.16.0.0/16": would make 31 CIDRs × 2 ports = 62 ingress rules, but a security group holds 60 by default (quota "Inbound or outbound rules per security group"); admit wider CIDRs` {
		t.Errorf("31st CIDR: %v", err)
	}
}

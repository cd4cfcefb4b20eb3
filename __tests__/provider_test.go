package tests

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/alb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/alblistener"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
)

const (
	testALBARN = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188"
	testVPC    = "vpc-0a1b2c3d4e5f60718"
	testSG     = "sg-0a1b2c3d4e5f60718"
)

var testSubnets = []string{"subnet-0a1b2c3d4e5f60718", "subnet-1a2b3c4d5e6f70819"}

func existingALBProps() privatelink.ProviderEndpointServiceProps {
	return privatelink.ProviderEndpointServiceProps{
		VPCID:     testVPC,
		SubnetIDs: testSubnets,
		ALBARN:    testALBARN,
		Listeners: []privatelink.ALBListener{{Port: 443, Protocol: "HTTPS"}},
	}
}

func synthProvider(t *testing.T, props privatelink.ProviderEndpointServiceProps) (tfDoc, *privatelink.ProviderEndpointService) {
	t.Helper()
	stack := newStack(t)
	svc, err := privatelink.NewProviderEndpointService(stack, "Svc", props)
	if err != nil {
		t.Fatalf("NewProviderEndpointService: %v", err)
	}
	return synthStack(t, stack), svc
}

// AWS_NOTES 1: a target group and attachment alone carry no traffic; each
// published port needs an NLB TCP listener forwarding to its target group.
func TestNLBHasATCPListenerPerPortForwardingToItsTargetGroup(t *testing.T) {
	props := existingALBProps()
	props.Listeners = []privatelink.ALBListener{{Port: 443, Protocol: "HTTPS"}, {Port: 80, Protocol: "HTTP"}}
	doc, _ := synthProvider(t, props)

	nlbName, _ := doc.one(t, "aws_lb")
	listeners := doc.resources("aws_lb_listener")
	tgs := doc.resources("aws_lb_target_group")
	if len(listeners) != 2 || len(tgs) != 2 {
		t.Fatalf("want 2 NLB listeners and 2 target groups, got %d and %d", len(listeners), len(tgs))
	}
	for _, port := range []float64{443, 80} {
		tgName := findByPort(t, tgs, port)
		lName := findByPort(t, listeners, port)
		l := listeners[lName]
		expect(t, lName, l, "protocol", "TCP")
		expect(t, lName, l, "load_balancer_arn", ref("aws_lb", nlbName, "arn"))
		expect(t, lName, l, "default_action.0.type", "forward")
		expect(t, lName, l, "default_action.0.target_group_arn", ref("aws_lb_target_group", tgName, "arn"))
	}
}

// AWS_NOTES 2 and 4: the alb-type target group is TCP on the ALB listener's
// port in the ALB's VPC, and the attachment waits for that listener.
func TestTargetGroupMatchesALBListenerAndAttachmentWaitsForIt(t *testing.T) {
	stack := newStack(t)
	web := alb.NewAlb(stack, jsii.String("Web"), &alb.AlbConfig{Subnets: jsii.Strings(testSubnets...)})
	listener := alblistener.NewAlbListener(stack, jsii.String("WebHttps"), &alblistener.AlbListenerConfig{
		LoadBalancerArn: web.Arn(), Port: jsii.Number(8443), Protocol: jsii.String("HTTPS"),
		DefaultAction: &[]*alblistener.AlbListenerDefaultAction{{Type: jsii.String("fixed-response"),
			FixedResponse: &alblistener.AlbListenerDefaultActionFixedResponse{ContentType: jsii.String("text/plain")}}},
	})
	props := existingALBProps()
	props.ALBARN = *web.Arn()
	props.Listeners = []privatelink.ALBListener{{Port: 8443, Protocol: "HTTPS", Resource: listener}}
	if _, err := privatelink.NewProviderEndpointService(stack, "Svc", props); err != nil {
		t.Fatal(err)
	}
	doc := synthStack(t, stack)

	tgName, tg := doc.one(t, "aws_lb_target_group")
	expect(t, tgName, tg, "target_type", "alb")
	expect(t, tgName, tg, "protocol", "TCP")
	expect(t, tgName, tg, "port", 8443)
	expect(t, tgName, tg, "vpc_id", testVPC)
	expect(t, tgName, tg, "lifecycle.create_before_destroy", true)
	expectUnset(t, tgName, tg, "name") // generated, so a replacement never collides

	attName, att := doc.one(t, "aws_lb_target_group_attachment")
	expect(t, attName, att, "target_id", ref("aws_alb", "Web", "arn"))
	expect(t, attName, att, "port", 8443)
	expect(t, attName, att, "target_group_arn", ref("aws_lb_target_group", tgName, "arn"))
	expect(t, attName, att, "depends_on", []string{"aws_alb_listener.WebHttps"})
}

func TestAttachmentHasNoDependencyForAnExistingListener(t *testing.T) {
	doc, _ := synthProvider(t, existingALBProps())
	name, att := doc.one(t, "aws_lb_target_group_attachment")
	expectUnset(t, name, att, "depends_on")
	expect(t, name, att, "target_id", testALBARN)
}

// AWS_NOTES 3: an alb-type target group checks HTTP / by default, so an
// HTTPS-only ALB looks unhealthy. The check follows the listener's protocol.
func TestHealthCheckFollowsListenerProtocol(t *testing.T) {
	props := existingALBProps()
	props.Listeners = []privatelink.ALBListener{{Port: 443, Protocol: "https"}, {Port: 80, Protocol: "HTTP"}}
	doc, _ := synthProvider(t, props)
	tgs := doc.resources("aws_lb_target_group")
	https := tgs[findByPort(t, tgs, 443)]
	expect(t, "443", https, "health_check.protocol", "HTTPS")
	expect(t, "443", https, "health_check.path", "/")
	expect(t, "443", https, "health_check.matcher", "200-399")
	expect(t, "443", https, "health_check.port", "traffic-port")
	expect(t, "443", https, "health_check.interval", 30)
	expect(t, "443", https, "health_check.timeout", 5)
	expect(t, "443", https, "health_check.healthy_threshold", 3)
	expect(t, "443", https, "health_check.unhealthy_threshold", 3)
	expect(t, "80", tgs[findByPort(t, tgs, 80)], "health_check.protocol", "HTTP")
}

func TestHealthCheckIsConfigurable(t *testing.T) {
	props := existingALBProps()
	props.HealthCheck = privatelink.HealthCheck{Path: "/healthz", Matcher: "200,204", IntervalSeconds: 10, TimeoutSeconds: 4, HealthyThreshold: 2, UnhealthyThreshold: 5}
	doc, _ := synthProvider(t, props)
	name, tg := doc.one(t, "aws_lb_target_group")
	expect(t, name, tg, "health_check.protocol", "HTTPS")
	expect(t, name, tg, "health_check.path", "/healthz")
	expect(t, name, tg, "health_check.matcher", "200,204")
	expect(t, name, tg, "health_check.interval", 10)
	expect(t, name, tg, "health_check.timeout", 4)
	expect(t, name, tg, "health_check.healthy_threshold", 2)
	expect(t, name, tg, "health_check.unhealthy_threshold", 5)
}

// AWS_NOTES 6 and 7: cross-zone on by default (opt-out works), an internal
// NLB whose security group is fixed at creation and does not drop
// PrivateLink traffic.
func TestNLBDefaults(t *testing.T) {
	doc, svc := synthProvider(t, existingALBProps())
	name, nlb := doc.one(t, "aws_lb")
	sgName, sg := doc.one(t, "aws_security_group")
	expect(t, name, nlb, "internal", true)
	expect(t, name, nlb, "load_balancer_type", "network")
	expect(t, name, nlb, "subnets", testSubnets)
	expect(t, name, nlb, "enable_cross_zone_load_balancing", true)
	expect(t, name, nlb, "enable_deletion_protection", false)
	expect(t, name, nlb, "security_groups", []string{ref("aws_security_group", sgName, "id")})
	expect(t, name, nlb, "enforce_security_group_inbound_rules_on_private_link_traffic", "off")
	expectUnset(t, name, nlb, "name")
	expect(t, sgName, sg, "vpc_id", testVPC)
	if d, _ := sg["description"].(string); d == "" {
		t.Errorf("NLB security group has no description")
	}
	if *cdktf.Token_IsUnresolved(svc.NLBARN()) != true || *cdktf.Token_IsUnresolved(svc.NLBDNSName()) != true {
		t.Error("NLB attributes should be deploy-time tokens")
	}

	no := false
	props := existingALBProps()
	props.CrossZoneLoadBalancing = &no
	props.DeletionProtection = true
	props.NLBName = "orders-privatelink"
	doc, _ = synthProvider(t, props)
	name, nlb = doc.one(t, "aws_lb")
	expect(t, name, nlb, "enable_cross_zone_load_balancing", false)
	expect(t, name, nlb, "enable_deletion_protection", true)
	expect(t, name, nlb, "name", "orders-privatelink")
}

// AWS_NOTES 8: the ALB must admit the NLB. Given the ALB's security group,
// the construct opens each listener port to the NLB's group, and the NLB
// group's only egress is to the ALB on those ports.
func TestALBSecurityGroupAdmitsTheNLB(t *testing.T) {
	props := existingALBProps()
	props.ALBSecurityGroupID = testSG
	doc, _ := synthProvider(t, props)
	sgName, _ := doc.one(t, "aws_security_group")
	nlbSG := ref("aws_security_group", sgName, "id")

	inName, in := doc.one(t, "aws_vpc_security_group_ingress_rule")
	expect(t, inName, in, "security_group_id", testSG)
	expect(t, inName, in, "referenced_security_group_id", nlbSG)
	expect(t, inName, in, "ip_protocol", "tcp")
	expect(t, inName, in, "from_port", 443)
	expect(t, inName, in, "to_port", 443)

	outName, out := doc.one(t, "aws_vpc_security_group_egress_rule")
	expect(t, outName, out, "security_group_id", nlbSG)
	expect(t, outName, out, "referenced_security_group_id", testSG)
	expect(t, outName, out, "from_port", 443)
	expect(t, outName, out, "to_port", 443)
	expectUnset(t, outName, out, "cidr_ipv4")
	for _, r := range []resource{in, out} {
		if d, _ := r["description"].(string); d == "" {
			t.Errorf("security group rule without a description:\n%s", pretty(r))
		}
	}
}

func TestWithoutALBSecurityGroupNLBEgressIsLimitedToTheVPC(t *testing.T) {
	doc, _ := synthProvider(t, existingALBProps())
	if n := len(doc.resources("aws_vpc_security_group_ingress_rule")); n != 0 {
		t.Errorf("no ALB security group given, yet %d ingress rules were added", n)
	}
	vpcData := doc.data("aws_vpc")
	if len(vpcData) != 1 {
		t.Fatalf("want one aws_vpc data source for the VPC CIDR, got %d", len(vpcData))
	}
	for name, v := range vpcData {
		expect(t, name, v, "id", testVPC)
		outName, out := doc.one(t, "aws_vpc_security_group_egress_rule")
		expect(t, outName, out, "cidr_ipv4", "${data.aws_vpc."+name+".cidr_block}")
		expect(t, outName, out, "from_port", 443)
	}
	for name, sg := range doc.resources("aws_security_group") {
		expectUnset(t, name, sg, "ingress") // inline rules are invisible to scanners
		expectUnset(t, name, sg, "egress")
	}
}

// AWS_NOTES 11: acceptance_required always explicit; principals as ARNs;
// "*" refused without acceptance; AllowPrincipal dedups.
func TestEndpointServicePrincipals(t *testing.T) {
	props := existingALBProps()
	props.AllowedPrincipals = []string{"111122223333", "arn:aws:iam::444455556666:role/Deployer"}
	stack := newStack(t)
	svc, err := privatelink.NewProviderEndpointService(stack, "Svc", props)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"777788889999", "111122223333"} {
		if err := svc.AllowPrincipal(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.AllowPrincipal("not-an-account"); err == nil {
		t.Error("AllowPrincipal accepted a bad principal")
	}
	doc := synthStack(t, stack)
	name, es := doc.one(t, "aws_vpc_endpoint_service")
	nlbName, _ := doc.one(t, "aws_lb")
	expect(t, name, es, "acceptance_required", true)
	expect(t, name, es, "network_load_balancer_arns", []string{ref("aws_lb", nlbName, "arn")})
	expect(t, name, es, "allowed_principals", []string{
		"arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:role/Deployer", "arn:aws:iam::777788889999:root",
	})
	if n := len(doc.resources("aws_vpc_endpoint_service_allowed_principal")); n != 0 {
		t.Errorf("principals must be owned by one mechanism; found %d aws_vpc_endpoint_service_allowed_principal", n)
	}
	if !strings.HasPrefix(name, "Svc") {
		t.Errorf("endpoint service logical ID %q should come from the construct ID", name)
	}
}

func TestAcceptanceOptOutIsExplicitAndRefusesWildcard(t *testing.T) {
	no, yes := false, true
	props := existingALBProps()
	props.AcceptanceRequired = &no
	stack := newStack(t)
	svc, err := privatelink.NewProviderEndpointService(stack, "Svc", props)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.AllowPrincipal("*"); err == nil || !strings.Contains(err.Error(), `allowed principal "*": lets anyone in the partition connect; require acceptance`) {
		t.Errorf(`AllowPrincipal("*") without acceptance = %v`, err)
	}
	doc := synthStack(t, stack)
	name, es := doc.one(t, "aws_vpc_endpoint_service")
	expect(t, name, es, "acceptance_required", false)
	expect(t, name, es, "allowed_principals", []string{})

	props.AcceptanceRequired = &yes
	props.AllowedPrincipals = []string{"*"}
	doc, _ = synthProvider(t, props)
	name, es = doc.one(t, "aws_vpc_endpoint_service")
	expect(t, name, es, "allowed_principals", []string{"*"})
}

func TestSupportedRegionsAndTags(t *testing.T) {
	props := existingALBProps()
	props.SupportedRegions = []string{"us-east-1"}
	props.Tags = map[string]string{"Owner": "platform"}
	doc, _ := synthProvider(t, props)
	name, es := doc.one(t, "aws_vpc_endpoint_service")
	regions := doc.data("aws_region")
	if len(regions) != 1 {
		t.Fatalf("want one aws_region data source for the home region, got %d", len(regions))
	}
	for rName := range regions {
		expect(t, name, es, "supported_regions", []string{"${data.aws_region." + rName + ".name}", "us-east-1"})
	}
	expect(t, name, es, "tags.Owner", "platform")
	expect(t, name, es, "tags.Name", "test-Svc-service")
	nlbName, nlb := doc.one(t, "aws_lb")
	expect(t, nlbName, nlb, "tags.Owner", "platform")
}

func findByPort(t *testing.T, rs map[string]resource, port float64) string {
	t.Helper()
	for name, r := range rs {
		if p, _ := r["port"].(float64); p == port {
			return name
		}
	}
	t.Fatalf("no resource on port %v among:\n%s", port, pretty(rs))
	return ""
}

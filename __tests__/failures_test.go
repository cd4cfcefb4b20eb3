package tests

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
	"github.com/alb-privatelink/alb-privatelink/stacks"
)

// Bad input never reaches Terraform: the constructors return an error that
// names the field, shows the value and says the fix.
func TestProviderEndpointServiceRejectsBadInput(t *testing.T) {
	no := false
	cases := []struct {
		name   string
		mutate func(*privatelink.ProviderEndpointServiceProps)
		want   string
	}{
		{"no subnets", func(p *privatelink.ProviderEndpointServiceProps) { p.SubnetIDs = nil }, "SubnetIDs: got 0, want at least 2"},
		{"one AZ", func(p *privatelink.ProviderEndpointServiceProps) { p.SubnetIDs = p.SubnetIDs[:1] }, "SubnetIDs: got 1, want at least 2"},
		{"subnet that is not an ID", func(p *privatelink.ProviderEndpointServiceProps) { p.SubnetIDs = []string{"private-a", "private-b"} }, `SubnetIDs[0] "private-a"`},
		{"no VPC", func(p *privatelink.ProviderEndpointServiceProps) { p.VPCID = "" }, "VPCID: required"},
		{"no ALB", func(p *privatelink.ProviderEndpointServiceProps) { p.ALBARN = "" }, "ALBARN: required"},
		{"NLB ARN as ALB", func(p *privatelink.ProviderEndpointServiceProps) {
			p.ALBARN = strings.Replace(testALBARN, "/app/", "/net/", 1)
		}, "want an Application Load Balancer ARN"},
		{"no listeners", func(p *privatelink.ProviderEndpointServiceProps) { p.Listeners = nil }, "Listeners: required"},
		{"port 0", func(p *privatelink.ProviderEndpointServiceProps) { p.Listeners[0].Port = 0 }, "Listeners[0].Port 0: want a TCP port from 1 to 65535"},
		{"port 65536", func(p *privatelink.ProviderEndpointServiceProps) { p.Listeners[0].Port = 65536 }, "Listeners[0].Port 65536"},
		{"TCP listener", func(p *privatelink.ProviderEndpointServiceProps) { p.Listeners[0].Protocol = "TCP" }, `Listeners[0].Protocol "TCP"`},
		{"duplicate port", func(p *privatelink.ProviderEndpointServiceProps) {
			p.Listeners = append(p.Listeners, p.Listeners[0])
		}, "Listeners[1].Port 443: listed twice"},
		{"bad principal", func(p *privatelink.ProviderEndpointServiceProps) { p.AllowedPrincipals = []string{"1234"} }, `allowed principal "1234": want a 12-digit account ID or an IAM ARN`},
		{"wildcard without acceptance", func(p *privatelink.ProviderEndpointServiceProps) {
			p.AcceptanceRequired = &no
			p.AllowedPrincipals = []string{"*"}
		}, `allowed principal "*": lets anyone in the partition connect`},
		{"interval 1", func(p *privatelink.ProviderEndpointServiceProps) { p.HealthCheck.IntervalSeconds = 1 }, "HealthCheck.IntervalSeconds 1: want 5 to 300"},
		{"threshold 11", func(p *privatelink.ProviderEndpointServiceProps) { p.HealthCheck.HealthyThreshold = 11 }, "HealthCheck.HealthyThreshold 11: want 2 to 10"},
		{"long NLB name", func(p *privatelink.ProviderEndpointServiceProps) { p.NLBName = strings.Repeat("n", 33) }, "the limit is 32"},
		{"internal- NLB name", func(p *privatelink.ProviderEndpointServiceProps) { p.NLBName = "internal-orders" }, `must not start with "internal-"`},
		{"bad ALB SG", func(p *privatelink.ProviderEndpointServiceProps) { p.ALBSecurityGroupID = "web-sg" }, `ALBSecurityGroupID "web-sg"`},
		{"bad region", func(p *privatelink.ProviderEndpointServiceProps) { p.SupportedRegions = []string{"tokyo"} }, `SupportedRegions[0] "tokyo"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			props := existingALBProps()
			props.Listeners = append([]privatelink.ALBListener(nil), props.Listeners...)
			tc.mutate(&props)
			stack := newStack(t)
			svc, err := privatelink.NewProviderEndpointService(stack, "Svc", props)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
			if svc != nil {
				t.Error("a service was returned with the error")
			}
			if n := len(*stack.Node().Children()); n != 1 { // only the AWS provider
				t.Errorf("failed constructor left %d children in the stack", n-1)
			}
		})
	}
}

func TestConsumerEndpointRejectsBadInput(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*privatelink.ConsumerEndpointProps)
		want   string
	}{
		{"no subnets", func(p *privatelink.ConsumerEndpointProps) { p.SubnetIDs = nil }, "SubnetIDs: got 0, want at least 2"},
		{"one AZ", func(p *privatelink.ConsumerEndpointProps) { p.SubnetIDs = p.SubnetIDs[:1] }, "SubnetIDs: got 1"},
		{"no service", func(p *privatelink.ConsumerEndpointProps) { p.Service = nil }, "Service: required"},
		{"placeholder service name", func(p *privatelink.ConsumerEndpointProps) {
			p.Service = privatelink.EndpointServiceFromName("com.amazonaws.vpce.ap-northeast-1.vpce-svc-xxxxxxxxxxxxxxxxx")
		}, "want an endpoint service name, com.amazonaws.vpce.REGION.vpce-svc-ID"},
		{"port 0", func(p *privatelink.ConsumerEndpointProps) { p.Ports = []int{0} }, "Ports[0] 0: want a TCP port"},
		{"CIDR without prefix", func(p *privatelink.ConsumerEndpointProps) { p.AllowedCIDRs = []string{"10.20.0.0"} }, `AllowedCIDRs[0] "10.20.0.0"`},
		{"duplicate CIDR", func(p *privatelink.ConsumerEndpointProps) { p.AllowedCIDRs = []string{"10.20.0.0/16", "10.20.0.0/16"} }, `AllowedCIDRs[1] "10.20.0.0/16": listed twice`},
		{"nil owned service", func(p *privatelink.ConsumerEndpointProps) {
			var svc *privatelink.ProviderEndpointService
			p.Service = svc
		}, "Service: required"},
		{"typo'd CIDR reference", func(p *privatelink.ConsumerEndpointProps) { p.VPCCIDR = "aws_vpc.consumer.cidr_blok" }, `VPCCIDR "aws_vpc.consumer.cidr_blok"`},
		{"domain with upper case", func(p *privatelink.ConsumerEndpointProps) { p.CustomDomain = "Orders.Example.com" }, `CustomDomain "Orders.Example.com"`},
		{"domain and private DNS", func(p *privatelink.ConsumerEndpointProps) {
			p.CustomDomain = "orders.example.com"
			p.PrivateDNSEnabled = true
		}, "set either CustomDomain or PrivateDNSEnabled"},
		{"bad service region", func(p *privatelink.ConsumerEndpointProps) { p.ServiceRegion = "us-east-1a" }, `ServiceRegion "us-east-1a"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			props := consumerProps()
			tc.mutate(&props)
			ep, err := privatelink.NewConsumerEndpoint(newStack(t), "Ep", props)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
			if ep != nil {
				t.Error("an endpoint was returned with the error")
			}
		})
	}
}

func TestBuildRejectsBadConfigBeforeCreatingStacks(t *testing.T) {
	cases := []struct {
		name string
		cfg  stacks.AppConfig
		want []string
	}{
		{"one AZ", stacks.AppConfig{Provider: stacks.ProviderConfig{AZIDs: []string{"apne1-az1"}}},
			[]string{"provider.azIds has 1, want at least 2"}},
		{"AZ names instead of IDs", stacks.AppConfig{Consumers: []stacks.ConsumerConfig{{AZIDs: []string{"ap-northeast-1a", "ap-northeast-1c"}}}},
			[]string{`consumers[0].azIds[0] "ap-northeast-1a"`, `consumers[0].azIds[1] "ap-northeast-1c"`}},
		{"region without AZ IDs", stacks.AppConfig{Provider: stacks.ProviderConfig{AWS: stacks.AWSConfig{Region: "sa-east-1"}}},
			[]string{"provider.azIds is required in sa-east-1"}},
		{"bad principal", stacks.AppConfig{Provider: stacks.ProviderConfig{AllowedPrincipals: []string{"me"}}},
			[]string{`provider.allowedPrincipals[0] "me": want a 12-digit account ID`}},
		{"existing ALB with no subnets", stacks.AppConfig{Provider: stacks.ProviderConfig{ExistingALB: &stacks.ExistingALB{
			ARN: testALBARN, VPCID: testVPC, Listeners: []stacks.Listener{{Port: 443, Protocol: "HTTPS"}},
		}}}, []string{"provider.existingAlb.subnetIds has 0, want at least 2"}},
		{"existing ALB with port 0", stacks.AppConfig{Provider: stacks.ProviderConfig{ExistingALB: &stacks.ExistingALB{
			ARN: testALBARN, VPCID: testVPC, SubnetIDs: testSubnets, Listeners: []stacks.Listener{{Port: 0, Protocol: "HTTPS"}},
		}}}, []string{"provider.existingAlb.listeners[0].port 0"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := cdktf.Testing_App(nil)
			_, err := stacks.Build(app, tc.cfg)
			if err == nil {
				t.Fatal("bad config accepted")
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not mention %q:\n%v", want, err)
				}
			}
		})
	}
}

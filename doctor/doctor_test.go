package doctor

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

const (
	nlbARN = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/net/pl/1"
	albARN = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/app/web/2"
	tgARN  = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:targetgroup/tg/3"
)

// fake answers as a healthy deployment does; each test breaks one thing.
type fake struct {
	service      ec2types.ServiceConfiguration
	endpoint     ec2types.VpcEndpoint
	rules        []ec2types.SecurityGroupRule
	offered      []string
	subnets      []ec2types.Subnet
	nlbListeners []elbtypes.Listener
	albListeners []elbtypes.Listener
	targets      []elbtypes.TargetHealthDescription
	albRules     []ec2types.SecurityGroupRule
	nlbRules     []ec2types.SecurityGroupRule
}

func healthy() *fake {
	return &fake{
		service: ec2types.ServiceConfiguration{ServiceId: aws.String("vpce-svc-1"), ServiceState: "Available", NetworkLoadBalancerArns: []string{nlbARN}},
		endpoint: ec2types.VpcEndpoint{VpcEndpointId: aws.String("vpce-1"), State: "available", ServiceName: aws.String("com.amazonaws.vpce.ap-northeast-1.vpce-svc-1"),
			Groups: []ec2types.SecurityGroupIdentifier{{GroupId: aws.String("sg-1")}}, SubnetIds: []string{"subnet-a", "subnet-d"}},
		rules:        []ec2types.SecurityGroupRule{{IsEgress: aws.Bool(false), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), CidrIpv4: aws.String("10.20.0.0/16")}},
		offered:      []string{"ap-northeast-1a", "ap-northeast-1d"},
		subnets:      []ec2types.Subnet{{SubnetId: aws.String("subnet-a"), AvailabilityZone: aws.String("ap-northeast-1a")}, {SubnetId: aws.String("subnet-d"), AvailabilityZone: aws.String("ap-northeast-1d")}},
		nlbListeners: []elbtypes.Listener{{LoadBalancerArn: aws.String(nlbARN), Port: aws.Int32(443), Protocol: "TCP", DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(tgARN)}}}},
		albListeners: []elbtypes.Listener{{Port: aws.Int32(443), Protocol: "HTTPS"}},
		targets:      []elbtypes.TargetHealthDescription{{Target: &elbtypes.TargetDescription{Id: aws.String(albARN), Port: aws.Int32(443)}, TargetHealth: &elbtypes.TargetHealth{State: "healthy"}}},
		nlbRules:     []ec2types.SecurityGroupRule{{IsEgress: aws.Bool(true), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443)}},
		albRules:     []ec2types.SecurityGroupRule{{IsEgress: aws.Bool(false), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), ReferencedGroupInfo: &ec2types.ReferencedSecurityGroup{GroupId: aws.String("sg-nlb")}}},
	}
}

func (f *fake) DescribeVpcEndpointServiceConfigurations(context.Context, *ec2.DescribeVpcEndpointServiceConfigurationsInput, ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointServiceConfigurationsOutput, error) {
	return &ec2.DescribeVpcEndpointServiceConfigurationsOutput{ServiceConfigurations: []ec2types.ServiceConfiguration{f.service}}, nil
}
func (f *fake) DescribeVpcEndpoints(context.Context, *ec2.DescribeVpcEndpointsInput, ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointsOutput, error) {
	return &ec2.DescribeVpcEndpointsOutput{VpcEndpoints: []ec2types.VpcEndpoint{f.endpoint}}, nil
}
func (f *fake) DescribeVpcEndpointServices(context.Context, *ec2.DescribeVpcEndpointServicesInput, ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointServicesOutput, error) {
	return &ec2.DescribeVpcEndpointServicesOutput{ServiceDetails: []ec2types.ServiceDetail{{AvailabilityZones: f.offered}}}, nil
}
func (f *fake) DescribeSecurityGroupRules(_ context.Context, in *ec2.DescribeSecurityGroupRulesInput, _ ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupRulesOutput, error) {
	switch in.Filters[0].Values[0] {
	case "sg-nlb":
		return &ec2.DescribeSecurityGroupRulesOutput{SecurityGroupRules: f.nlbRules}, nil
	case "sg-alb":
		return &ec2.DescribeSecurityGroupRulesOutput{SecurityGroupRules: f.albRules}, nil
	}
	return &ec2.DescribeSecurityGroupRulesOutput{SecurityGroupRules: f.rules}, nil
}
func (f *fake) DescribeLoadBalancers(context.Context, *elb.DescribeLoadBalancersInput, ...func(*elb.Options)) (*elb.DescribeLoadBalancersOutput, error) {
	return &elb.DescribeLoadBalancersOutput{LoadBalancers: []elbtypes.LoadBalancer{
		{LoadBalancerArn: aws.String(nlbARN), SecurityGroups: []string{"sg-nlb"}},
		{LoadBalancerArn: aws.String(albARN), SecurityGroups: []string{"sg-alb"}},
	}}, nil
}
func (f *fake) DescribeSubnets(context.Context, *ec2.DescribeSubnetsInput, ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error) {
	return &ec2.DescribeSubnetsOutput{Subnets: f.subnets}, nil
}
func (f *fake) DescribeListeners(_ context.Context, in *elb.DescribeListenersInput, _ ...func(*elb.Options)) (*elb.DescribeListenersOutput, error) {
	if aws.ToString(in.LoadBalancerArn) == albARN {
		return &elb.DescribeListenersOutput{Listeners: f.albListeners}, nil
	}
	return &elb.DescribeListenersOutput{Listeners: f.nlbListeners}, nil
}
func (f *fake) DescribeTargetGroups(context.Context, *elb.DescribeTargetGroupsInput, ...func(*elb.Options)) (*elb.DescribeTargetGroupsOutput, error) {
	return &elb.DescribeTargetGroupsOutput{}, nil
}
func (f *fake) DescribeTargetHealth(context.Context, *elb.DescribeTargetHealthInput, ...func(*elb.Options)) (*elb.DescribeTargetHealthOutput, error) {
	return &elb.DescribeTargetHealthOutput{TargetHealthDescriptions: f.targets}, nil
}

func diagnose(f *fake) Report {
	return Run(context.Background(),
		&Provider{Stack: "provider", ServiceID: "vpce-svc-1", Ports: []int{443}, EC2: f, ELB: f},
		[]Consumer{{Stack: "consumer-payments", EndpointID: "vpce-1", Ports: []int{443}, EC2: f}})
}

func TestHealthyChainHasNoProblem(t *testing.T) {
	r := diagnose(healthy())
	if r.Problems() != 0 || len(r.Results) < 7 {
		t.Errorf("%d problems in %d checks:\n%s", r.Problems(), len(r.Results), text(r))
	}
}

func text(r Report) string {
	var lines []string
	for _, res := range r.Results {
		lines = append(lines, res.String())
	}
	return strings.Join(lines, "\n")
}

// Each broken link is one problem that names it and says the fix.
func TestEachBrokenLinkIsNamedWithItsFix(t *testing.T) {
	for _, c := range []struct {
		name   string
		break_ func(*fake)
		want   []string
	}{
		{"connection pending acceptance", func(f *fake) { f.endpoint.State = "pendingAcceptance" },
			[]string{"PROBLEM: consumer-payments: the endpoint's connection is available: pendingAcceptance", "npx cdktf deploy accept-consumer-payments"}},
		{"connection rejected", func(f *fake) { f.endpoint.State = "rejected" },
			[]string{"available: rejected", "the provider rejected it"}},
		{"ALB failing its health checks", func(f *fake) {
			f.targets[0].TargetHealth = &elbtypes.TargetHealth{State: "unhealthy", Reason: "Target.FailedHealthChecks", Description: aws.String("Health checks failed")}
		}, []string{"the ALB is healthy as the NLB's target on port 443: state unhealthy, reason Target.FailedHealthChecks", "security group admits the NLB's security group on 443", "an HTTP check of an HTTPS listener fails"}},
		{"ALB deregistered", func(f *fake) { f.targets = nil },
			[]string{"the ALB is registered on port 443: the target group has no target", "deploy the provider stack again"}},
		{"NLB listener deleted", func(f *fake) { f.nlbListeners = nil },
			[]string{"NLB listener on port 443 exists: none", "an NLB without a listener carries no traffic"}},
		{"ALB listener missing", func(f *fake) { f.albListeners = nil },
			[]string{"the ALB has a listener on port 443: none", "add the ALB listener on 443"}},
		{"endpoint rule revoked", func(f *fake) { f.rules = nil },
			[]string{"the endpoint's security group admits port 443: no inbound rule for it in sg-1", "clients time out"}},
		{"subnet in a zone the service does not offer", func(f *fake) { f.subnets[1].AvailabilityZone = aws.String("ap-northeast-1c") },
			[]string{"subnet-d in ap-northeast-1c; the service offers ap-northeast-1a, ap-northeast-1d", "place the subnets by AZ ID"}},
		{"ALB security group not admitting the NLB", func(f *fake) { f.albRules = nil },
			[]string{"the ALB's security group admits the NLB on 443: no inbound rule on 443", "set existingAlb.securityGroupId"}},
		{"NLB egress revoked", func(f *fake) { f.nlbRules = nil },
			[]string{"the NLB's security group lets traffic out to the ALB on 443: no egress rule in sg-nlb"}},
		{"private DNS not verified", func(f *fake) {
			f.service.PrivateDnsName = aws.String("api.example.com")
			f.service.PrivateDnsNameConfiguration = &ec2types.PrivateDnsNameConfiguration{State: "pendingVerification", Name: aws.String("_abc"), Value: aws.String("vpce:xyz"), Type: aws.String("TXT")}
		}, []string{"private DNS name api.example.com is verified: state pendingVerification", `create TXT _abc = "vpce:xyz"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := healthy()
			c.break_(f)
			r := diagnose(f)
			if r.Problems() != 1 {
				t.Errorf("%d problems, want 1:\n%s", r.Problems(), text(r))
			}
			for _, w := range c.want {
				if !strings.Contains(text(r), w) {
					t.Errorf("report lacks %q:\n%s", w, text(r))
				}
			}
		})
	}
}

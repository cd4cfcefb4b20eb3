package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"

	"github.com/alb-privatelink/alb-privatelink/config"

	"github.com/alb-privatelink/alb-privatelink/probe"
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
	dnsHostnames bool
	zones        []r53types.HostedZoneSummary
	records      []r53types.ResourceRecordSet
	probe        probe.Response
	probeErr     error
	probeFailure string              // FunctionError
	states       []lambdatypes.State // the probe's state at each read; the last one stays
	confErr      error
	invokes      int
	endpointErr  error
}

var probeRule = ec2types.SecurityGroupRule{IsEgress: aws.Bool(false), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
	ReferencedGroupInfo: &ec2types.ReferencedSecurityGroup{GroupId: aws.String("sg-probe")}}

const endpointDNS = "vpce-1-abcdefgh.vpce-svc-1.ap-northeast-1.vpce.amazonaws.com"

func healthy() *fake {
	return &fake{
		service: ec2types.ServiceConfiguration{ServiceId: aws.String("vpce-svc-1"), ServiceState: "Available", NetworkLoadBalancerArns: []string{nlbARN}},
		endpoint: ec2types.VpcEndpoint{VpcEndpointId: aws.String("vpce-1"), State: "available", ServiceName: aws.String("com.amazonaws.vpce.ap-northeast-1.vpce-svc-1"),
			Groups: []ec2types.SecurityGroupIdentifier{{GroupId: aws.String("sg-1")}}, SubnetIds: []string{"subnet-a", "subnet-d"},
			VpcId: aws.String("vpc-1"), DnsEntries: []ec2types.DnsEntry{{DnsName: aws.String(endpointDNS)}}},
		rules:        []ec2types.SecurityGroupRule{{IsEgress: aws.Bool(false), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), CidrIpv4: aws.String("10.20.0.0/16")}, probeRule},
		offered:      []string{"ap-northeast-1a", "ap-northeast-1d"},
		subnets:      []ec2types.Subnet{{SubnetId: aws.String("subnet-a"), AvailabilityZone: aws.String("ap-northeast-1a")}, {SubnetId: aws.String("subnet-d"), AvailabilityZone: aws.String("ap-northeast-1d")}},
		nlbListeners: []elbtypes.Listener{{LoadBalancerArn: aws.String(nlbARN), Port: aws.Int32(443), Protocol: "TCP", DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(tgARN)}}}},
		albListeners: []elbtypes.Listener{{Port: aws.Int32(443), Protocol: "HTTPS"}},
		targets:      []elbtypes.TargetHealthDescription{{Target: &elbtypes.TargetDescription{Id: aws.String(albARN), Port: aws.Int32(443)}, TargetHealth: &elbtypes.TargetHealth{State: "healthy"}}},
		nlbRules:     []ec2types.SecurityGroupRule{{IsEgress: aws.Bool(true), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443)}},
		albRules:     []ec2types.SecurityGroupRule{{IsEgress: aws.Bool(false), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), ReferencedGroupInfo: &ec2types.ReferencedSecurityGroup{GroupId: aws.String("sg-nlb")}}},
		dnsHostnames: true,
		zones: []r53types.HostedZoneSummary{{HostedZoneId: aws.String("Z0OTHER"), Name: aws.String("other.internal.")},
			{HostedZoneId: aws.String("Z0PRIVATE"), Name: aws.String("app.example.com.")}},
		records: []r53types.ResourceRecordSet{{Name: aws.String("app.example.com."), Type: r53types.RRTypeA, AliasTarget: &r53types.AliasTarget{DNSName: aws.String(endpointDNS + ".")}},
			{Name: aws.String("www.example.com."), Type: r53types.RRTypeCname}},
		probe: probe.Response{Results: []probe.Result{
			{Host: "app.example.com", Port: 443, Address: "10.20.1.5", Protocol: "https", Status: 200, LatencyMS: 12,
				Certificate: &probe.Certificate{Names: []string{"app.example.com"}, NameMatch: true, Trusted: true, NotAfter: time.Now().Add(90 * 24 * time.Hour)}},
			{Host: endpointDNS, Port: 443, Address: "10.20.1.5", Protocol: "https", Status: 200, LatencyMS: 11,
				Certificate: &probe.Certificate{Names: []string{"app.example.com"}, Trusted: true}},
		}},
	}
}

func (f *fake) DescribeVpcAttribute(_ context.Context, in *ec2.DescribeVpcAttributeInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcAttributeOutput, error) {
	if in.Attribute == ec2types.VpcAttributeNameEnableDnsHostnames {
		return &ec2.DescribeVpcAttributeOutput{EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(f.dnsHostnames)}}, nil
	}
	return &ec2.DescribeVpcAttributeOutput{EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}, nil
}
func (f *fake) ListHostedZonesByVPC(_ context.Context, in *route53.ListHostedZonesByVPCInput, _ ...func(*route53.Options)) (*route53.ListHostedZonesByVPCOutput, error) {
	if aws.ToString(in.VPCId) != "vpc-1" || in.VPCRegion != "ap-northeast-1" {
		return nil, errors.New("asked about the wrong VPC")
	}
	// one zone per page, as a VPC with many zones is paged
	i := 0
	if in.NextToken != nil {
		i, _ = strconv.Atoi(*in.NextToken)
	}
	if i >= len(f.zones) {
		return &route53.ListHostedZonesByVPCOutput{}, nil
	}
	out := &route53.ListHostedZonesByVPCOutput{HostedZoneSummaries: f.zones[i : i+1]}
	if i+1 < len(f.zones) {
		out.NextToken = aws.String(strconv.Itoa(i + 1))
	}
	return out, nil
}

// ListResourceRecordSets lists from StartRecordName on, as Route 53 does:
// without that record it returns the next one.
func (f *fake) ListResourceRecordSets(_ context.Context, in *route53.ListResourceRecordSetsInput, _ ...func(*route53.Options)) (*route53.ListResourceRecordSetsOutput, error) {
	var out []r53types.ResourceRecordSet
	for _, r := range f.records {
		if strings.TrimSuffix(aws.ToString(r.Name), ".") >= aws.ToString(in.StartRecordName) && len(out) < int(aws.ToInt32(in.MaxItems)) {
			out = append(out, r)
		}
	}
	return &route53.ListResourceRecordSetsOutput{ResourceRecordSets: out}, nil
}
func (f *fake) GetFunctionConfiguration(context.Context, *lambda.GetFunctionConfigurationInput, ...func(*lambda.Options)) (*lambda.GetFunctionConfigurationOutput, error) {
	if f.confErr != nil {
		return nil, f.confErr
	}
	state := lambdatypes.StateActive
	if len(f.states) > 0 {
		state = f.states[0]
		if len(f.states) > 1 {
			f.states = f.states[1:]
		}
	}
	out := &lambda.GetFunctionConfigurationOutput{State: state, VpcConfig: &lambdatypes.VpcConfigResponse{SecurityGroupIds: []string{"sg-probe"}}}
	if state == lambdatypes.StateFailed {
		out.StateReasonCode, out.StateReason = lambdatypes.StateReasonCodeSubnetOutOfIPAddresses, aws.String("All subnets are out of IP addresses")
	}
	return out, nil
}
func (f *fake) Invoke(_ context.Context, in *lambda.InvokeInput, _ ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	f.invokes++
	if f.probeErr != nil {
		return nil, f.probeErr
	}
	if aws.ToString(in.FunctionName) != "probe-vpce-1" {
		return nil, errors.New("ResourceNotFoundException: " + aws.ToString(in.FunctionName))
	}
	if f.probeFailure != "" {
		return &lambda.InvokeOutput{FunctionError: aws.String(f.probeFailure), Payload: []byte(`{"errorMessage":"Task timed out after 30.03 seconds"}`)}, nil
	}
	b, _ := json.Marshal(f.probe)
	return &lambda.InvokeOutput{Payload: b}, nil
}

func (f *fake) DescribeVpcEndpointServiceConfigurations(context.Context, *ec2.DescribeVpcEndpointServiceConfigurationsInput, ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointServiceConfigurationsOutput, error) {
	return &ec2.DescribeVpcEndpointServiceConfigurationsOutput{ServiceConfigurations: []ec2types.ServiceConfiguration{f.service}}, nil
}
func (f *fake) DescribeVpcEndpoints(context.Context, *ec2.DescribeVpcEndpointsInput, ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointsOutput, error) {
	if f.endpointErr != nil {
		return nil, f.endpointErr
	}
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
		[]Consumer{{Stack: "consumer-payments", Region: "ap-northeast-1", EndpointID: "vpce-1", Ports: []int{443}, CustomDomain: "app.example.com",
			ProbeFunction: "probe-vpce-1", EC2: f, Route53: f, Lambda: f}})
}

func TestHealthyChainHasNoProblem(t *testing.T) {
	r := diagnose(healthy())
	if r.Problems() != 0 || len(r.Results) < 15 {
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
	defer func(p, m time.Duration) { probePoll, probeWaitMax = p, m }(probePoll, probeWaitMax)
	probePoll, probeWaitMax = time.Millisecond, 20*time.Millisecond
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
		{"endpoint rule revoked, the probe's left", func(f *fake) { f.rules = []ec2types.SecurityGroupRule{probeRule} },
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
		{"VPC without DNS hostnames", func(f *fake) { f.dnsHostnames = false },
			[]string{"the VPC resolves private names (DNS support and DNS hostnames on): enableDnsHostnames off in vpc-1", "--enable-dns-hostnames"}},
		{"custom domain's zone not associated", func(f *fake) { f.zones = nil },
			[]string{"a private zone for app.example.com is associated with the VPC: none in vpc-1", "associate-vpc-with-hosted-zone --hosted-zone-id ZONE --vpc VPCRegion=ap-northeast-1,VPCId=vpc-1"}},
		{"custom domain aliasing something else", func(f *fake) {
			f.records[0].AliasTarget.DNSName = aws.String("internal-old-alb-123.ap-northeast-1.elb.amazonaws.com.")
		}, []string{"app.example.com aliases the endpoint: it aliases internal-old-alb-123.ap-northeast-1.elb.amazonaws.com, not this endpoint"}},
		{"custom domain without its record", func(f *fake) { f.records = f.records[1:] }, // the API then lists the next record
			[]string{"app.example.com aliases the endpoint: no alias A record for app.example.com in zone Z0PRIVATE", "AliasRecord"}},
		{"probe cannot be invoked", func(f *fake) {
			f.probeErr = errors.New("AccessDeniedException: not authorized to perform lambda:InvokeFunction")
		},
			[]string{"the connectivity probe probe-vpce-1 runs: AccessDeniedException", "need lambda:InvokeFunction on it"}},
		{"probe cannot be read", func(f *fake) { f.confErr = errors.New("AccessDeniedException: lambda:GetFunctionConfiguration") },
			[]string{"the connectivity probe probe-vpce-1 can be read: AccessDeniedException", "lambda:GetFunctionConfiguration and lambda:InvokeFunction"}},
		{"probe could not be set up", func(f *fake) { f.states = []lambdatypes.State{lambdatypes.StateFailed} },
			[]string{"the connectivity probe probe-vpce-1 runs: state Failed, SubnetOutOfIPAddresses: All subnets are out of IP addresses", "free addresses in the endpoint's subnets"}},
		{"probe stays pending", func(f *fake) { f.states = []lambdatypes.State{lambdatypes.StatePending} },
			[]string{"the connectivity probe probe-vpce-1 runs: still Pending after", "run the doctor again in a few minutes"}},
		{"the certificate has expired", func(f *fake) { f.probe.Results[0].Certificate.NotAfter = time.Now().Add(-48 * time.Hour) },
			[]string{"the certificate on 443 is valid: expired ", "renew or replace the ALB listener's certificate"}},
		{"probe fails", func(f *fake) { f.probeFailure = "Unhandled" },
			[]string{"the connectivity probe probe-vpce-1 runs: Unhandled: {\"errorMessage\":\"Task timed out after 30.03 seconds\"}", "/aws/lambda/probe-vpce-1"}},
		{"probe: the custom domain does not resolve", func(f *fake) {
			f.probe.Results[0] = probe.Result{Host: "app.example.com", Port: 443, Stage: "dns", Error: "lookup app.example.com: no such host"}
		}, []string{"the probe gets an answer from app.example.com:443 inside the VPC: name not resolved: lookup app.example.com: no such host", "its private zone must be associated with this VPC"}},
		{"probe: nothing answers", func(f *fake) {
			f.probe.Results[1] = probe.Result{Host: endpointDNS, Port: 443, Stage: "connect", Error: "dial tcp 10.20.1.5:443: i/o timeout"}
		}, []string{"from " + endpointDNS + ":443 inside the VPC: no connection: dial tcp 10.20.1.5:443: i/o timeout", "it admits the probe's group"}},
		{"probe: no TLS", func(f *fake) {
			f.probe.Results[0] = probe.Result{Host: "app.example.com", Port: 443, Stage: "tls", Error: "remote error: tls: handshake failure"}
		}, []string{"TLS failed: remote error: tls: handshake failure", "HTTPS with a certificate"}},
		{"probe: the ALB answers 503", func(f *fake) { f.probe.Results[0].Status = 503 },
			[]string{"from app.example.com:443 inside the VPC: https 503 in 12 ms via 10.20.1.5", "not the PrivateLink path"}},
		{"probe: the certificate names another domain", func(f *fake) {
			f.probe.Results[0].Certificate = &probe.Certificate{Names: []string{"www.example.org"}, Trusted: true}
		}, []string{"the certificate on 443 names app.example.com: it names www.example.org", "set customDomain to a name on the certificate (www.example.org)"}},
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

// Without a custom domain clients call the endpoint's own name, which no
// ALB certificate names: over HTTPS that is the problem to report.
func TestWithoutCustomDomainTheEndpointNameMustMatchTheCertificate(t *testing.T) {
	f := healthy()
	f.probe.Results = f.probe.Results[1:]
	r := Run(context.Background(), nil, []Consumer{{Stack: "consumer", Region: "ap-northeast-1", EndpointID: "vpce-1", Ports: []int{443},
		ProbeFunction: "probe-vpce-1", EC2: f, Route53: f, Lambda: f}})
	want := "PROBLEM: consumer: the certificate on 443 names " + endpointDNS + ": it names app.example.com; fix: clients calling " + endpointDNS + " fail TLS verification: set customDomain to a name on the certificate (app.example.com)"
	if r.Problems() != 1 || !strings.Contains(text(r), want) {
		t.Errorf("want one problem, %q:\n%s", want, text(r))
	}
	if strings.Contains(text(r), "a private zone for") || strings.Contains(text(r), "resolves private names") {
		t.Errorf("no custom domain and no private DNS, yet DNS was checked:\n%s", text(r))
	}
}

// The healthy report says what the probe saw.
func TestHealthyProbeLines(t *testing.T) {
	got := text(diagnose(healthy()))
	for _, w := range []string{
		"ok: consumer-payments: the connectivity probe probe-vpce-1 runs (2 names and ports)",
		"ok: consumer-payments: the probe gets an answer from app.example.com:443 inside the VPC (https 200 in 12 ms via 10.20.1.5)",
		"ok: consumer-payments: the certificate on 443 names app.example.com (trusted by public roots)",
		"ok: consumer-payments: a private zone for app.example.com is associated with the VPC (Z0PRIVATE)",
		"ok: consumer-payments: app.example.com aliases the endpoint (" + endpointDNS + ")",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("report lacks %q:\n%s", w, got)
		}
	}
}

// A probe nobody invoked for weeks is Inactive: the doctor wakes it (that
// invocation fails), waits until it is Active, and invokes it again.
func TestAnIdleProbeIsWokenAndWaitedFor(t *testing.T) {
	defer func(p time.Duration) { probePoll = p }(probePoll)
	probePoll = time.Millisecond
	f := healthy()
	f.states = []lambdatypes.State{lambdatypes.StateInactive, lambdatypes.StateInactive, lambdatypes.StatePending, lambdatypes.StateActive}
	r := diagnose(f)
	if r.Problems() != 0 || f.invokes != 2 {
		t.Errorf("%d problems, %d invocations (want 0 and 2: wake, then probe):\n%s", r.Problems(), f.invokes, text(r))
	}
	if want := "ok: consumer-payments: the connectivity probe probe-vpce-1 runs (woken from Inactive: 2 names and ports)"; !strings.Contains(text(r), want) {
		t.Errorf("report lacks %q:\n%s", want, text(r))
	}
}

// With private DNS, clients call the service's name: the probe's result
// for it must match the certificate, and the vpce-... name need not.
func TestWithPrivateDNSTheServicesNameMustMatchTheCertificate(t *testing.T) {
	f := healthy()
	f.endpoint.PrivateDnsEnabled = aws.Bool(true)
	f.probe.Results[0].Host = "api.example.com" // the certificate names app.example.com
	f.probe.Results[0].Certificate.NameMatch = false
	r := Run(context.Background(), nil, []Consumer{{Stack: "consumer", Region: "ap-northeast-1", EndpointID: "vpce-1", Ports: []int{443},
		ProbeFunction: "probe-vpce-1", EC2: f, Route53: f, Lambda: f}})
	want := "PROBLEM: consumer: the certificate on 443 names api.example.com: it names app.example.com"
	if r.Problems() != 1 || !strings.Contains(text(r), want) {
		t.Errorf("want one problem, %q:\n%s", want, text(r))
	}
}

// A resource AWS says is gone is redeployed; a call that failed (no
// credentials, access denied, no network) says nothing about the
// deployment, and the fix says so.
func TestAFailedCallIsNotAMissingResource(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&smithy.GenericAPIError{Code: "InvalidVpcEndpointId.NotFound", Message: "The Vpc Endpoint Id 'vpce-1' does not exist"}, "fix: deploy the consumer stack again"},
		{&smithy.GenericAPIError{Code: "UnauthorizedOperation", Message: "You are not authorized"}, "fix: the AWS call failed, which says nothing about the deployment: check the credentials"},
		{errors.New("get credentials: failed to refresh cached credentials"), "fix: the AWS call failed"},
	} {
		f := healthy()
		f.endpointErr = c.err
		got := text(diagnose(f))
		if !strings.Contains(got, "PROBLEM: consumer-payments: endpoint vpce-1 exists: ") || !strings.Contains(got, c.want) {
			t.Errorf("%v: report lacks %q:\n%s", c.err, c.want, got)
		}
	}
}

// Without credentials the doctor says so once, before any check.
func TestNoCredentialsIsOneClearError(t *testing.T) {
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	_, err := NewClients(context.Background(), config.AWS{Region: "ap-northeast-1"})
	if err == nil || !strings.HasPrefix(err.Error(), "no usable AWS credentials") {
		t.Errorf("NewClients = %v, want no usable AWS credentials", err)
	}
}

// Package doctor explains a broken PrivateLink connection: with the
// deployed stacks' outputs and the AWS API, it checks each link of the
// chain from a consumer's endpoint to the ALB, and says for each problem
// what to do (in the words of the ways this pattern fails on AWS).
//
//	endpoint (state, security group, zones, DNS)
//	  -> endpoint service (state, private DNS verification)
//	    -> NLB listener per port -> target group -> the ALB registered and healthy
//	      -> ALB listener on that port
//
// The AWS calls go through small interfaces, so tests fake the states an
// emulator cannot produce (pendingAcceptance, unhealthy reason codes).
package doctor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// EC2 is the part of the EC2 API the doctor reads.
type EC2 interface {
	DescribeVpcEndpointServiceConfigurations(context.Context, *ec2.DescribeVpcEndpointServiceConfigurationsInput, ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointServiceConfigurationsOutput, error)
	DescribeVpcEndpoints(context.Context, *ec2.DescribeVpcEndpointsInput, ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointsOutput, error)
	DescribeVpcEndpointServices(context.Context, *ec2.DescribeVpcEndpointServicesInput, ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointServicesOutput, error)
	DescribeSecurityGroupRules(context.Context, *ec2.DescribeSecurityGroupRulesInput, ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupRulesOutput, error)
	DescribeSubnets(context.Context, *ec2.DescribeSubnetsInput, ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error)
	DescribeVpcAttribute(context.Context, *ec2.DescribeVpcAttributeInput, ...func(*ec2.Options)) (*ec2.DescribeVpcAttributeOutput, error)
}

// ELB is the part of the Elastic Load Balancing API the doctor reads.
type ELB interface {
	DescribeListeners(context.Context, *elb.DescribeListenersInput, ...func(*elb.Options)) (*elb.DescribeListenersOutput, error)
	DescribeTargetGroups(context.Context, *elb.DescribeTargetGroupsInput, ...func(*elb.Options)) (*elb.DescribeTargetGroupsOutput, error)
	DescribeTargetHealth(context.Context, *elb.DescribeTargetHealthInput, ...func(*elb.Options)) (*elb.DescribeTargetHealthOutput, error)
	DescribeLoadBalancers(context.Context, *elb.DescribeLoadBalancersInput, ...func(*elb.Options)) (*elb.DescribeLoadBalancersOutput, error)
}

// Provider is the deployed provider stack.
type Provider struct {
	Stack     string
	ServiceID string // output service_id
	Ports     []int  // the published ALB listener ports
	EC2       EC2
	ELB       ELB
}

// Consumer is one deployed consumer stack.
type Consumer struct {
	Stack         string
	Region        string
	EndpointID    string // output endpoint_id
	Ports         []int
	CustomDomain  string // config customDomain
	ProbeFunction string // output probe_function_name, when it has a probe
	EC2           EC2
	Route53       Route53
	Lambda        Lambda
}

// Result is one check.
type Result struct {
	Stack  string `json:"stack"`
	Check  string `json:"check"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
	Fix    string `json:"fix,omitempty"`
}

func (r Result) String() string {
	if r.OK {
		s := "ok: " + r.Stack + ": " + r.Check
		if r.Detail != "" {
			s += " (" + r.Detail + ")"
		}
		return s
	}
	s := "PROBLEM: " + r.Stack + ": " + r.Check
	if r.Detail != "" {
		s += ": " + r.Detail
	}
	if r.Fix != "" {
		s += "; fix: " + r.Fix
	}
	return s
}

// Report is every check of a run.
type Report struct {
	Results []Result `json:"results"`
}

// Problems counts the failed checks.
func (r Report) Problems() int {
	n := 0
	for _, res := range r.Results {
		if !res.OK {
			n++
		}
	}
	return n
}

type run struct {
	ctx context.Context
	r   *Report
}

func (x run) ok(stack, check, detail string) {
	x.r.Results = append(x.r.Results, Result{Stack: stack, Check: check, OK: true, Detail: detail})
}

func (x run) problem(stack, check, detail, fix string) {
	x.r.Results = append(x.r.Results, Result{Stack: stack, Check: check, Detail: detail, Fix: fix})
}

// Run checks the provider (nil when it is not in this app) and each
// consumer.
func Run(ctx context.Context, p *Provider, consumers []Consumer) Report {
	var r Report
	x := run{ctx: ctx, r: &r}
	if p != nil {
		x.provider(*p)
	}
	for _, c := range consumers {
		x.consumer(c)
	}
	return r
}

func (x run) provider(p Provider) {
	if p.ServiceID == "" {
		x.problem(p.Stack, "the stack is deployed", "no service_id output", "deploy it: npx cdktf deploy "+p.Stack)
		return
	}
	out, err := p.EC2.DescribeVpcEndpointServiceConfigurations(x.ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{p.ServiceID}})
	if err != nil || len(out.ServiceConfigurations) == 0 {
		x.problem(p.Stack, "endpoint service "+p.ServiceID+" exists", errText(err), fixFor(err, "deploy the provider stack again (npx cdktf deploy "+p.Stack+"); it may have been deleted outside Terraform"))
		return
	}
	svc := out.ServiceConfigurations[0]
	if state := string(svc.ServiceState); strings.EqualFold(state, "Available") {
		x.ok(p.Stack, "endpoint service is available", p.ServiceID)
	} else {
		x.problem(p.Stack, "endpoint service is available", "state "+state, "wait for Available; Failed means its NLB is gone or not active")
	}
	if name := aws.ToString(svc.PrivateDnsName); name != "" {
		state := ""
		if c := svc.PrivateDnsNameConfiguration; c != nil {
			state = string(c.State)
		}
		if state == "verified" {
			x.ok(p.Stack, "private DNS name "+name+" is verified", "")
		} else {
			fix := "create the TXT record the service shows (name and value under Private DNS name configuration) in the public zone of " + name + ", then verify it (provider.privateDns.zoneId does both); consumers cannot enable private DNS until then"
			if c := svc.PrivateDnsNameConfiguration; c != nil {
				fix = fmt.Sprintf("create TXT %s = %q in the public zone of %s and start verification (provider.privateDns.zoneId does both); consumers cannot enable private DNS until then", aws.ToString(c.Name), aws.ToString(c.Value), name)
			}
			x.problem(p.Stack, "private DNS name "+name+" is verified", "state "+orNone(state), fix)
		}
	}
	if len(svc.NetworkLoadBalancerArns) != 1 {
		x.problem(p.Stack, "the service fronts one NLB", fmt.Sprintf("%d load balancers", len(svc.NetworkLoadBalancerArns)), "deploy the provider stack again")
		return
	}
	nlb := svc.NetworkLoadBalancerArns[0]
	ls, err := p.ELB.DescribeListeners(x.ctx, &elb.DescribeListenersInput{LoadBalancerArn: aws.String(nlb)})
	if err != nil {
		x.problem(p.Stack, "the NLB's listeners can be read", errText(err), "check the credentials of the provider stack")
		return
	}
	byPort := map[int32]elbtypes.Listener{}
	for _, l := range ls.Listeners {
		byPort[aws.ToInt32(l.Port)] = l
	}
	for _, port := range p.Ports {
		x.port(p, port, byPort)
	}
}

// port checks one published port: NLB listener, target group, the ALB
// registered and healthy, the ALB's own listener.
func (x run) port(p Provider, port int, byPort map[int32]elbtypes.Listener) {
	what := fmt.Sprintf("NLB listener on port %d", port)
	l, ok := byPort[int32(port)]
	if !ok {
		x.problem(p.Stack, what+" exists", "none", "an NLB without a listener carries no traffic (a target group alone does nothing): deploy the provider stack again to recreate it")
		return
	}
	var tg string
	for _, a := range l.DefaultActions {
		if a.Type == elbtypes.ActionTypeEnumForward {
			tg = aws.ToString(a.TargetGroupArn)
		}
	}
	if tg == "" {
		x.problem(p.Stack, what+" forwards to a target group", "no forward action", "deploy the provider stack again")
		return
	}
	x.ok(p.Stack, what+" forwards to its target group", "")
	health, err := p.ELB.DescribeTargetHealth(x.ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String(tg)})
	if err != nil {
		x.problem(p.Stack, fmt.Sprintf("target health on port %d can be read", port), errText(err), "check the credentials of the provider stack")
		return
	}
	if len(health.TargetHealthDescriptions) == 0 {
		x.problem(p.Stack, fmt.Sprintf("the ALB is registered on port %d", port), "the target group has no target", "the attachment of the ALB is gone: deploy the provider stack again (AWS only registers an ALB on a port where it has a listener)")
		return
	}
	for _, d := range health.TargetHealthDescriptions {
		alb := aws.ToString(d.Target.Id)
		check := fmt.Sprintf("the ALB is healthy as the NLB's target on port %d", port)
		state, reason := "", ""
		if d.TargetHealth != nil {
			state, reason = string(d.TargetHealth.State), string(d.TargetHealth.Reason)
		}
		switch state {
		case "healthy", "":
			// moto reports no state for ALB targets; the listener check below still runs
			x.ok(p.Stack, check, orNone(state))
		default:
			detail := "state " + state
			if reason != "" {
				detail += ", reason " + reason
			}
			if d.TargetHealth.Description != nil {
				detail += ": " + aws.ToString(d.TargetHealth.Description)
			}
			x.problem(p.Stack, check, detail, unhealthyFix(reason, port))
		}
		if strings.Contains(alb, ":loadbalancer/app/") {
			x.albListener(p, alb, port)
			x.securityPath(p, aws.ToString(l.LoadBalancerArn), alb, port)
		}
	}
}

func (x run) albListener(p Provider, alb string, port int) {
	check := fmt.Sprintf("the ALB has a listener on port %d", port)
	ls, err := p.ELB.DescribeListeners(x.ctx, &elb.DescribeListenersInput{LoadBalancerArn: aws.String(alb)})
	if err != nil {
		x.problem(p.Stack, check, errText(err), "check that the ALB exists and the provider's credentials can read it")
		return
	}
	for _, l := range ls.Listeners {
		if aws.ToInt32(l.Port) == int32(port) {
			x.ok(p.Stack, check, string(l.Protocol))
			return
		}
	}
	x.problem(p.Stack, check, "none", fmt.Sprintf("add the ALB listener on %d (the NLB forwards there), or stop publishing that port", port))
}

// securityPath: the NLB's security group lets traffic out to the ALB on
// port, and the ALB's admits it (from the NLB's group, or an address range).
func (x run) securityPath(p Provider, nlb, alb string, port int) {
	if nlb == "" {
		return
	}
	lbs, err := p.ELB.DescribeLoadBalancers(x.ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{nlb, alb}})
	if err != nil {
		x.problem(p.Stack, "the load balancers' security groups can be read", errText(err), "check the provider stack's credentials")
		return
	}
	groups := map[string][]string{}
	for _, lb := range lbs.LoadBalancers {
		groups[aws.ToString(lb.LoadBalancerArn)] = lb.SecurityGroups
	}
	nlbGroups, albGroups := groups[nlb], groups[alb]
	rules := func(ids []string) []ec2types.SecurityGroupRule {
		if len(ids) == 0 {
			return nil
		}
		out, err := p.EC2.DescribeSecurityGroupRules(x.ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []ec2types.Filter{{Name: aws.String("group-id"), Values: ids}}})
		if err != nil {
			return nil
		}
		return out.SecurityGroupRules
	}
	if len(nlbGroups) > 0 {
		check := fmt.Sprintf("the NLB's security group lets traffic out to the ALB on %d", port)
		if slices.ContainsFunc(rules(nlbGroups), func(r ec2types.SecurityGroupRule) bool { return aws.ToBool(r.IsEgress) && covers(r, port) }) {
			x.ok(p.Stack, check, "")
		} else {
			x.problem(p.Stack, check, "no egress rule in "+strings.Join(nlbGroups, ", "), "deploy the provider stack again to restore the NLB's rules")
		}
	}
	if len(albGroups) > 0 {
		check := fmt.Sprintf("the ALB's security group admits the NLB on %d", port)
		admits := slices.ContainsFunc(rules(albGroups), func(r ec2types.SecurityGroupRule) bool {
			if aws.ToBool(r.IsEgress) || !covers(r, port) {
				return false
			}
			if r.ReferencedGroupInfo != nil {
				return slices.Contains(nlbGroups, aws.ToString(r.ReferencedGroupInfo.GroupId))
			}
			return aws.ToString(r.CidrIpv4) != "" // an address range, which may hold the NLB's subnets
		})
		if admits {
			x.ok(p.Stack, check, "")
		} else {
			x.problem(p.Stack, check, "no inbound rule on "+fmt.Sprint(port)+" from the NLB's group or an address range in "+strings.Join(albGroups, ", "), "PrivateLink traffic reaches the ALB from the NLB: set existingAlb.securityGroupId so the stack admits the NLB's group, or admit the NLB's subnets yourself")
		}
	}
}

// unhealthyFix says what an unhealthy reason code means here.
func unhealthyFix(reason string, port int) string {
	switch reason {
	case "Target.FailedHealthChecks", "Target.Timeout", "Target.ResponseCodeMismatch":
		return fmt.Sprintf("the ALB does not answer the health check on %d: check its listener on %d, that its security group admits the NLB's security group on %d (existingAlb.securityGroupId), and that healthCheck.protocol is the listener's (an HTTP check of an HTTPS listener fails), path and matcher", port, port, port)
	case "Target.NotRegistered", "Target.NotInUse":
		return "the ALB is not registered in a zone the NLB serves: deploy the provider stack again, and keep cross-zone load balancing on (nlb.crossZoneLoadBalancing)"
	case "Elb.RegistrationInProgress", "Elb.InitialHealthChecking":
		return "wait: the ALB was registered moments ago"
	}
	return "see aws elbv2 describe-target-health for the reason"
}

func (x run) consumer(c Consumer) {
	if c.EndpointID == "" {
		x.problem(c.Stack, "the stack is deployed", "no endpoint_id output", "deploy it: npx cdktf deploy "+c.Stack)
		return
	}
	out, err := c.EC2.DescribeVpcEndpoints(x.ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{c.EndpointID}})
	if err != nil || len(out.VpcEndpoints) == 0 {
		x.problem(c.Stack, "endpoint "+c.EndpointID+" exists", errText(err), fixFor(err, "deploy the consumer stack again (npx cdktf deploy "+c.Stack+")"))
		return
	}
	ep := out.VpcEndpoints[0]
	switch state := strings.ToLower(string(ep.State)); state {
	case "available":
		x.ok(c.Stack, "the endpoint's connection is available", c.EndpointID)
	case "pendingacceptance":
		x.problem(c.Stack, "the endpoint's connection is available", "pendingAcceptance", "the service requires acceptance and nobody accepted: deploy accept-"+c.Stack+" with the provider's credentials (npx cdktf deploy accept-"+c.Stack+"), or accept it in the VPC console (Endpoint services, Endpoint connections)")
	case "rejected":
		x.problem(c.Stack, "the endpoint's connection is available", "rejected", "the provider rejected it (or destroyed its accept stack): the provider accepts it again (npx cdktf deploy accept-"+c.Stack+"), or recreate the endpoint")
	default:
		x.problem(c.Stack, "the endpoint's connection is available", "state "+state, "pending means wait; failed or expired: recreate the endpoint (npx cdktf deploy "+c.Stack+")")
	}
	probeConf := x.probeConfig(c)
	x.endpointRules(c, ep, probeGroups(probeConf))
	x.endpointZones(c, ep)
	x.dns(c, ep)
	x.probe(c, ep, probeConf)
}

// endpointRules: the endpoint's security group admits each port, from a
// source that is not the probe's group (the probe is not a client).
func (x run) endpointRules(c Consumer, ep ec2types.VpcEndpoint, probeGroups []string) {
	var groups []string
	for _, g := range ep.Groups {
		groups = append(groups, aws.ToString(g.GroupId))
	}
	if len(groups) == 0 {
		x.problem(c.Stack, "the endpoint has its own security group", "none", "deploy the consumer stack again")
		return
	}
	rules, err := c.EC2.DescribeSecurityGroupRules(x.ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []ec2types.Filter{{Name: aws.String("group-id"), Values: groups}}})
	if err != nil {
		x.problem(c.Stack, "the endpoint's security group rules can be read", errText(err), "check the consumer stack's credentials")
		return
	}
	for _, port := range c.Ports {
		var from []string
		for _, r := range rules.SecurityGroupRules {
			if aws.ToBool(r.IsEgress) || !covers(r, port) {
				continue
			}
			if r.ReferencedGroupInfo != nil && slices.Contains(probeGroups, aws.ToString(r.ReferencedGroupInfo.GroupId)) {
				continue
			}
			source := aws.ToString(r.CidrIpv4) + aws.ToString(r.CidrIpv6) + aws.ToString(r.PrefixListId)
			if r.ReferencedGroupInfo != nil {
				source += aws.ToString(r.ReferencedGroupInfo.GroupId)
			}
			from = append(from, orNone(source))
		}
		check := fmt.Sprintf("the endpoint's security group admits port %d", port)
		if len(from) > 0 {
			slices.Sort(from)
			x.ok(c.Stack, check, "from "+strings.Join(from, ", "))
		} else {
			x.problem(c.Stack, check, "no inbound rule for it in "+strings.Join(groups, ", "), "clients time out: deploy the consumer stack again to restore its rules (clientCidrs says who may connect)")
		}
	}
}

func covers(r ec2types.SecurityGroupRule, port int) bool {
	proto := aws.ToString(r.IpProtocol)
	if proto == "-1" {
		return true
	}
	return proto == "tcp" && aws.ToInt32(r.FromPort) <= int32(port) && int32(port) <= aws.ToInt32(r.ToPort)
}

// endpointZones: every endpoint subnet is in a zone the service offers
// (both read in the consumer's account, so zone names compare).
func (x run) endpointZones(c Consumer, ep ec2types.VpcEndpoint) {
	name := aws.ToString(ep.ServiceName)
	svc, err := c.EC2.DescribeVpcEndpointServices(x.ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{name}})
	if err != nil || len(svc.ServiceDetails) == 0 {
		x.problem(c.Stack, "the service is visible to this account", errText(err), "the provider must allow this account (allowed principals) and, across regions, list this region (supportedRegions)")
		return
	}
	offered := svc.ServiceDetails[0].AvailabilityZones
	subnets, err := c.EC2.DescribeSubnets(x.ctx, &ec2.DescribeSubnetsInput{SubnetIds: ep.SubnetIds})
	if err != nil {
		x.problem(c.Stack, "the endpoint's subnets can be read", errText(err), "check the consumer stack's credentials")
		return
	}
	var outside []string
	for _, s := range subnets.Subnets {
		if !slices.Contains(offered, aws.ToString(s.AvailabilityZone)) {
			outside = append(outside, aws.ToString(s.SubnetId)+" in "+aws.ToString(s.AvailabilityZone))
		}
	}
	if len(outside) > 0 {
		x.problem(c.Stack, "the endpoint's subnets are in zones the service offers", strings.Join(outside, ", ")+"; the service offers "+strings.Join(offered, ", "), "zone names differ between accounts: place the subnets by AZ ID (azIds) in the provider's zones")
		return
	}
	x.ok(c.Stack, "the endpoint's subnets are in zones the service offers", strings.Join(offered, ", "))
}

// fixFor is the fix for a resource the doctor did not find: missing when
// AWS says it does not exist (or the call found nothing), else a fix for
// the call itself, which says nothing about the deployment.
func fixFor(err error, missing string) string {
	var api smithy.APIError
	if err == nil || (errors.As(err, &api) && strings.Contains(api.ErrorCode(), "NotFound")) {
		return missing
	}
	return "the AWS call failed, which says nothing about the deployment: check the credentials the doctor uses for this stack (the profile or role of the config, else AWS_PROFILE), their region and network, and that they may read it (README, Troubleshooting)"
}

func errText(err error) string {
	if err == nil {
		return "not found"
	}
	return err.Error()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

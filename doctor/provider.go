package doctor

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

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

package doctor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

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

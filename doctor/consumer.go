package doctor

import (
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

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

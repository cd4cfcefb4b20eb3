package stacks

import (
	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
	"github.com/alb-privatelink/alb-privatelink/internal/validate"
)

// The mapping from a resolved configuration to the constructs' props: the
// config package is data only (it imports no construct), so the stacks
// translate it here.

// serviceProps are the props of the provider's ProviderEndpointService as
// far as the configuration sets them. In demo mode the stack fills in the
// VPC, subnets, ALB and its security group it creates, and the listener's
// resource; the stack also adds its own account to AllowedPrincipals.
func serviceProps(c config.Resolved) privatelink.ProviderEndpointServiceProps {
	p := c.Provider
	o := p.Options()
	props := privatelink.ProviderEndpointServiceProps{
		AcceptanceRequired:      p.AcceptanceRequired,
		AllowedPrincipals:       p.AllowedPrincipals,
		DeletionProtection:      boolOr(p.NLB.DeletionProtection, p.Production),
		PreventDestroy:          p.Production,
		CrossZoneLoadBalancing:  p.NLB.CrossZoneLoadBalancing,
		NLBName:                 p.NLB.Name,
		SupportedRegions:        p.SupportedRegions,
		Partition:               validate.Partition(p.AWS.Region),
		HealthCheck:             o.HealthCheck,
		PrivateDNS:              o.PrivateDNS,
		ConnectionNotifications: o.ConnectionNotifications,
		DualStack:               p.DualStack,
		AccessLogs:              o.AccessLogs,
	}
	for _, l := range c.Listeners() {
		props.Listeners = append(props.Listeners, privatelink.ALBListener{Port: l.Port, Protocol: l.Protocol})
	}
	if e := p.ExistingALB; e != nil {
		props.VPCID, props.SubnetIDs, props.ALBARN, props.ALBSecurityGroupID = e.VPCID, e.SubnetIDs, e.ARN, e.SecurityGroupID
	}
	return props
}

// endpointProps are the props of consumer i's ConsumerEndpoint as far as
// the configuration sets them. The stack fills in the demo VPC and its
// subnets, and the provider's service when the consumer has no ServiceName.
func endpointProps(c config.Resolved, i int) privatelink.ConsumerEndpointProps {
	k := c.Consumers[i]
	props := privatelink.ConsumerEndpointProps{
		Ports:             k.Ports,
		AllowedCIDRs:      k.ClientCIDRs,
		CustomDomain:      k.CustomDomain,
		PrivateDNSEnabled: k.PrivateDNSEnabled,
		IPAddressType:     k.IPAddressType,
		AllowedIPv6CIDRs:  k.ClientIPv6CIDRs,
		AutoAccept:        boolOr(k.AutoAccept, false),
		VPCCIDR:           k.VPCCIDR,
		Probe:             k.Probe,
		ServiceRegion:     c.ServiceRegion(i),
	}
	if k.ServiceName != "" {
		props.Service = privatelink.EndpointServiceFromName(k.ServiceName)
	}
	if v := k.ExistingVPC; v != nil {
		props.VPCID, props.SubnetIDs, props.VPCCIDR = v.VPCID, v.SubnetIDs, v.CIDR
	}
	return props
}

// boolOr is *b, or def when b is unset.
func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

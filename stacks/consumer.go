package stacks

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpointconnectionaccepter"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
)

// ConsumerStack is one built consumer stack.
type ConsumerStack struct {
	Stack    cdktf.TerraformStack
	Endpoint *privatelink.ConsumerEndpoint
}

// NewConsumerStack builds a consumer: a demo VPC with private subnets in
// cfg.AZIDs, or the adopted cfg.ExistingVPC, and an interface endpoint to
// service. Pass the provider stack's service for a cross-stack reference
// (cdktf wires an output and a remote-state read through the backend), or
// nil to use cfg.ServiceName. serviceRegion is the service's region when it
// differs from the consumer's, else "". cfg must have had
// AppConfig.WithDefaults applied.
func NewConsumerStack(scope constructs.Construct, id string, cfg ConsumerConfig, service privatelink.EndpointService, serviceRegion string, state StateConfig) (*ConsumerStack, error) {
	if cfg.ServiceName != "" {
		service = privatelink.EndpointServiceFromName(cfg.ServiceName)
		serviceRegion = cfg.ServiceRegion
	}
	stack := newStack(scope, id, cfg.AWS, state)

	props := privatelink.ConsumerEndpointProps{
		Service:           service,
		ServiceRegion:     serviceRegion,
		Ports:             cfg.Ports,
		AllowedCIDRs:      cfg.ClientCIDRs,
		CustomDomain:      cfg.CustomDomain,
		PrivateDNSEnabled: cfg.PrivateDNSEnabled,
		AutoAccept:        boolOr(cfg.AutoAccept, false),
	}
	if v := cfg.ExistingVPC; v != nil {
		props.VPCID, props.SubnetIDs, props.VPCCIDR = v.VPCID, v.SubnetIDs, v.CIDR
	} else {
		net := newDemoNetwork(stack, "ConsumerNetwork", cfg.VPCCIDR, cfg.AZIDs, false, cfg.SubnetCIDRs, cfg.FlowLogs)
		props.VPCID, props.SubnetIDs, props.VPCCIDR = *net.VPC.Id(), derefAll(net.PrivateSubnets), cfg.VPCCIDR
	}
	ep, err := privatelink.NewConsumerEndpoint(stack, "Endpoint", props)
	if err != nil {
		return nil, fmt.Errorf("%s stack: %w", id, err)
	}

	output(stack, "endpoint_id", ep.EndpointID(), "Interface VPC endpoint ID (vpce-...)")
	output(stack, "endpoint_dns_name", ep.DNSName(), "Regional DNS name of the endpoint")
	if ep.CustomFQDN() != "" {
		output(stack, "custom_fqdn", jsii.String(ep.CustomFQDN()), "Name clients call inside the consumer VPC; it matches the ALB's certificate")
	}
	return &ConsumerStack{Stack: stack, Endpoint: ep}, nil
}

// NewAccepterStack accepts a cross-account consumer's connection with the
// provider's credentials: the consumer cannot accept it (auto_accept only
// works in the service's account). Destroying this stack rejects the
// connection.
func NewAccepterStack(scope constructs.Construct, id string, providerAWS AWSConfig, service *privatelink.ProviderEndpointService, consumer *privatelink.ConsumerEndpoint, state StateConfig) cdktf.TerraformStack {
	stack := newStack(scope, id, providerAWS, state)
	vpcendpointconnectionaccepter.NewVpcEndpointConnectionAccepter(stack, jsii.String("Accepter"), &vpcendpointconnectionaccepter.VpcEndpointConnectionAccepterConfig{
		VpcEndpointServiceId: service.ServiceID(),
		VpcEndpointId:        consumer.EndpointID(),
	})
	return stack
}

package stacks

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpointconnectionaccepter"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
)

// ConsumerStack is one built consumer stack.
type ConsumerStack struct {
	Stack    cdktf.TerraformStack
	Endpoint *privatelink.ConsumerEndpoint
}

// NewConsumerStack builds consumer i of cfg: a demo VPC with private
// subnets in its AZ IDs, or its adopted existing VPC, and an interface
// endpoint to its service. service is the provider stack's service when the
// provider is in this app (cdktf wires a cross-stack reference: an output
// and a remote-state read through the backend); a consumer with a
// serviceName uses that instead.
func NewConsumerStack(scope constructs.Construct, cfg config.Resolved, i int, service privatelink.EndpointService) (*ConsumerStack, error) {
	if !cfg.IsResolved() {
		return nil, ErrUnresolved
	}
	k := cfg.Consumers[i]
	id := cfg.StackName(i)
	stack := newStack(scope, id, k.AWS, cfg.State)
	props := endpointProps(cfg, i)
	if props.Service == nil {
		props.Service = service
	}
	if k.ExistingVPC == nil {
		ipv6 := props.IPAddressType == "dualstack" // ipv6 (IPv6-only subnets) is refused for the demo VPC
		net := newDemoNetwork(stack, "ConsumerNetwork", k.VPCCIDR, k.AZIDs, false, ipv6, k.SubnetCIDRs, k.FlowLogs)
		props.VPCID, props.SubnetIDs = *net.VPC.Id(), derefAll(net.PrivateSubnets)
		if ipv6 && len(props.AllowedIPv6CIDRs) == 0 {
			props.AllowedIPv6CIDRs = []string{*net.VPC.Ipv6CidrBlock()} // no need to read it back
		}
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
	if p := ep.Probe(); p != nil {
		output(stack, "probe_function_name", p.FunctionName(), "Connectivity probe inside the consumer VPC (go run . doctor invokes it)")
	}
	return &ConsumerStack{Stack: stack, Endpoint: ep}, nil
}

// NewAccepterStack accepts a cross-account consumer's connection with the
// provider's credentials: the consumer cannot accept it (auto_accept only
// works in the service's account). Destroying this stack rejects the
// connection.
func NewAccepterStack(scope constructs.Construct, id string, cfg config.Resolved, service *privatelink.ProviderEndpointService, consumer *privatelink.ConsumerEndpoint) (cdktf.TerraformStack, error) {
	if !cfg.IsResolved() {
		return nil, ErrUnresolved
	}
	stack := newStack(scope, id, cfg.Provider.AWS, cfg.State)
	vpcendpointconnectionaccepter.NewVpcEndpointConnectionAccepter(stack, jsii.String("Accepter"), &vpcendpointconnectionaccepter.VpcEndpointConnectionAccepterConfig{
		VpcEndpointServiceId: service.ServiceID(),
		VpcEndpointId:        consumer.EndpointID(),
	})
	return stack, nil
}

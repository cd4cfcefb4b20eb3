package stacks

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
)

// ConsumerStack is the built "consumer" stack.
type ConsumerStack struct {
	Stack    cdktf.TerraformStack
	Endpoint *privatelink.ConsumerEndpoint
}

// NewConsumerStack builds a consumer VPC with private subnets in cfg.AZIDs
// and an interface endpoint to service. Pass the provider stack's service
// for a cross-stack reference (cdktf wires an output and a remote-state
// read), or nil to use cfg.ServiceName. cfg must have had
// AppConfig.WithDefaults applied.
func NewConsumerStack(scope constructs.Construct, id string, cfg ConsumerConfig, service privatelink.EndpointService) (*ConsumerStack, error) {
	if cfg.ServiceName != "" {
		service = privatelink.EndpointServiceFromName(cfg.ServiceName)
	}
	stack := cdktf.NewTerraformStack(scope, jsii.String(id))
	newAWSProvider(stack, cfg.Region, id, nil)

	net := newDemoNetwork(stack, "ConsumerNetwork", cfg.VPCCIDR, cfg.AZIDs, false)
	ep, err := privatelink.NewConsumerEndpoint(stack, "Endpoint", privatelink.ConsumerEndpointProps{
		VPCID:             *net.VPC.Id(),
		VPCCIDR:           cfg.VPCCIDR,
		SubnetIDs:         derefAll(net.PrivateSubnets),
		Service:           service,
		Ports:             cfg.Ports,
		AllowedCIDRs:      cfg.AllowedCIDRs,
		CustomDomain:      cfg.CustomDomain,
		PrivateDNSEnabled: cfg.PrivateDNSEnabled,
		AutoAccept:        cfg.AutoAccept != nil && *cfg.AutoAccept,
	})
	if err != nil {
		return nil, fmt.Errorf("consumer stack: %w", err)
	}

	output(stack, "endpoint_id", ep.EndpointID(), "Interface VPC endpoint ID (vpce-...)")
	output(stack, "endpoint_dns_name", ep.DNSName(), "Regional DNS name of the endpoint")
	if ep.CustomFQDN() != "" {
		output(stack, "custom_fqdn", jsii.String(ep.CustomFQDN()), "Name clients call inside the consumer VPC; it matches the ALB's certificate")
	}
	return &ConsumerStack{Stack: stack, Endpoint: ep}, nil
}

// App is the built app: the two stacks.
type App struct {
	Provider *ProviderStack
	Consumer *ConsumerStack
}

// Build applies defaults, validates cfg (all problems at once) and builds
// the "provider" and "consumer" stacks in app.
func Build(app constructs.Construct, cfg AppConfig) (*App, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	p, err := NewProviderStack(app, "provider", cfg.Provider)
	if err != nil {
		return nil, err
	}
	c, err := NewConsumerStack(app, "consumer", cfg.Consumer, p.Service)
	if err != nil {
		return nil, err
	}
	return &App{Provider: p, Consumer: c}, nil
}

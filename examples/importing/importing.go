// Package importing is the README's example of using the constructs in your
// own Go stack. The tests synthesize it, so the README never shows code that
// does not compile.
package importing

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
)

// README:begin
// NewOrdersStack publishes the orders team's existing ALB and connects a
// second VPC to it, all in one stack.
func NewOrdersStack(scope constructs.Construct, id string) (cdktf.TerraformStack, error) {
	stack := cdktf.NewTerraformStack(scope, jsii.String(id))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region: jsii.String("eu-west-1"),
	})

	svc, err := privatelink.NewProviderEndpointService(stack, "Orders", privatelink.ProviderEndpointServiceProps{
		VPCID:              "vpc-0a1b2c3d4e5f60718",
		SubnetIDs:          []string{"subnet-0a1b2c3d4e5f60718", "subnet-1a2b3c4d5e6f70819"},
		ALBARN:             "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/orders/50dc6c495c0c9188",
		ALBSecurityGroupID: "sg-0a1b2c3d4e5f60718",
		Listeners:          []privatelink.ALBListener{{Port: 443, Protocol: "HTTPS"}},
		HealthCheck:        privatelink.HealthCheck{Path: "/healthz", Matcher: "200"},
	})
	if err != nil {
		return nil, err
	}
	// This stack's own account (the consumer below) and the payments account.
	for _, account := range []string{"111122223333", "444455556666"} {
		if err := svc.AllowPrincipal(account); err != nil {
			return nil, err
		}
	}

	ep, err := privatelink.NewConsumerEndpoint(stack, "OrdersFromPayments", privatelink.ConsumerEndpointProps{
		VPCID:        "vpc-1b2c3d4e5f6071829",
		VPCCIDR:      "10.42.0.0/16",
		SubnetIDs:    []string{"subnet-2b3c4d5e6f7081920", "subnet-3c4d5e6f708192a3b"},
		Service:      svc,                  // or privatelink.EndpointServiceFromName("com.amazonaws.vpce.eu-west-1.vpce-svc-...")
		CustomDomain: "orders.example.com", // the name on the ALB's certificate
		AutoAccept:   true,                 // same account as the service
	})
	if err != nil {
		return nil, err
	}
	cdktf.NewTerraformOutput(stack, jsii.String("orders_endpoint"), &cdktf.TerraformOutputConfig{
		Value: ep.DNSName(),
	})
	return stack, nil
}

// README:end

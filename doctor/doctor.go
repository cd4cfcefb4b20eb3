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

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/route53"
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

// Route53 is the part of the Route 53 API the doctor reads.
type Route53 interface {
	ListHostedZonesByVPC(context.Context, *route53.ListHostedZonesByVPCInput, ...func(*route53.Options)) (*route53.ListHostedZonesByVPCOutput, error)
	ListResourceRecordSets(context.Context, *route53.ListResourceRecordSetsInput, ...func(*route53.Options)) (*route53.ListResourceRecordSetsOutput, error)
}

// Lambda is the part of the Lambda API the doctor uses: it invokes the
// connectivity probe.
type Lambda interface {
	Invoke(context.Context, *lambda.InvokeInput, ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
	GetFunctionConfiguration(context.Context, *lambda.GetFunctionConfigurationInput, ...func(*lambda.Options)) (*lambda.GetFunctionConfigurationOutput, error)
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

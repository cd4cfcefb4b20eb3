package stacks

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/alb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/alblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsec2managedprefixlist"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
	"github.com/alb-privatelink/alb-privatelink/policy"
)

// TLSPolicy is the demo ALB's HTTPS policy: TLS 1.3, falling back to 1.2.
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// ProviderStack is the built "provider" stack.
type ProviderStack struct {
	Stack   cdktf.TerraformStack
	Service *privatelink.ProviderEndpointService
	// Notes are warnings the user should see at synth, such as a plain-HTTP
	// demo listener.
	Notes []string
}

// NewProviderStack builds the provider side of cfg. In demo mode it creates
// a VPC with public and private subnets, an internet-facing ALB and a
// listener, then publishes the ALB; with provider.existingAlb it creates
// only the PrivateLink side for an ALB that already exists.
func NewProviderStack(scope constructs.Construct, cfg config.Resolved) (*ProviderStack, error) {
	if !cfg.IsResolved() {
		return nil, ErrUnresolved
	}
	p := cfg.Provider
	stack := newStack(scope, "provider", p.AWS, cfg.State)
	out := &ProviderStack{Stack: stack}
	if p.Production {
		policy.MarkProduction(stack)
	}

	props := serviceProps(cfg)
	if p.ExistingALB == nil {
		demo, note := newDemoALB(stack, p)
		props.VPCID = *demo.vpcID
		props.SubnetIDs = demo.privateSubnets
		props.ALBARN = *demo.alb.Arn()
		props.ALBSecurityGroupID = *demo.securityGroup.Id()
		props.Listeners = []privatelink.ALBListener{demo.listener}
		if note != "" {
			out.Notes = append(out.Notes, note)
		}
		output(stack, "alb_dns_name", demo.alb.DnsName(), "Public DNS name of the demo ALB (admits CloudFront and the PrivateLink NLB only)")
	}

	// The provider's own account may always connect (same-account
	// consumers), before whatever the config lists. Without a configured
	// account ID, Terraform looks it up.
	own := p.AWS.AccountID
	if own == "" {
		partition := dataawspartition.NewDataAwsPartition(stack, jsii.String("Partition"), &dataawspartition.DataAwsPartitionConfig{})
		caller := dataawscalleridentity.NewDataAwsCallerIdentity(stack, jsii.String("Caller"), &dataawscalleridentity.DataAwsCallerIdentityConfig{})
		own = fmt.Sprintf("arn:%s:iam::%s:root", *partition.Partition(), *caller.AccountId())
	}
	props.AllowedPrincipals = append([]string{own}, props.AllowedPrincipals...)

	svc, err := privatelink.NewProviderEndpointService(stack, "EndpointService", props)
	if err != nil {
		return nil, fmt.Errorf("provider stack: %w", err)
	}
	out.Service = svc

	output(stack, "service_name", svc.ServiceName(), "Endpoint service name for consumers (com.amazonaws.vpce.REGION.vpce-svc-ID)")
	output(stack, "service_id", svc.ServiceID(), "Endpoint service ID (vpce-svc-...), for accepting connections")
	return out, nil
}

type demoALB struct {
	vpcID          *string
	privateSubnets []string
	alb            alb.Alb
	securityGroup  securitygroup.SecurityGroup
	listener       privatelink.ALBListener
}

// newDemoALB stands in for the application the seed article already had:
// an internet-facing ALB behind CloudFront, in public subnets of two zones.
// Its security group admits CloudFront's origin-facing addresses; the
// PrivateLink construct adds the rule for the NLB.
func newDemoALB(stack constructs.Construct, cfg config.Provider) (*demoALB, string) {
	net := newDemoNetwork(stack, "ProviderNetwork", cfg.VPCCIDR, cfg.AZIDs, true, cfg.DualStack, cfg.SubnetCIDRs, cfg.FlowLogs)
	d := &demoALB{vpcID: net.VPC.Id(), privateSubnets: derefAll(net.PrivateSubnets)}

	port, protocol := 80, "HTTP"
	note := "provider: no certificateArn configured, so the demo ALB listens on plain HTTP port 80; set provider.certificateArn for HTTPS on 443"
	if cfg.CertificateARN != "" {
		port, protocol, note = 443, "HTTPS", ""
	}

	d.securityGroup = securitygroup.NewSecurityGroup(stack, jsii.String("AlbSecurityGroup"), &securitygroup.SecurityGroupConfig{
		VpcId:       net.VPC.Id(),
		Description: jsii.String(fmt.Sprintf("Demo ALB: %s %d from CloudFront and the PrivateLink NLB", protocol, port)),
		Tags:        nameTag("provider-alb"),
	})
	cloudfront := dataawsec2managedprefixlist.NewDataAwsEc2ManagedPrefixList(stack, jsii.String("CloudFrontOriginFacing"), &dataawsec2managedprefixlist.DataAwsEc2ManagedPrefixListConfig{
		Name: jsii.String("com.amazonaws.global.cloudfront.origin-facing"),
	})
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(stack, jsii.String("AlbIngressCloudFront"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		SecurityGroupId: d.securityGroup.Id(),
		IpProtocol:      jsii.String("tcp"),
		FromPort:        jsii.Number(float64(port)),
		ToPort:          jsii.Number(float64(port)),
		PrefixListId:    cloudfront.Id(),
		Description:     jsii.String(fmt.Sprintf("CloudFront origin-facing addresses on %d", port)),
	})

	d.alb = alb.NewAlb(stack, jsii.String("Alb"), &alb.AlbConfig{
		Internal:                 jsii.Bool(false),
		LoadBalancerType:         jsii.String("application"),
		Subnets:                  jsii.Strings(derefAll(net.PublicSubnets)...),
		SecurityGroups:           jsii.Strings(*d.securityGroup.Id()),
		DropInvalidHeaderFields:  jsii.Bool(true),
		EnableDeletionProtection: jsii.Bool(cfg.ALBDeletionProtection),
		Tags:                     nameTag("provider-alb"),
	})

	listenerCfg := &alblistener.AlbListenerConfig{
		LoadBalancerArn: d.alb.Arn(),
		Port:            jsii.Number(float64(port)),
		Protocol:        jsii.String(protocol),
		DefaultAction: &[]*alblistener.AlbListenerDefaultAction{{
			Type: jsii.String("fixed-response"),
			FixedResponse: &alblistener.AlbListenerDefaultActionFixedResponse{
				ContentType: jsii.String("text/plain"),
				MessageBody: jsii.String("hello through PrivateLink\n"),
				StatusCode:  jsii.String("200"),
			},
		}},
		Tags: nameTag("provider-alb-" + protocol),
	}
	if cfg.CertificateARN != "" {
		listenerCfg.CertificateArn = jsii.String(cfg.CertificateARN)
		listenerCfg.SslPolicy = jsii.String(TLSPolicy)
	}
	listener := alblistener.NewAlbListener(stack, jsii.String("AlbListener"), listenerCfg)
	d.listener = privatelink.ALBListener{Port: port, Protocol: protocol, Resource: listener}
	return d, note
}

package stacks

import (
	"fmt"
	"strings"

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

	"github.com/alb-privatelink/alb-privatelink/constructs/policy"
	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
)

// TLSPolicy is the demo ALB's HTTPS policy: TLS 1.3, falling back to 1.2.
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// ProviderStack is the built "provider" stack.
type ProviderStack struct {
	Stack   cdktf.TerraformStack
	Service *privatelink.ProviderEndpointService
	// Notes are warnings the user should see at synth, such as a plain-HTTP
	// demo listener. They are also recorded as warning annotations in
	// cdktf.out/manifest.json.
	Notes []string
}

// NewProviderStack builds the provider side. In demo mode it creates a VPC
// with public and private subnets, an internet-facing ALB and a listener,
// then publishes the ALB; with cfg.ExistingALB it creates only the
// PrivateLink side for an ALB that already exists. cfg must have had
// AppConfig.WithDefaults applied.
func NewProviderStack(scope constructs.Construct, id string, cfg ProviderConfig, state StateConfig) (*ProviderStack, error) {
	stack := newStack(scope, id, cfg.AWS, state)
	out := &ProviderStack{Stack: stack}
	if cfg.Production {
		policy.MarkProduction(stack)
	}

	props := privatelink.ProviderEndpointServiceProps{
		AcceptanceRequired:     cfg.AcceptanceRequired,
		DeletionProtection:     boolOr(cfg.NLB.DeletionProtection, cfg.Production),
		PreventDestroy:         cfg.Production,
		CrossZoneLoadBalancing: cfg.NLB.CrossZoneLoadBalancing,
		NLBName:                cfg.NLB.Name,
		SupportedRegions:       cfg.SupportedRegions,
		Partition:              partitionOf(cfg.AWS.Region),
		HealthCheck:            cfg.HealthCheck,
	}
	if e := cfg.ExistingALB; e != nil {
		props.VPCID, props.SubnetIDs, props.ALBARN = e.VPCID, e.SubnetIDs, e.ARN
		props.ALBSecurityGroupID = e.SecurityGroupID
		for _, l := range e.Listeners {
			props.Listeners = append(props.Listeners, privatelink.ALBListener{Port: l.Port, Protocol: l.Protocol})
		}
	} else {
		demo, warning := newDemoALB(stack, cfg)
		props.VPCID = *demo.vpcID
		props.SubnetIDs = demo.privateSubnets
		props.ALBARN = *demo.alb.Arn()
		props.ALBSecurityGroupID = *demo.securityGroup.Id()
		props.Listeners = []privatelink.ALBListener{demo.listener}
		if warning != "" {
			out.Notes = append(out.Notes, warning)
			cdktf.Annotations_Of(stack).AddWarning(jsii.String(warning))
		}
		output(stack, "alb_dns_name", demo.alb.DnsName(), "Public DNS name of the demo ALB (admits CloudFront and the PrivateLink NLB only)")
	}

	svc, err := privatelink.NewProviderEndpointService(stack, "EndpointService", props)
	if err != nil {
		return nil, fmt.Errorf("provider stack: %w", err)
	}
	out.Service = svc

	// The provider's own account may always connect (same-account
	// consumers), plus whatever the config lists. Without a configured
	// account ID, Terraform looks it up.
	own := cfg.AWS.AccountID
	if own == "" {
		partition := dataawspartition.NewDataAwsPartition(stack, jsii.String("Partition"), &dataawspartition.DataAwsPartitionConfig{})
		caller := dataawscalleridentity.NewDataAwsCallerIdentity(stack, jsii.String("Caller"), &dataawscalleridentity.DataAwsCallerIdentityConfig{})
		own = fmt.Sprintf("arn:%s:iam::%s:root", *partition.Partition(), *caller.AccountId())
	}
	for _, p := range append([]string{own}, cfg.AllowedPrincipals...) {
		if err := svc.AllowPrincipal(p); err != nil {
			return nil, fmt.Errorf("provider stack: %w", err)
		}
	}

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

// partitionOf is the AWS partition of a region: account IDs become ARNs
// of it (arn:aws-cn:iam::... in China, arn:aws-us-gov:... in GovCloud).
func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	}
	return "aws"
}

// newDemoALB stands in for the application the seed article already had:
// an internet-facing ALB behind CloudFront, in public subnets of two zones.
// Its security group admits CloudFront's origin-facing addresses; the
// PrivateLink construct adds the rule for the NLB.
func newDemoALB(stack constructs.Construct, cfg ProviderConfig) (*demoALB, string) {
	net := newDemoNetwork(stack, "ProviderNetwork", cfg.VPCCIDR, cfg.AZIDs, true, cfg.SubnetCIDRs, cfg.FlowLogs)
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

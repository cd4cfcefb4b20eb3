package privatelink

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroupattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// publishPort publishes one ALB listener: a target group of type alb on its
// port, checked in its protocol; the ALB attached to it once the listener
// exists; an NLB listener forwarding to it; and the NLB's security group
// rules (plus the ALB's, when known) for that port.
func (s *ProviderEndpointService) publishPort(l ALBListener, props ProviderEndpointServiceProps, hc HealthCheck, vpcCIDR *string) {
	port := fmt.Sprint(l.Port)
	hcProtocol := hc.Protocol
	if hcProtocol == "" {
		hcProtocol = strings.ToUpper(l.Protocol)
	}
	tg := lbtargetgroup.NewLbTargetGroup(s.scope, jsii.String("TargetGroup"+port), &lbtargetgroup.LbTargetGroupConfig{
		TargetType: jsii.String("alb"),
		Protocol:   jsii.String("TCP"),
		Port:       jsii.Number(float64(l.Port)),
		VpcId:      jsii.String(props.VPCID),
		HealthCheck: &lbtargetgroup.LbTargetGroupHealthCheck{
			Enabled:            jsii.Bool(true),
			Protocol:           jsii.String(hcProtocol),
			Port:               jsii.String("traffic-port"),
			Path:               jsii.String(hc.Path),
			Matcher:            jsii.String(hc.Matcher),
			Interval:           jsii.Number(float64(hc.IntervalSeconds)),
			Timeout:            jsii.Number(float64(hc.TimeoutSeconds)),
			HealthyThreshold:   jsii.Number(float64(hc.HealthyThreshold)),
			UnhealthyThreshold: jsii.Number(float64(hc.UnhealthyThreshold)),
		},
		Tags: s.tags("alb-" + port),
		// Port, protocol and VPC force replacement; a generated name and
		// create-before-destroy let the NLB listener switch over first.
		Lifecycle: &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: jsii.Bool(true)},
	})
	s.targetGroups = append(s.targetGroups, tg)
	s.ports = append(s.ports, l.Port)

	// AWS refuses to register an ALB on a port where it has no listener yet.
	var dependsOn *[]cdktf.ITerraformDependable
	if l.Resource != nil {
		dependsOn = &[]cdktf.ITerraformDependable{l.Resource}
	}
	lbtargetgroupattachment.NewLbTargetGroupAttachment(s.scope, jsii.String("Attachment"+port), &lbtargetgroupattachment.LbTargetGroupAttachmentConfig{
		TargetGroupArn: tg.Arn(),
		TargetId:       jsii.String(props.ALBARN),
		Port:           jsii.Number(float64(l.Port)),
		DependsOn:      dependsOn,
	})

	lblistener.NewLbListener(s.scope, jsii.String("Listener"+port), &lblistener.LbListenerConfig{
		LoadBalancerArn: s.nlb.Arn(),
		Protocol:        jsii.String("TCP"),
		Port:            jsii.Number(float64(l.Port)),
		DefaultAction: &[]*lblistener.LbListenerDefaultAction{{
			Type:           jsii.String("forward"),
			TargetGroupArn: tg.Arn(),
		}},
		Tags: s.tags("listener-" + port),
	})

	egress := &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
		SecurityGroupId: s.securityGroup.Id(),
		IpProtocol:      jsii.String("tcp"),
		FromPort:        jsii.Number(float64(l.Port)),
		ToPort:          jsii.Number(float64(l.Port)),
		Description:     jsii.String(fmt.Sprintf("NLB to the ALB listener on %s (traffic and health checks)", port)),
	}
	if props.ALBSecurityGroupID != "" {
		egress.ReferencedSecurityGroupId = jsii.String(props.ALBSecurityGroupID)
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(s.scope, jsii.String("AlbIngressFromNlb"+port), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId:           jsii.String(props.ALBSecurityGroupID),
			ReferencedSecurityGroupId: s.securityGroup.Id(),
			IpProtocol:                jsii.String("tcp"),
			FromPort:                  jsii.Number(float64(l.Port)),
			ToPort:                    jsii.Number(float64(l.Port)),
			Description:               jsii.String(fmt.Sprintf("PrivateLink traffic from the NLB on %s", port)),
		})
	} else {
		egress.CidrIpv4 = vpcCIDR
	}
	vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(s.scope, jsii.String("NlbEgress"+port), egress)
}

// AllowPrincipal lets another account (12-digit ID) or IAM principal (ARN)
// create endpoints to the service. Adding one twice is harmless. Removing a
// principal later does not close connections it already made.
func (s *ProviderEndpointService) AllowPrincipal(principal string) error {
	arn, problem := principalARN(s.partition, s.acceptance, principal)
	if problem != "" {
		return fmt.Errorf("allowed principal %s", problem)
	}
	s.setPrincipals(append(slices.Clone(s.principals), arn))
	return nil
}

func (s *ProviderEndpointService) setPrincipals(principals []string) {
	seen := map[string]bool{}
	s.principals = s.principals[:0]
	for _, p := range principals {
		if !seen[p] {
			seen[p] = true
			s.principals = append(s.principals, p)
		}
	}
	// Always set, even empty, so the list is owned by this resource alone:
	// mixing it with aws_vpc_endpoint_service_allowed_principal makes the two
	// fight over the same principals.
	s.service.SetAllowedPrincipals(jsii.Strings(s.principals...))
}

package privatelink

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"

	"github.com/alb-privatelink/alb-privatelink/internal/validate"
)

// AllowFrom admits clients in an IPv4 CIDR block on every endpoint port.
func (e *ConsumerEndpoint) AllowFrom(cidr string) error {
	if problem := clientCIDR(cidr); problem != "" {
		return fmt.Errorf("AllowFrom %s", problem)
	}
	if slices.Contains(e.sources, cidr) {
		return nil
	}
	if problem := quotaProblem(len(e.sources)+e.groupSources+1, len(e.ports)); problem != "" {
		return fmt.Errorf("AllowFrom %q: would make %s", cidr, problem)
	}
	e.allow(cidr)
	return nil
}

func (e *ConsumerEndpoint) allow(cidr string) {
	e.sources = append(e.sources, cidr)
	// IDs come from the source, not its position: reordering or removing a
	// CIDR must not make Terraform replace the other rules. A token's value
	// is unknown here: the first (usually the VPC's CIDR, read at plan time)
	// is "Vpc", any others are numbered.
	from := strings.ReplaceAll(cidr, "/", "_")
	if validate.IsToken(cidr) {
		e.tokenSources++
		from = "Vpc"
		if e.tokenSources > 1 {
			from = fmt.Sprintf("Token%d", e.tokenSources)
		}
	}
	e.ingress(from, cidr, false)
}

// allow6 admits an IPv6 block on every port.
func (e *ConsumerEndpoint) allow6(cidr string) {
	from := strings.NewReplacer("/", "_", ":", "-").Replace(cidr)
	if validate.IsToken(cidr) {
		from = "Vpc6"
	}
	e.ingress(from, cidr, true)
}

// allowGroup admits a security group (a token) on every port, with the
// rule IDs IngressPORTFromFROM; who says what it is, in the rules'
// descriptions.
func (e *ConsumerEndpoint) allowGroup(from string, groupID *string, who string) {
	e.groupSources++
	for _, port := range e.ports {
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(e.scope, jsii.String(fmt.Sprintf("Ingress%dFrom%s", port, from)), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId:           e.securityGroupID,
			IpProtocol:                jsii.String("tcp"),
			FromPort:                  jsii.Number(float64(port)),
			ToPort:                    jsii.Number(float64(port)),
			ReferencedSecurityGroupId: groupID,
			Description:               jsii.String(fmt.Sprintf("%s to the PrivateLink endpoint on %d", who, port)),
		})
	}
}

// ingress adds a rule per port admitting cidr, with the ID
// IngressPORTFromFROM.
func (e *ConsumerEndpoint) ingress(from, cidr string, v6 bool) {
	for _, port := range e.ports {
		rule := &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId: e.securityGroupID,
			IpProtocol:      jsii.String("tcp"),
			FromPort:        jsii.Number(float64(port)),
			ToPort:          jsii.Number(float64(port)),
			Description:     jsii.String(fmt.Sprintf("Clients to the PrivateLink endpoint on %d", port)),
		}
		if v6 {
			rule.CidrIpv6 = jsii.String(cidr)
			rule.Description = jsii.String(fmt.Sprintf("Clients to the PrivateLink endpoint on %d over IPv6", port))
		} else {
			rule.CidrIpv4 = jsii.String(cidr)
		}
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(e.scope, jsii.String(fmt.Sprintf("Ingress%dFrom%s", port, from)), rule)
	}
}

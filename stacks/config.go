// Package stacks composes the privatelink constructs into the two stacks the
// app deploys: "provider" (the ALB side) and "consumer" (the client VPC side).
package stacks

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
)

// DefaultRegion is where the zero-config demo deploys (the seed article's region).
const DefaultRegion = "ap-northeast-1"

// defaultAZIDs are Availability Zone IDs per region. AZ IDs, unlike names
// such as ap-northeast-1a, mean the same zone in every account, so provider
// and consumer land in the same zones. apne1-az2 is closed to new accounts.
var defaultAZIDs = map[string][]string{
	"ap-northeast-1": {"apne1-az1", "apne1-az4"},
}

// AppConfig configures the whole app: one provider and one consumer stack.
type AppConfig struct {
	Provider ProviderConfig `yaml:"provider"`
	Consumer ConsumerConfig `yaml:"consumer"`
}

// ProviderConfig configures the "provider" stack.
type ProviderConfig struct {
	// Region of the provider stack. Default: ap-northeast-1.
	Region string `yaml:"region"`
	// AZIDs place the demo subnets, at least two.
	// Default: apne1-az1 and apne1-az4 in ap-northeast-1; required elsewhere.
	AZIDs []string `yaml:"azIds"`
	// VPCCIDR is the demo VPC's block, /16 to /24. Default: 10.10.0.0/16.
	VPCCIDR string `yaml:"vpcCidr"`
	// CertificateARN is an ACM certificate for the demo ALB. With it the ALB
	// listens on HTTPS 443 with a TLS 1.3 policy. Default: none, and the demo
	// ALB listens on plain HTTP 80 (synth says so).
	CertificateARN string `yaml:"certificateArn"`
	// ALBDeletionProtection protects the demo ALB. Default: false.
	ALBDeletionProtection bool `yaml:"albDeletionProtection"`
	// NLBDeletionProtection protects the PrivateLink NLB. Default: false.
	NLBDeletionProtection bool `yaml:"nlbDeletionProtection"`
	// AcceptanceRequired makes the provider accept each connection.
	// Default: true (the same-account demo consumer accepts itself).
	AcceptanceRequired *bool `yaml:"acceptanceRequired"`
	// AllowedPrincipals are account IDs or IAM ARNs allowed to connect, in
	// addition to the provider's own account.
	// Default: only the provider's own account.
	AllowedPrincipals []string `yaml:"allowedPrincipals"`
	// HealthCheck tunes the NLB's checks of the ALB. Default: the
	// listener's protocol on "/", healthy on 200-399.
	HealthCheck privatelink.HealthCheck `yaml:"healthCheck"`
	// ExistingALB publishes an ALB that already exists instead of creating
	// the demo network and ALB. Default: nil (demo mode).
	ExistingALB *ExistingALB `yaml:"existingAlb"`
	// Tags are added to every resource as provider default tags.
	// Default: Project and ManagedBy tags.
	Tags map[string]string `yaml:"tags"`
}

// ExistingALB describes an ALB deployed elsewhere (another tool or team).
type ExistingALB struct {
	// ARN of the Application Load Balancer.
	ARN string `yaml:"arn"`
	// Listeners of the ALB to publish: port and protocol (HTTPS or HTTP).
	Listeners []Listener `yaml:"listeners"`
	// VPCID is the ALB's VPC; the NLB is created there.
	VPCID string `yaml:"vpcId"`
	// SubnetIDs are two or more private subnets of that VPC for the NLB.
	SubnetIDs []string `yaml:"subnetIds"`
	// SecurityGroupID is the ALB's security group, opened to the NLB on the
	// listener ports. Default: none; the ALB's group must already admit the
	// NLB subnets.
	SecurityGroupID string `yaml:"securityGroupId"`
}

// Listener is an ALB listener's port and protocol.
type Listener struct {
	Port     int    `yaml:"port"`
	Protocol string `yaml:"protocol"`
}

// ConsumerConfig configures the "consumer" stack.
type ConsumerConfig struct {
	// Region of the consumer stack. Default: the provider's region.
	Region string `yaml:"region"`
	// AZIDs place the consumer subnets; each must be a zone the service
	// offers. Default: the provider's AZ IDs.
	AZIDs []string `yaml:"azIds"`
	// VPCCIDR is the demo consumer VPC's block, /16 to /24. It may overlap
	// the provider's: PrivateLink does not route between VPCs.
	// Default: 10.20.0.0/16.
	VPCCIDR string `yaml:"vpcCidr"`
	// ServiceName connects to a service that is not in this app
	// (com.amazonaws.vpce.REGION.vpce-svc-ID). Default: the provider stack's
	// service, by cross-stack reference.
	ServiceName string `yaml:"serviceName"`
	// Ports clients use. Default: the provider's listener ports (443 when
	// ServiceName is set).
	Ports []int `yaml:"ports"`
	// AllowedCIDRs may reach the endpoint. Default: the consumer VPC's CIDR.
	AllowedCIDRs []string `yaml:"allowedCidrs"`
	// CustomDomain is the ALB certificate's name, resolved to the endpoint
	// inside the consumer VPC by a private hosted zone. Default: none.
	CustomDomain string `yaml:"customDomain"`
	// PrivateDNSEnabled uses the provider's verified private DNS name.
	// Default: false.
	PrivateDNSEnabled bool `yaml:"privateDnsEnabled"`
	// AutoAccept accepts the endpoint connection from the consumer side; only
	// possible when both stacks run in one account. Default: true when the
	// provider stack is in this app, else false.
	AutoAccept *bool `yaml:"autoAccept"`
}

// WithDefaults returns a copy with every unset field at its documented default.
func (c AppConfig) WithDefaults() AppConfig {
	p := &c.Provider
	if p.Region == "" {
		p.Region = DefaultRegion
	}
	if len(p.AZIDs) == 0 {
		p.AZIDs = slices.Clone(defaultAZIDs[p.Region])
	}
	if p.VPCCIDR == "" {
		p.VPCCIDR = "10.10.0.0/16"
	}
	k := &c.Consumer
	if k.Region == "" {
		k.Region = p.Region
	}
	if len(k.AZIDs) == 0 && k.Region == p.Region {
		k.AZIDs = slices.Clone(p.AZIDs)
	}
	if len(k.AZIDs) == 0 {
		k.AZIDs = slices.Clone(defaultAZIDs[k.Region])
	}
	if k.VPCCIDR == "" {
		k.VPCCIDR = "10.20.0.0/16"
	}
	if len(k.Ports) == 0 {
		if k.ServiceName != "" {
			k.Ports = []int{443}
		} else {
			for _, l := range c.listeners() {
				k.Ports = append(k.Ports, l.Port)
			}
		}
	}
	if k.AutoAccept == nil {
		sameApp := k.ServiceName == ""
		k.AutoAccept = &sameApp
	}
	return c
}

// listeners are the ALB listeners the provider publishes.
func (c AppConfig) listeners() []Listener {
	if c.Provider.ExistingALB != nil {
		return c.Provider.ExistingALB.Listeners
	}
	if c.Provider.CertificateARN != "" {
		return []Listener{{Port: 443, Protocol: "HTTPS"}}
	}
	return []Listener{{Port: 80, Protocol: "HTTP"}}
}

var (
	azIDRe    = regexp.MustCompile(`^[a-z]{2,}[0-9]+-az[0-9]+$`)
	certARNRe = regexp.MustCompile(`^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$`)
)

// Validate checks a config that has had WithDefaults applied, reporting every
// problem at once. Messages name the setting and say the fix. The constructs
// check their own props again when the stacks are built.
func (c AppConfig) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	p, k := c.Provider, c.Consumer
	add(privatelink.ValidateRegion("provider.region", p.Region))
	add(privatelink.ValidateRegion("consumer.region", k.Region))
	if p.ExistingALB == nil {
		add(validateAZIDs("provider.azIds", p.Region, p.AZIDs))
		add(validateVPCCIDR("provider.vpcCidr", p.VPCCIDR))
	}
	add(validateAZIDs("consumer.azIds", k.Region, k.AZIDs))
	add(validateVPCCIDR("consumer.vpcCidr", k.VPCCIDR))
	if p.CertificateARN != "" && !certARNRe.MatchString(p.CertificateARN) {
		add(fmt.Errorf("provider.certificateArn %q: want an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)", p.CertificateARN))
	}
	if p.ExistingALB != nil && p.CertificateARN != "" {
		add(errors.New("provider.certificateArn: only used by the demo ALB; an existing ALB keeps its own certificates, remove the setting"))
	}
	for i, raw := range p.AllowedPrincipals {
		if _, err := privatelink.NormalizePrincipal(raw); err != nil {
			add(fmt.Errorf("provider.allowedPrincipals[%d]: %w", i, err))
		}
	}
	if k.ServiceName != "" {
		if err := privatelink.ValidateServiceName(k.ServiceName); err != nil {
			add(fmt.Errorf("consumer.serviceName: %w", err))
		}
	}
	if *k.AutoAccept && k.ServiceName != "" {
		add(errors.New("consumer.autoAccept: only works when the provider stack is in this app (same account); the service owner accepts instead"))
	}
	if k.Region != p.Region && k.ServiceName == "" {
		add(fmt.Errorf("consumer.region %q: differs from provider.region %q; cross-region PrivateLink needs the service name (consumer.serviceName) and the provider's supported regions", k.Region, p.Region))
	}
	return errors.Join(errs...)
}

func validateAZIDs(field, region string, ids []string) error {
	if len(ids) == 0 {
		return fmt.Errorf("%s: required in %s (no default there): list two or more AZ IDs such as use1-az1, from `aws ec2 describe-availability-zones`", field, region)
	}
	var errs []error
	if len(ids) < 2 {
		errs = append(errs, fmt.Errorf("%s: got %d, want at least 2 AZ IDs so one zone's outage does not cut the link", field, len(ids)))
	}
	if len(ids) > 8 {
		errs = append(errs, fmt.Errorf("%s: got %d, the demo network supports at most 8 zones", field, len(ids)))
	}
	seen := map[string]bool{}
	for i, id := range ids {
		if !azIDRe.MatchString(id) {
			errs = append(errs, fmt.Errorf("%s[%d] %q: want an AZ ID such as apne1-az1 (not a zone name such as %sa)", field, i, id, region))
		}
		if seen[id] {
			errs = append(errs, fmt.Errorf("%s[%d] %q: listed twice", field, i, id))
		}
		seen[id] = true
	}
	return errors.Join(errs...)
}

func validateVPCCIDR(field, cidr string) error {
	if err := privatelink.ValidateCIDR(field, cidr); err != nil {
		return err
	}
	if bits := netip.MustParsePrefix(cidr).Bits(); bits < 16 || bits > 24 {
		return fmt.Errorf("%s %q: want a /16 to /24 block (AWS allows /16 to /28 VPCs; the demo carves /20 to /28 subnets)", field, cidr)
	}
	return nil
}

// subnetCIDR returns the index-th subnet of vpc with 4 more prefix bits:
// 10.10.0.0/16 gives 10.10.0.0/20, 10.10.16.0/20, ... (16 in all).
func subnetCIDR(vpc string, index int) string {
	pfx := netip.MustParsePrefix(vpc)
	bits := pfx.Bits() + 4
	a := pfx.Addr().As4()
	n := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	n += uint32(index) << (32 - bits)
	addr := netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	return netip.PrefixFrom(addr, bits).String()
}

// azSuffix makes an AZ ID usable in a construct ID: "apne1-az1" -> "Apne1Az1".
func azSuffix(azID string) string {
	var b strings.Builder
	for _, part := range strings.Split(azID, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

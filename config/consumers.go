package config

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink/rules"
)

// Consumer configures one consumer stack.
type Consumer struct {
	// Name of the consumer: lower-case letters, digits and hyphens. It names
	// the stack "consumer-NAME" (and its state), whatever its place in the
	// list. Default: none, for at most one consumer, whose stack is
	// "consumer".
	Name string `yaml:"name"`
	// AWS provider settings. Default: the provider's region; the
	// environment's credentials.
	AWS AWS `yaml:"aws"`
	// ServiceName connects to a service not in this app
	// (com.amazonaws.vpce.REGION.vpce-svc-ID). Default: the provider
	// stack's service, by cross-stack reference.
	ServiceName string `yaml:"serviceName"`
	// ServiceRegion is the region of a service not in this app when it
	// differs from the consumer's. Default: the provider's region when the
	// provider is in this app, else the consumer's.
	ServiceRegion string `yaml:"serviceRegion"`
	// AZIDs place the demo subnets; each must be a zone the service
	// offers. Default: the provider's AZ IDs in the same region, else the
	// region's defaults.
	AZIDs []string `yaml:"azIds"`
	// VPCCIDR is the demo consumer VPC's block, /16 to /24. It may overlap
	// the provider's. Default: 10.20.0.0/16.
	VPCCIDR string `yaml:"vpcCidr"`
	// SubnetCIDRs place the demo subnets (Private only). Default: carved.
	SubnetCIDRs SubnetCIDRs `yaml:"subnetCidrs"`
	// FlowLogs of the demo VPC. Default: on, 90 days in CloudWatch Logs.
	FlowLogs FlowLogs `yaml:"flowLogs"`
	// ExistingVPC adopts a VPC instead of creating the demo one.
	// Default: nil, a demo VPC from VPCCIDR and AZIDs.
	ExistingVPC *ExistingVPC `yaml:"existingVpc"`
	// ClientCIDRs may reach the endpoint. Default: the consumer VPC's CIDR.
	ClientCIDRs []string `yaml:"clientCidrs"`
	// Ports clients use. Default: the provider's listener ports (443 with
	// serviceName).
	Ports []int `yaml:"ports"`
	// CustomDomain is the ALB certificate's name, resolved to the endpoint
	// inside the consumer VPC by a private hosted zone. Default: none.
	CustomDomain string `yaml:"customDomain"`
	// PrivateDNSEnabled resolves the provider's private DNS name
	// (provider.privateDns) to this endpoint, with no hosted zone here; the
	// VPC needs DNS support and DNS hostnames (the demo VPC has both).
	// Default: false.
	PrivateDNSEnabled bool `yaml:"privateDnsEnabled"`
	// IPAddressType of the endpoint: ipv4, dualstack or ipv6. Anything but
	// ipv4 needs a dual-stack service (provider.dualStack); dualstack gives
	// the demo VPC an IPv6 block; ipv6 needs an existingVpc whose subnets
	// are IPv6-only. Default: ipv4.
	IPAddressType string `yaml:"ipAddressType"`
	// ClientIPv6CIDRs may reach the endpoint over IPv6 (never ::/0).
	// Default: the VPC's IPv6 block when ipAddressType is not ipv4.
	ClientIPv6CIDRs []string `yaml:"clientIpv6Cidrs"`
	// AutoAccept accepts the connection from the consumer side; only works
	// in the provider's account and region. Default: true when the provider
	// is in this app and the consumer is in its account and region; other
	// consumers get an accept-... stack.
	AutoAccept *bool `yaml:"autoAccept"`
	// Probe deploys the connectivity probe: a small Lambda function in the
	// consumer VPC that calls the endpoint as a client would (its custom
	// domain and its own DNS name, on each port); go run . doctor invokes
	// it. No hourly cost. Default: false.
	Probe bool `yaml:"probe"`
}

// ExistingVPC is a consumer VPC created elsewhere.
type ExistingVPC struct {
	// VPCID of the consumer VPC. Required.
	VPCID string `yaml:"vpcId"`
	// SubnetIDs for the endpoint, two or more in zones the service offers. Required.
	SubnetIDs []string `yaml:"subnetIds"`
	// CIDR of the VPC, the default client range. Default: read from the VPC
	// when Terraform plans.
	CIDR string `yaml:"cidr"`
}

var nameRe = regexp.MustCompile(`^[a-z][a-z0-9-]{0,28}[a-z0-9]$|^[a-z]$`)

// StackName is the stack of consumer i: "consumer-NAME", or "consumer"
// for the consumer without a name. It depends on nothing else, so
// reordering consumers never moves a stack's state.
func (c Config) StackName(i int) string {
	if c.Consumers[i].Name == "" {
		return "consumer"
	}
	return "consumer-" + c.Consumers[i].Name
}

// plannedService stands in, while the config is checked, for the provider's
// service in this app: its name is known only once the provider stack is
// built, but its ports, address types and private DNS name are known now.
type plannedService struct {
	ports          []int
	ipTypes        []string
	privateDNSName string
}

func (plannedService) ServiceName() *string       { return nil }
func (s plannedService) Ports() []int             { return s.ports }
func (s plannedService) IPAddressTypes() []string { return s.ipTypes }
func (s plannedService) PrivateDNSName() string   { return s.privateDNSName }

// sameAccount tells whether a consumer deploys to the provider's account,
// as far as the config says: an unset account ID means the same one.
func (c Config) sameAccount(k Consumer) bool {
	return k.AWS.AccountID == "" || k.AWS.AccountID == c.Provider.AWS.AccountID
}

// NeedsAccepter tells whether consumer i's connection is accepted by an
// "accept-" stack: the provider is in this app and requires acceptance,
// and the consumer does not accept itself (auto_accept only works in the
// service's account and region: the provider looks the service up in the
// endpoint's region).
func (c Config) NeedsAccepter(i int) bool {
	k := c.Consumers[i]
	return c.ProviderEnabled() && k.ServiceName == "" && boolOr(c.Provider.AcceptanceRequired, true) && !boolOr(k.AutoAccept, false)
}

// namedService is a service not in this app, known by its name.
type namedService string

func (n namedService) ServiceName() *string { s := string(n); return &s }

// endpointRules is consumer i's ConsumerEndpoint as far as the
// configuration sets it, in the terms of its rules. The provider's
// service in this app stands in as the plannedService its config
// describes (its name is known once the stack is built); the stack fills
// in the demo VPC and its subnets.
func (c Config) endpointRules(i int) rules.Endpoint {
	k := c.Consumers[i]
	e := rules.Endpoint{
		Ports:             k.Ports,
		AllowedCIDRs:      k.ClientCIDRs,
		CustomDomain:      k.CustomDomain,
		PrivateDNSEnabled: k.PrivateDNSEnabled,
		IPAddressType:     k.IPAddressType,
		AllowedIPv6CIDRs:  k.ClientIPv6CIDRs,
		VPCCIDR:           k.VPCCIDR,
		Probe:             k.Probe,
	}
	switch {
	case k.ServiceName != "":
		e.Service = namedService(k.ServiceName)
		e.ServiceRegion = k.ServiceRegion
	case c.ProviderEnabled():
		e.Service = c.plannedService()
		if k.AWS.Region != c.Provider.AWS.Region {
			e.ServiceRegion = c.Provider.AWS.Region
		}
	}
	if v := k.ExistingVPC; v != nil {
		e.VPCID, e.SubnetIDs, e.VPCCIDR = v.VPCID, v.SubnetIDs, v.CIDR
	}
	return e
}

// ServiceRegion is the region of consumer i's service when it is not the
// consumer's own ("" when it is).
func (c Config) ServiceRegion(i int) string { return c.endpointRules(i).ServiceRegion }

// ClientPorts are the ports consumer i's clients use: its ports, else
// those of the provider's listeners, else 443 (the endpoint's own rule).
func (c Config) ClientPorts(i int) []int { return c.endpointRules(i).EffectivePorts() }

// plannedService is the provider's service in this app as its config
// describes it.
func (c Config) plannedService() plannedService {
	planned := plannedService{ipTypes: []string{"ipv4"}}
	for _, l := range c.listeners() {
		planned.ports = append(planned.ports, l.Port)
	}
	if c.Provider.DualStack {
		planned.ipTypes = append(planned.ipTypes, "ipv6")
	}
	if d := c.Provider.PrivateDNS; d != nil {
		planned.privateDNSName = d.Name
	}
	return planned
}

func (c Config) checkConsumer(ck *checker, i int) {
	k := c.Consumers[i]
	path := fmt.Sprintf("consumers[%d]", i)
	if k.Name != "" && !nameRe.MatchString(k.Name) {
		ck.addf(path+".name", "%q: want 1-30 lower-case letters, digits and hyphens, starting with a letter", k.Name)
	}
	aws := k.AWS
	if c.ProviderEnabled() && aws.Region == c.Provider.AWS.Region {
		aws.Region = "" // inherited from the provider, and checked there
	}
	aws.check(ck, path+".aws")
	// Other credentials than the provider's may mean another account: the
	// provider must know which, to allow it and to accept its connection.
	if c.ProviderEnabled() && k.ServiceName == "" && k.AWS.AccountID == "" && k.AWS.Profile != "" && k.AWS.Profile != c.Provider.AWS.Profile {
		ck.addf(path+".aws.accountId", "is required: this consumer deploys with profile %q, not the provider's (%s), so it may be another account; set its 12-digit account ID (the provider's own if it is the same)", k.AWS.Profile, orDefault(c.Provider.AWS.Profile, "the environment's credentials"))
	}

	// The construct's own rules, named by YAML path.
	paths := map[string]string{
		"Ports":             path + ".ports",
		"AllowedCIDRs":      path + ".clientCidrs",
		"CustomDomain":      path + ".customDomain",
		"PrivateDNSEnabled": path + ".privateDnsEnabled",
		"IPAddressType":     path + ".ipAddressType",
		"AllowedIPv6CIDRs":  path + ".clientIpv6Cidrs",
		"Probe":             path + ".probe",
	}
	switch {
	case k.ServiceName != "":
		paths["Service"] = path + ".serviceName"
		paths["ServiceRegion"] = path + ".serviceRegion"
	case !c.ProviderEnabled():
		ck.addf(path+".serviceName", "is required when provider.enabled is false: the service to connect to (com.amazonaws.vpce.REGION.vpce-svc-ID)")
	}
	if k.ServiceRegion != "" && k.ServiceName == "" {
		ck.addf(path+".serviceRegion", "only applies with serviceName; for the provider in this app the region is wired for you")
	}

	if v := k.ExistingVPC; v != nil {
		vp := path + ".existingVpc"
		for _, demoOnly := range []struct {
			key string
			set bool
		}{
			{"azIds", len(k.AZIDs) > 0},
			{"vpcCidr", k.VPCCIDR != ""},
			{"subnetCidrs", len(k.SubnetCIDRs.Private)+len(k.SubnetCIDRs.Public) > 0},
			{"flowLogs", k.FlowLogs != FlowLogs{}},
		} {
			if demoOnly.set {
				ck.addf(path+"."+demoOnly.key, "only configures the demo VPC; with existingVpc remove it")
			}
		}
		paths["VPCID"] = vp + ".vpcId"
		paths["SubnetIDs"] = vp + ".subnetIds"
		paths["VPCCIDR"] = vp + ".cidr"
	} else {
		// Zones inherited from the provider were checked there.
		if !c.ProviderEnabled() || k.AWS.Region != c.Provider.AWS.Region || !slices.Equal(k.AZIDs, c.Provider.AZIDs) {
			checkAZIDs(ck, path+".azIds", k.AWS.Region, k.AZIDs)
		}
		checkDemoVPC(ck, path, k.VPCCIDR, len(k.AZIDs), k.SubnetCIDRs, false)
		if k.IPAddressType == "ipv6" {
			ck.addf(path+".ipAddressType", `"ipv6": an IPv6-only endpoint needs IPv6-only subnets, and the demo VPC's have IPv4 too; use dualstack, or an existingVpc with IPv6-only subnets`)
		}
		k.FlowLogs.check(ck, path+".flowLogs")
	}
	c.endpointRules(i).Check(ck.at(paths))

	if *k.AutoAccept {
		switch {
		case k.ServiceName != "" || !c.ProviderEnabled():
			ck.addf(path+".autoAccept", "only works for the provider in this app; the owner of %s accepts instead", orDefault(k.ServiceName, "the service"))
		case !c.sameAccount(k):
			ck.addf(path+".autoAccept", "only works in the provider's account (%s), not %s; remove it and an accept-%s stack accepts with the provider's credentials", orDefault(c.Provider.AWS.AccountID, "provider.aws.accountId is not set"), k.AWS.AccountID, c.StackName(i))
		case k.AWS.Region != c.Provider.AWS.Region:
			ck.addf(path+".autoAccept", "only works in the provider's region (%s), not %s; remove it and an accept-%s stack accepts in the provider's region", c.Provider.AWS.Region, k.AWS.Region, c.StackName(i))
		}
	}
}

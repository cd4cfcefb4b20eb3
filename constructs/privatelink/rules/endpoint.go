package rules

import (
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"strings"

	"github.com/alb-privatelink/alb-privatelink/internal/validate"
)

// MaxIngressRules is the default quota of inbound rules per security group
// ("Inbound or outbound rules per security group" in Service Quotas).
const MaxIngressRules = 60

// EndpointService is anything consumers can connect to: an owned
// *ProviderEndpointService, or a service owned elsewhere and imported with
// EndpointServiceFromName.
type EndpointService interface {
	// ServiceName is com.amazonaws.vpce.REGION.vpce-svc-ID, or a token for it.
	ServiceName() *string
}

// PortsPublisher is an EndpointService that knows the ports it publishes,
// as a *ProviderEndpointService does: a ConsumerEndpoint then defaults its
// Ports to them and refuses any other.
type PortsPublisher interface {
	EndpointService
	Ports() []int
}

// Endpoint is the data of a ConsumerEndpoint's props that its rules read
// (package privatelink documents each field): the construct checks its
// props through it, and the config file's loader and the doctor use it
// without building any construct.
type Endpoint struct {
	VPCID             string
	SubnetIDs         []string
	Service           EndpointService
	Ports             []int
	AllowedCIDRs      []string
	VPCCIDR           string
	IPAddressType     string
	AllowedIPv6CIDRs  []string
	PrivateDNSEnabled bool
	CustomDomain      string
	ServiceRegion     string
	Probe             bool
}

// Check reports each problem of props through report, with the Go field
// ("Ports[1]", "AllowedCIDRs[0]") and a problem that starts with the bad
// value and says the fix. NewConsumerEndpoint calls it; so does the config
// file's loader, naming the fields in its own terms. Tokens pass.
func (props Endpoint) Check(report func(field, problem string)) {
	validate.Network(props.VPCID, "the consumer VPC", props.SubnetIDs, report)
	var name *string
	if !isNilService(props.Service) {
		name = props.Service.ServiceName()
	}
	if name == nil || *name == "" {
		report("Service", `is required: a *ProviderEndpointService or EndpointServiceFromName("com.amazonaws.vpce.REGION.vpce-svc-ID")`)
	} else if problem := validate.ServiceName(*name); problem != "" {
		report("Service", problem)
	}
	validate.EachUnique("Ports", props.Ports, validate.Port, report)
	if published := props.publishedPorts(); len(published) > 0 {
		for i, port := range props.Ports {
			if validate.Port(port) == "" && !slices.Contains(published, port) {
				report(fmt.Sprintf("Ports[%d]", i), fmt.Sprintf("%d: the service publishes %s only; use one of its ports (an ALB listener port)", port, JoinInts(published)))
			}
		}
	}
	// AWS refuses a second identical rule.
	validate.EachUnique("AllowedCIDRs", props.AllowedCIDRs, ClientCIDR, report)
	ipType := props.IPAddressTypeOrDefault()
	switch ipType {
	case "ipv4", "dualstack", "ipv6":
	default:
		report("IPAddressType", fmt.Sprintf("%q: want ipv4, dualstack or ipv6 (lower case, as AWS spells them)", props.IPAddressType))
	}
	validate.EachUnique("AllowedIPv6CIDRs", props.AllowedIPv6CIDRs, clientCIDR6, report)
	if len(props.AllowedIPv6CIDRs) > 0 && ipType == "ipv4" {
		report("AllowedIPv6CIDRs", "is set, but the endpoint is ipv4 only (IPAddressType): clients cannot reach it over IPv6; set IPAddressType to dualstack")
	}
	if offers, ok := props.Service.(IPAddressTypesOfferer); ok && !isNilService(props.Service) && ipType != "ipv4" && !slices.Contains(offers.IPAddressTypes(), "ipv6") {
		report("IPAddressType", fmt.Sprintf("%q: the service offers IPv4 only; make it dual stack (DualStack) or use ipv4", ipType))
	}
	// AWS counts the quota per address family.
	// The probe's group is one more source.
	probe := 0
	if props.Probe {
		probe = 1
		if ipType == "ipv6" {
			report("Probe", "cannot run with an ipv6 endpoint: Lambda functions need IPv4 addresses in their subnets, and an ipv6 endpoint's are IPv6-only")
		}
	}
	if problem := QuotaProblem(max(len(props.AllowedCIDRs), 1)+probe, len(props.EffectivePorts())); problem != "" {
		clients := max(len(props.AllowedCIDRs), 1) * len(props.EffectivePorts())
		if probe == 1 && clients <= MaxIngressRules {
			more := Plural(len(props.EffectivePorts()), "more ingress rule")
			report("Probe", fmt.Sprintf("needs %s on the endpoint's security group (one per port, from the probe's group), but the %d client rules leave room for %d of the %d it holds by default; admit wider CIDRs, or turn the probe off",
				more, clients, MaxIngressRules-clients, MaxIngressRules))
		} else {
			report("AllowedCIDRs", "has "+problem)
		}
	}
	// A rule that references a group (the probe's) counts in both.
	if problem := QuotaProblem(len(props.AllowedIPv6CIDRs)+probe*min(len(props.AllowedIPv6CIDRs), 1), len(props.EffectivePorts())); problem != "" {
		report("AllowedIPv6CIDRs", "has "+problem)
	}
	if props.VPCCIDR != "" {
		if problem := validate.CIDR(props.VPCCIDR); problem != "" {
			report("VPCCIDR", problem)
		}
	}
	if named, ok := props.Service.(PrivateDNSNamer); ok && !isNilService(props.Service) && props.PrivateDNSEnabled && named.PrivateDNSName() == "" {
		report("PrivateDNSEnabled", "is true, but the service has no private DNS name; give the service one (PrivateDNS), or use CustomDomain for a name of your own")
	}
	if domain := strings.TrimSuffix(props.CustomDomain, "."); domain != "" {
		if problem := validate.DomainName(domain); problem != "" {
			report("CustomDomain", problem)
		} else if props.PrivateDNSEnabled {
			report("CustomDomain", fmt.Sprintf("%q: private DNS is enabled too, and both would claim the name in this VPC; choose one", domain))
		}
	}
	if props.ServiceRegion != "" {
		if problem := validate.Region(props.ServiceRegion); problem != "" {
			report("ServiceRegion", problem)
		}
	}
}

// isNilService catches a nil pointer stored in the interface, such as a
// *ProviderEndpointService variable that was never set.
func isNilService(s EndpointService) bool {
	if s == nil {
		return true
	}
	v := reflect.ValueOf(s)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// EffectivePorts are the ports the endpoint serves: Ports, else those its service
// publishes (a *ProviderEndpointService), else 443.
func (props Endpoint) EffectivePorts() []int {
	if len(props.Ports) > 0 {
		return props.Ports
	}
	if published := props.publishedPorts(); len(published) > 0 {
		return published
	}
	return []int{443}
}

// publishedPorts are the ports the service says it publishes (a
// PortsPublisher), or nil when it cannot say.
func (props Endpoint) publishedPorts() []int {
	if pub, ok := props.Service.(PortsPublisher); ok && !isNilService(pub) {
		return pub.Ports()
	}
	return nil
}

// QuotaProblem says why cidrs × ports ingress rules do not fit in one
// security group's default quota, or "" when they do.
func QuotaProblem(cidrs, ports int) string {
	rules := cidrs * ports
	if rules <= MaxIngressRules {
		return ""
	}
	return fmt.Sprintf("%s × %s = %d ingress rules, but a security group holds %d by default (quota \"Inbound or outbound rules per security group\"); admit wider CIDRs",
		Plural(cidrs, "CIDR"), Plural(ports, "port"), rules, MaxIngressRules)
}

// ClientCIDR checks a CIDR that may reach the endpoint.
func ClientCIDR(cidr string) string {
	if problem := validate.CIDR(cidr); problem != "" {
		return problem
	}
	if cidr == "0.0.0.0/0" {
		return `"0.0.0.0/0": admits the whole internet to a private ALB; list the client CIDRs`
	}
	return ""
}

// clientCIDR6 checks an IPv6 CIDR that may reach the endpoint.
func clientCIDR6(cidr string) string {
	if validate.IsToken(cidr) {
		return ""
	}
	p, err := netip.ParsePrefix(cidr)
	switch {
	case err != nil || !p.Addr().Is6() || p.Addr().Is4In6():
		return fmt.Sprintf("%q: want an IPv6 CIDR block, such as 2600:1f18:abcd:1200::/56", cidr)
	case p.Masked() != p:
		return fmt.Sprintf("%q: has host bits set; did you mean %s?", cidr, p.Masked())
	case p.Bits() == 0:
		return `"::/0": admits the whole internet to a private ALB; list the client CIDRs`
	}
	return ""
}

// PrivateDNSNamer is an EndpointService that says whether it has a private
// DNS name, as a *ProviderEndpointService does: a ConsumerEndpoint then
// refuses PrivateDNSEnabled for a service without one.
type PrivateDNSNamer interface {
	EndpointService
	PrivateDNSName() string
}

// IPAddressTypesOfferer is an EndpointService that says which address
// types it offers, as a *ProviderEndpointService does: a ConsumerEndpoint
// then refuses IPv6 from a service that offers IPv4 only.
type IPAddressTypesOfferer interface {
	EndpointService
	IPAddressTypes() []string
}

// IPAddressTypeOrDefault is IPAddressType, else ipv4.
func (props Endpoint) IPAddressTypeOrDefault() string {
	if props.IPAddressType == "" {
		return "ipv4"
	}
	return props.IPAddressType
}

// Plural is "1 port", "2 ports".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

package privatelink

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/alb-privatelink/alb-privatelink/internal/validate"
)

// The props' Check methods: one owner for each rule about the constructs'
// input. The constructors call them; so does the config file's loader
// (package config), which names each field by its YAML path.

// checkErr runs a props Check and joins its reports into one error, one
// "FIELD problem" line each, so a user sees every mistake in one run.
func checkErr(check func(report func(field, problem string))) error {
	var lines []string
	check(func(field, problem string) { lines = append(lines, field+" "+problem) })
	if len(lines) == 0 {
		return nil
	}
	return errors.New(strings.Join(lines, "\n"))
}

// checkID refuses a construct ID that scope already has: cdktf would
// panic on it.
func checkID(scope constructs.Construct, id string) error {
	if scope != nil && scope.Node().TryFindChild(jsii.String(id)) != nil {
		return fmt.Errorf("construct ID %q is already used in %s; give each construct its own ID", id, *scope.Node().Path())
	}
	return nil
}

var (
	partitionRe = regexp.MustCompile(`^aws(-[a-z]+)*$`)
	arnRe       = regexp.MustCompile(`^arn:(aws(?:-[a-z]+)*):`)
)

// partition is Partition, else the ALB ARN's partition, else "aws".
func (props ProviderEndpointServiceProps) partition() string {
	if props.Partition != "" {
		return props.Partition
	}
	if m := arnRe.FindStringSubmatch(props.ALBARN); m != nil {
		return m[1]
	}
	return "aws"
}

// Check reports each problem of props through report, with the Go field
// ("Listeners[1].Port", "HealthCheck.IntervalSeconds") and a problem that
// starts with the bad value and says the fix. NewProviderEndpointService
// calls it; so does the config file's loader, naming the fields in its own
// terms. Tokens pass: they are only known at deploy time.
func (props ProviderEndpointServiceProps) Check(report func(field, problem string)) {
	partition := props.partition()
	if !partitionRe.MatchString(partition) {
		report("Partition", fmt.Sprintf("%q: want aws, aws-cn or aws-us-gov", partition))
	} else if m := arnRe.FindStringSubmatch(props.ALBARN); m != nil && m[1] != partition {
		report("Partition", fmt.Sprintf("%q: the ALB is in partition %s (ALBARN); principals must be ARNs of its partition", partition, m[1]))
	}
	validate.Network(props.VPCID, "the ALB's VPC, where the NLB goes", props.SubnetIDs, report)
	if props.ALBARN == "" {
		report("ALBARN", "is required: the ARN of the ALB to publish")
	} else if problem := validate.ALBARN(props.ALBARN); problem != "" {
		report("ALBARN", problem)
	}
	if props.ALBSecurityGroupID != "" {
		if problem := validate.ResourceID("sg", props.ALBSecurityGroupID); problem != "" {
			report("ALBSecurityGroupID", problem)
		}
	}
	if len(props.Listeners) == 0 {
		report("Listeners", "is required: at least one listener (port and protocol) of the ALB")
	}
	hcProtocol := strings.ToUpper(props.HealthCheck.Protocol)
	var mismatched []int
	ports := map[int]bool{}
	for i, l := range props.Listeners {
		field := fmt.Sprintf("Listeners[%d]", i)
		if problem := validate.Port(l.Port); problem != "" {
			report(field+".Port", problem)
		} else if ports[l.Port] {
			report(field+".Port", fmt.Sprintf("%d: listed twice; one target group per port", l.Port))
		}
		ports[l.Port] = true
		switch proto := strings.ToUpper(l.Protocol); {
		case proto != "HTTPS" && proto != "HTTP":
			report(field+".Protocol", fmt.Sprintf("%q: want HTTPS or HTTP (the ALB listener's protocol)", l.Protocol))
		case (hcProtocol == "HTTPS" || hcProtocol == "HTTP") && hcProtocol != proto:
			mismatched = append(mismatched, l.Port)
		}
	}
	if len(mismatched) > 0 {
		// An alb target group checks its ALB over HTTP(S): the wrong one
		// makes a healthy ALB look unhealthy (no traffic flows).
		where := fmt.Sprintf("listener on port %d does", mismatched[0])
		if len(mismatched) > 1 {
			where = "listeners on ports " + joinInts(mismatched) + " do"
		}
		report("HealthCheck.Protocol", fmt.Sprintf("%q: the ALB %s not speak %s, so the ALB would look unhealthy; leave it unset to follow each listener", props.HealthCheck.Protocol, where, hcProtocol))
	}
	props.HealthCheck.Check(func(field, problem string) { report("HealthCheck."+field, problem) })
	if problem := validate.LBName(props.NLBName); problem != "" {
		report("NLBName", problem)
	}
	for i, r := range props.SupportedRegions {
		if problem := validate.Region(r); problem != "" {
			report(fmt.Sprintf("SupportedRegions[%d]", i), problem)
		}
	}
	acceptance := boolOr(props.AcceptanceRequired, true)
	for i, p := range props.AllowedPrincipals {
		if _, problem := principalARN(partition, acceptance, p); problem != "" {
			report(fmt.Sprintf("AllowedPrincipals[%d]", i), problem)
		}
	}
	props.checkOptions(report)
}

// principalARN normalizes one allowed principal and refuses "*" unless
// connections need acceptance. The problem starts with the principal.
func principalARN(partition string, acceptance bool, principal string) (arn, problem string) {
	arn, problem = validate.Principal(partition, principal)
	if problem == "" && arn == "*" && !acceptance {
		problem = `"*": lets anyone in the partition connect; require acceptance or list account IDs`
	}
	return arn, problem
}

// Check reports each problem of props through report, with the Go field
// ("Ports[1]", "AllowedCIDRs[0]") and a problem that starts with the bad
// value and says the fix. NewConsumerEndpoint calls it; so does the config
// file's loader, naming the fields in its own terms. Tokens pass.
func (props ConsumerEndpointProps) Check(report func(field, problem string)) {
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
				report(fmt.Sprintf("Ports[%d]", i), fmt.Sprintf("%d: the service publishes %s only; use one of its ports (an ALB listener port)", port, joinInts(published)))
			}
		}
	}
	// AWS refuses a second identical rule.
	validate.EachUnique("AllowedCIDRs", props.AllowedCIDRs, clientCIDR, report)
	ipType := props.ipAddressType()
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
	if problem := quotaProblem(max(len(props.AllowedCIDRs), 1)+probe, len(props.ports())); problem != "" {
		clients := max(len(props.AllowedCIDRs), 1) * len(props.ports())
		if probe == 1 && clients <= maxIngressRules {
			more := plural(len(props.ports()), "more ingress rule")
			report("Probe", fmt.Sprintf("needs %s on the endpoint's security group (one per port, from the probe's group), but the %d client rules leave room for %d of the %d it holds by default; admit wider CIDRs, or turn the probe off",
				more, clients, maxIngressRules-clients, maxIngressRules))
		} else {
			report("AllowedCIDRs", "has "+problem)
		}
	}
	// A rule that references a group (the probe's) counts in both.
	if problem := quotaProblem(len(props.AllowedIPv6CIDRs)+probe*min(len(props.AllowedIPv6CIDRs), 1), len(props.ports())); problem != "" {
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

// ports are the ports the endpoint serves: Ports, else those its service
// publishes (a *ProviderEndpointService), else 443.
func (props ConsumerEndpointProps) ports() []int {
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
func (props ConsumerEndpointProps) publishedPorts() []int {
	if pub, ok := props.Service.(PortsPublisher); ok && !isNilService(pub) {
		return pub.Ports()
	}
	return nil
}

// quotaProblem says why cidrs × ports ingress rules do not fit in one
// security group's default quota, or "" when they do.
func quotaProblem(cidrs, ports int) string {
	rules := cidrs * ports
	if rules <= maxIngressRules {
		return ""
	}
	return fmt.Sprintf("%s × %s = %d ingress rules, but a security group holds %d by default (quota \"Inbound or outbound rules per security group\"); admit wider CIDRs",
		plural(cidrs, "CIDR"), plural(ports, "port"), rules, maxIngressRules)
}

// clientCIDR checks a CIDR that may reach the endpoint.
func clientCIDR(cidr string) string {
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

// ipAddressType is IPAddressType, else ipv4.
func (props ConsumerEndpointProps) ipAddressType() string {
	if props.IPAddressType == "" {
		return "ipv4"
	}
	return props.IPAddressType
}

// plural is "1 port", "2 ports".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

package privatelink

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink/rules"
)

// The props' Check methods: each rule about the constructs' input is
// written once, in package rules (which imports no jsii package, so the
// config file's loader and the doctor use the same rules without the AWS
// bindings). The constructors call Check; Check hands rules the props'
// data.

// The props' plain-data parts are the rules package's types.
type (
	// HealthCheck configures how the NLB checks the ALB (rules.HealthCheck).
	HealthCheck = rules.HealthCheck
	// PrivateDNS gives the endpoint service a DNS name of its own (rules.PrivateDNS).
	PrivateDNS = rules.PrivateDNS
	// ConnectionNotifications sends connection events to SNS (rules.ConnectionNotifications).
	ConnectionNotifications = rules.ConnectionNotifications
	// AccessLogs turns on the NLB's access logs (rules.AccessLogs).
	AccessLogs = rules.AccessLogs
	// EndpointService is anything consumers can connect to (rules.EndpointService).
	EndpointService = rules.EndpointService
	// PortsPublisher is an EndpointService that knows its ports (rules.PortsPublisher).
	PortsPublisher = rules.PortsPublisher
	// PrivateDNSNamer is an EndpointService that says its private DNS name (rules.PrivateDNSNamer).
	PrivateDNSNamer = rules.PrivateDNSNamer
	// IPAddressTypesOfferer is an EndpointService that says its address types (rules.IPAddressTypesOfferer).
	IPAddressTypesOfferer = rules.IPAddressTypesOfferer
)

// maxIngressRules is the default quota of inbound rules per security group.
const maxIngressRules = rules.MaxIngressRules

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

// Check reports each problem of props through report, with the Go field
// ("Listeners[1].Port", "HealthCheck.IntervalSeconds") and a problem that
// starts with the bad value and says the fix. NewProviderEndpointService
// calls it. Tokens pass: they are only known at deploy time.
func (props ProviderEndpointServiceProps) Check(report func(field, problem string)) {
	props.rules().Check(report)
}

// rules is the data of props that package rules checks.
func (props ProviderEndpointServiceProps) rules() rules.Service {
	s := rules.Service{
		Partition: props.Partition, VPCID: props.VPCID, SubnetIDs: props.SubnetIDs,
		ALBARN: props.ALBARN, ALBSecurityGroupID: props.ALBSecurityGroupID,
		AcceptanceRequired: props.AcceptanceRequired, AllowedPrincipals: props.AllowedPrincipals,
		SupportedRegions: props.SupportedRegions, NLBName: props.NLBName, HealthCheck: props.HealthCheck,
		PrivateDNS: props.PrivateDNS, ConnectionNotifications: props.ConnectionNotifications, AccessLogs: props.AccessLogs,
	}
	for _, l := range props.Listeners {
		s.Listeners = append(s.Listeners, rules.Listener{Port: l.Port, Protocol: l.Protocol})
	}
	return s
}

// Check reports each problem of props through report, with the Go field
// ("Ports[1]", "AllowedCIDRs[0]") and a problem that starts with the bad
// value and says the fix. NewConsumerEndpoint calls it. Tokens pass.
func (props ConsumerEndpointProps) Check(report func(field, problem string)) {
	props.rules().Check(report)
}

// rules is the data of props that package rules checks.
func (props ConsumerEndpointProps) rules() rules.Endpoint {
	return rules.Endpoint{
		VPCID: props.VPCID, SubnetIDs: props.SubnetIDs, Service: props.Service, Ports: props.Ports,
		AllowedCIDRs: props.AllowedCIDRs, VPCCIDR: props.VPCCIDR, IPAddressType: props.IPAddressType,
		AllowedIPv6CIDRs: props.AllowedIPv6CIDRs, PrivateDNSEnabled: props.PrivateDNSEnabled,
		CustomDomain: props.CustomDomain, ServiceRegion: props.ServiceRegion, Probe: props.Probe,
	}
}

// ports are the ports the endpoint serves: Ports, else those its service
// publishes (a *ProviderEndpointService), else 443.
func (props ConsumerEndpointProps) ports() []int { return props.rules().EffectivePorts() }

// ipAddressType is IPAddressType, else ipv4.
func (props ConsumerEndpointProps) ipAddressType() string {
	return props.rules().IPAddressTypeOrDefault()
}

// partition is Partition, else the ALB ARN's partition, else "aws".
func (props ProviderEndpointServiceProps) partition() string {
	return props.rules().PartitionOrDefault()
}

func principalARN(partition string, acceptance bool, principal string) (string, string) {
	return rules.PrincipalARN(partition, acceptance, principal)
}

func quotaProblem(cidrs, ports int) string { return rules.QuotaProblem(cidrs, ports) }
func clientCIDR(cidr string) string        { return rules.ClientCIDR(cidr) }

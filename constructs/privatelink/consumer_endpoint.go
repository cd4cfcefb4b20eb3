package privatelink

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawssubnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsvpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsvpcendpointservice"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53record"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53zone"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpoint"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

type namedService string

func (n namedService) ServiceName() *string { return jsii.String(string(n)) }

// EndpointServiceFromName imports an endpoint service owned elsewhere (another
// app, team or account) by its name, e.g.
// "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0". The name is
// checked when a ConsumerEndpoint uses it.
func EndpointServiceFromName(name string) EndpointService { return namedService(name) }

// ConsumerEndpointProps configures a ConsumerEndpoint.
type ConsumerEndpointProps struct {
	// VPCID is the consumer VPC.
	VPCID string
	// SubnetIDs are two or more subnets, in different Availability Zones, for
	// the endpoint's network interfaces. Each zone must be one the service
	// supports: pick subnets by AZ ID, which is the same in every account.
	SubnetIDs []string
	// Service to connect to.
	Service EndpointService
	// Ports clients use, each the port of a published ALB listener; with a
	// *ProviderEndpointService, ports it does not publish are refused.
	// Default: the ports the service publishes when it can say (a
	// PortsPublisher, such as a *ProviderEndpointService), else 443.
	Ports []int
	// AllowedCIDRs may connect to the endpoint on Ports, one security group
	// rule per CIDR and port (a group holds 60 inbound rules by default).
	// 0.0.0.0/0 is refused: the endpoint leads to a private ALB.
	// Default: the VPC's CIDR block (VPCCIDR).
	AllowedCIDRs []string
	// VPCCIDR is the consumer VPC's IPv4 CIDR block, the default source.
	// Default: read from the VPC with a data source when Terraform plans.
	VPCCIDR string
	// IPAddressType of the endpoint's network interfaces and DNS records:
	// "ipv4", "dualstack" or "ipv6". Anything but ipv4 needs a service that
	// offers IPv6 (a DualStack ProviderEndpointService) and subnets with
	// IPv6 blocks; ipv6 needs IPv6-only subnets. Default: "ipv4".
	IPAddressType string
	// AllowedIPv6CIDRs may connect to the endpoint over IPv6 on Ports, one
	// rule per CIDR and port, counted with AllowedCIDRs against the quota.
	// ::/0 is refused. Default: with IPAddressType dualstack or ipv6, the
	// VPC's IPv6 block (read when Terraform plans); else none.
	AllowedIPv6CIDRs []string
	// PrivateDNSEnabled uses the service's own private DNS name, which the
	// provider must have set and verified. Default: false.
	PrivateDNSEnabled bool
	// CustomDomain is the name clients call, matching the ALB's certificate
	// (e.g. app.example.com). A Route 53 private hosted zone for it, in this
	// VPC, aliases it to the endpoint, so TLS names match.
	// Default: none; clients call the endpoint's vpce-... DNS name.
	CustomDomain string
	// AutoAccept accepts the connection on creation. Works only when the
	// endpoint and service are in the same account and region (the
	// provider looks the service up in the endpoint's). Default: false.
	AutoAccept bool
	// ServiceRegion is the service's region when it is not this one
	// (cross-region PrivateLink; the service must list this region).
	// Default: the endpoint's own region.
	ServiceRegion string
	// SkipZoneCheck drops the plan-time check that every subnet is in a
	// zone the service offers. Default: false (the check runs, reading the
	// service and the subnets with data sources; cross-region endpoints
	// are not checked).
	SkipZoneCheck bool
	// Probe adds a ConnectivityProbe, "Probe": a function inside the VPC
	// that calls this endpoint as a client would; the doctor invokes it.
	// It needs the go command at synth (it is built from source) and costs
	// nothing while idle. Default: false.
	Probe bool
	// Tags are added to every resource. Default: a Name tag only.
	Tags map[string]string
}

// ConsumerEndpoint connects a VPC to an endpoint service. It defines:
//
//	interface VPC endpoint "Resource" in SubnetIDs ─PrivateLink─► Service
//	  └─ security group "SecurityGroup": ingress on Ports from AllowedCIDRs, no egress
//	optional, with CustomDomain:
//	  private hosted zone "PrivateZone" (associated with VPCID)
//	    └─ alias A record "AliasRecord" ─► the endpoint's first DNS entry
//	optional, with Probe: ConnectivityProbe "Probe", admitted on Ports
//
// Why: an interface endpoint without its own security group gets the VPC's
// default group, whose rules nobody here controls; endpoint interfaces never
// start connections, so they need no egress. The ALB's certificate names the
// app's domain, not vpce-...amazonaws.com, so HTTPS clients need that domain
// to resolve to the endpoint inside this VPC.
type ConsumerEndpoint struct {
	node            constructs.Node
	scope           constructs.Construct
	endpoint        vpcendpoint.VpcEndpoint
	securityGroup   securitygroup.SecurityGroup
	securityGroupID *string
	ports           []int
	sources         []string
	tokenSources    int
	groupSources    int
	customDomain    string
	vpcID           string
	subnetIDs       []string
	probe           *ConnectivityProbe
	privateDNSName  string // the service's name clients call, with PrivateDNSEnabled, when the service says it
}

// NewConsumerEndpoint checks props (Check), reporting every problem at
// once, and defines the resources drawn on ConsumerEndpoint.
func NewConsumerEndpoint(scope constructs.Construct, id string, props ConsumerEndpointProps) (*ConsumerEndpoint, error) {
	props.Ports = props.ports()
	props.CustomDomain = strings.TrimSuffix(props.CustomDomain, ".")
	if err := checkErr(props.Check); err != nil {
		return nil, err
	}
	if err := checkID(scope, id); err != nil {
		return nil, err
	}
	serviceName := props.Service.ServiceName()
	ipType := props.ipAddressType()

	c := constructs.NewConstruct(scope, jsii.String(id))
	node := c.Node()
	e := &ConsumerEndpoint{node: node, scope: c, ports: slices.Clone(props.Ports), customDomain: props.CustomDomain,
		vpcID: props.VPCID, subnetIDs: slices.Clone(props.SubnetIDs)}
	if named, ok := props.Service.(PrivateDNSNamer); ok && props.PrivateDNSEnabled {
		e.privateDNSName = named.PrivateDNSName()
	}
	tags := tagger(node, props.Tags)

	e.securityGroup = securitygroup.NewSecurityGroup(c, jsii.String("SecurityGroup"), &securitygroup.SecurityGroupConfig{
		VpcId:       jsii.String(props.VPCID),
		Description: jsii.String("PrivateLink interface endpoint: ingress from clients on the service ports, no egress"),
		Tags:        tags("endpoint"),
	})
	e.securityGroupID = e.securityGroup.Id()

	e.allowDefaults(c, props, ipType)

	e.newEndpoint(c, props, tags, serviceName, ipType)

	if props.CustomDomain != "" {
		e.customDomainRecord(c, props, tags)
	}
	if props.Probe {
		if _, err := NewConnectivityProbe(c, "Probe", ConnectivityProbeProps{Endpoint: e, Tags: props.Tags}); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// allowDefaults admits the clients: AllowedCIDRs (else the VPC's block)
// and, for an endpoint that speaks IPv6, AllowedIPv6CIDRs (else the VPC's
// IPv6 block).
func (e *ConsumerEndpoint) allowDefaults(c constructs.Construct, props ConsumerEndpointProps, ipType string) {
	sources := props.AllowedCIDRs
	if len(sources) == 0 {
		cidr := props.VPCCIDR
		if cidr == "" {
			cidr = *dataawsvpc.NewDataAwsVpc(c, jsii.String("Vpc"), &dataawsvpc.DataAwsVpcConfig{
				Id: jsii.String(props.VPCID),
			}).CidrBlock()
		}
		sources = []string{cidr}
	}
	for _, cidr := range sources {
		e.allow(cidr)
	}
	v6 := props.AllowedIPv6CIDRs
	if len(v6) == 0 && ipType != "ipv4" {
		v6 = []string{*dataawsvpc.NewDataAwsVpc(c, jsii.String("Vpc6"), &dataawsvpc.DataAwsVpcConfig{
			Id: jsii.String(props.VPCID),
		}).Ipv6CidrBlock()}
	}
	for _, cidr := range v6 {
		e.allow6(cidr)
	}
}

// newEndpoint defines the interface endpoint itself.
func (e *ConsumerEndpoint) newEndpoint(c constructs.Construct, props ConsumerEndpointProps, tags func(string) *map[string]*string, serviceName *string, ipType string) {
	var serviceRegion *string
	if props.ServiceRegion != "" {
		serviceRegion = jsii.String(props.ServiceRegion)
	}
	var autoAccept any
	if props.AutoAccept {
		autoAccept = jsii.Bool(true)
	}
	var ipAddressType *string
	var dnsOptions *vpcendpoint.VpcEndpointDnsOptions
	if ipType != "ipv4" {
		ipAddressType = jsii.String(ipType)
		dnsOptions = &vpcendpoint.VpcEndpointDnsOptions{DnsRecordIpType: jsii.String(ipType)}
	}
	// AWS refuses private DNS on an endpoint until the service's name is
	// verified: in the service's own stack the endpoint waits for that
	// (across stacks, the provider stack is deployed first).
	var dependsOn *[]cdktf.ITerraformDependable
	if v, ok := props.Service.(interface {
		PrivateDNSVerified() cdktf.ITerraformDependable
	}); ok && props.PrivateDNSEnabled && v.PrivateDNSVerified() != nil {
		if d, ok := v.PrivateDNSVerified().(constructs.IConstruct); ok && *cdktf.TerraformStack_Of(d).Node().Path() == *cdktf.TerraformStack_Of(c).Node().Path() {
			dependsOn = &[]cdktf.ITerraformDependable{v.PrivateDNSVerified()}
		}
	}
	var lifecycle *cdktf.TerraformResourceLifecycle
	if props.ServiceRegion == "" && !props.SkipZoneCheck {
		lifecycle = &cdktf.TerraformResourceLifecycle{Precondition: &[]*cdktf.Precondition{zoneCheck(c, serviceName, props.SubnetIDs)}}
	}
	e.endpoint = vpcendpoint.NewVpcEndpoint(c, jsii.String("Resource"), &vpcendpoint.VpcEndpointConfig{
		VpcId:             jsii.String(props.VPCID),
		ServiceName:       serviceName,
		VpcEndpointType:   jsii.String("Interface"),
		SubnetIds:         jsii.Strings(props.SubnetIDs...),
		SecurityGroupIds:  jsii.Strings(*e.securityGroupID),
		PrivateDnsEnabled: jsii.Bool(props.PrivateDNSEnabled),
		AutoAccept:        autoAccept,
		ServiceRegion:     serviceRegion,
		IpAddressType:     ipAddressType,
		DnsOptions:        dnsOptions,
		DependsOn:         dependsOn,
		Tags:              tags("endpoint"),
		Lifecycle:         lifecycle,
	})
}

// customDomainRecord resolves CustomDomain to the endpoint inside the VPC:
// a private hosted zone and an alias record.
func (e *ConsumerEndpoint) customDomainRecord(c constructs.Construct, props ConsumerEndpointProps, tags func(string) *map[string]*string) {
	zone := route53zone.NewRoute53Zone(c, jsii.String("PrivateZone"), &route53zone.Route53ZoneConfig{
		Name:    jsii.String(props.CustomDomain),
		Comment: jsii.String("Resolves " + props.CustomDomain + " to the PrivateLink endpoint inside this VPC"),
		Vpc:     &[]*route53zone.Route53ZoneVpc{{VpcId: jsii.String(props.VPCID)}},
		Tags:    tags("zone"),
	})
	first := e.endpoint.DnsEntry().Get(jsii.Number(0))
	route53record.NewRoute53Record(c, jsii.String("AliasRecord"), &route53record.Route53RecordConfig{
		ZoneId: zone.ZoneId(),
		Name:   jsii.String(props.CustomDomain),
		Type:   jsii.String("A"),
		Alias: &route53record.Route53RecordAlias{
			Name:                 first.DnsName(),
			ZoneId:               first.HostedZoneId(),
			EvaluateTargetHealth: jsii.Bool(true),
		},
	})
}

// zoneCheck fails the plan, before AWS does with "does not support the
// availability zone of the subnet", when a subnet lies in a zone the
// service does not offer. Zone names differ between accounts, but both data
// sources read them in the consumer's account, so they compare.
func zoneCheck(c constructs.Construct, serviceName *string, subnetIDs []string) *cdktf.Precondition {
	zones := dataawsvpcendpointservice.NewDataAwsVpcEndpointService(c, jsii.String("ServiceZones"), &dataawsvpcendpointservice.DataAwsVpcEndpointServiceConfig{
		ServiceName: serviceName,
	}).AvailabilityZones()
	var checks []any
	for i, id := range subnetIDs {
		subnet := dataawssubnet.NewDataAwsSubnet(c, jsii.String(fmt.Sprintf("Subnet%d", i)), &dataawssubnet.DataAwsSubnetConfig{
			Id: jsii.String(id),
		})
		checks = append(checks, cdktf.Fn_Contains(zones, subnet.AvailabilityZone()))
	}
	return &cdktf.Precondition{
		Condition: cdktf.Fn_Alltrue(&checks),
		ErrorMessage: jsii.String("every endpoint subnet must be in an Availability Zone the endpoint service offers; " +
			"place the subnets by the provider's AZ IDs (zone names differ between accounts)"),
	}
}

// Node is the construct tree node.
func (e *ConsumerEndpoint) Node() constructs.Node { return e.node }

// Endpoint is the aws_vpc_endpoint resource.
func (e *ConsumerEndpoint) Endpoint() vpcendpoint.VpcEndpoint { return e.endpoint }

// EndpointID is the endpoint's ID (vpce-...), a deploy-time token.
func (e *ConsumerEndpoint) EndpointID() *string { return e.endpoint.Id() }

// DNSEntries are the endpoint's DNS entries: the first is regional, the rest zonal.
func (e *ConsumerEndpoint) DNSEntries() vpcendpoint.VpcEndpointDnsEntryList {
	return e.endpoint.DnsEntry()
}

// DNSName is the endpoint's regional DNS name, a deploy-time token.
func (e *ConsumerEndpoint) DNSName() *string {
	return e.endpoint.DnsEntry().Get(jsii.Number(0)).DnsName()
}

// SecurityGroup is the endpoint's security group.
func (e *ConsumerEndpoint) SecurityGroup() securitygroup.SecurityGroup { return e.securityGroup }

// SecurityGroupID is the endpoint's security group ID, a deploy-time token.
func (e *ConsumerEndpoint) SecurityGroupID() *string { return e.securityGroupID }

// Probe is the endpoint's connectivity probe (with Probe, or added by
// NewConnectivityProbe), or nil.
func (e *ConsumerEndpoint) Probe() *ConnectivityProbe { return e.probe }

// CustomFQDN is the custom domain clients call, or "" when none was set.
func (e *ConsumerEndpoint) CustomFQDN() string { return e.customDomain }

package stacks

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/internetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetableassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/config"
)

// demoNetwork is a VPC with one private subnet per AZ ID and, when asked,
// one public subnet per AZ ID behind an internet gateway. With IPv6, the
// VPC gets an Amazon-provided IPv6 block and each private subnet a /64 of
// it (a dualstack NLB or endpoint needs IPv6 in its subnets).
type demoNetwork struct {
	VPC            vpc.Vpc
	PrivateSubnets []*string
	PublicSubnets  []*string
}

// newDemoNetwork places subnets by AZ ID (stable across accounts). Unless
// given, public subnets take the first sixteenths of the block and private
// ones start half way. Private subnets get no route to the internet:
// PrivateLink needs none.
func newDemoNetwork(scope constructs.Construct, id, cidr string, azIDs []string, public, ipv6 bool, cidrs config.SubnetCIDRs, flowLogs config.FlowLogs) *demoNetwork {
	c := constructs.NewConstruct(scope, jsii.String(id))
	name := *scope.Node().Id() // the stack name, so the console reads provider-vpc, consumer-vpc
	n := &demoNetwork{}
	n.VPC = vpc.NewVpc(c, jsii.String("Vpc"), &vpc.VpcConfig{
		CidrBlock:          jsii.String(cidr),
		EnableDnsSupport:   jsii.Bool(true),
		EnableDnsHostnames: jsii.Bool(true),
		Tags:               nameTag(name + "-vpc"),
	})
	if ipv6 {
		n.VPC.SetAssignGeneratedIpv6CidrBlock(jsii.Bool(true))
	}
	if flowLogs.On() {
		newFlowLogs(c, name, n.VPC.Id(), flowLogs)
	}
	var publicRoutes routetable.RouteTable
	if public {
		igw := internetgateway.NewInternetGateway(c, jsii.String("InternetGateway"), &internetgateway.InternetGatewayConfig{
			VpcId: n.VPC.Id(),
			Tags:  nameTag(name + "-igw"),
		})
		publicRoutes = routetable.NewRouteTable(c, jsii.String("PublicRoutes"), &routetable.RouteTableConfig{
			VpcId: n.VPC.Id(),
			Tags:  nameTag(name + "-public"),
		})
		route.NewRoute(c, jsii.String("PublicDefaultRoute"), &route.RouteConfig{
			RouteTableId:         publicRoutes.Id(),
			DestinationCidrBlock: jsii.String("0.0.0.0/0"),
			GatewayId:            igw.Id(),
		})
	}
	for i, az := range azIDs {
		sfx := azSuffix(az)
		if public {
			s := subnet.NewSubnet(c, jsii.String("Public"+sfx), &subnet.SubnetConfig{
				VpcId:              n.VPC.Id(),
				AvailabilityZoneId: jsii.String(az),
				CidrBlock:          jsii.String(pick(cidrs.Public, i, cidr, i)),
				Tags:               nameTag(fmt.Sprintf("%s-public-%s", name, az)),
			})
			routetableassociation.NewRouteTableAssociation(c, jsii.String("Public"+sfx+"Routes"), &routetableassociation.RouteTableAssociationConfig{
				SubnetId:     s.Id(),
				RouteTableId: publicRoutes.Id(),
			})
			n.PublicSubnets = append(n.PublicSubnets, s.Id())
		}
		private := &subnet.SubnetConfig{
			VpcId:              n.VPC.Id(),
			AvailabilityZoneId: jsii.String(az),
			CidrBlock:          jsii.String(pick(cidrs.Private, i, cidr, 8+i)),
			Tags:               nameTag(fmt.Sprintf("%s-private-%s", name, az)),
		}
		if ipv6 {
			private.Ipv6CidrBlock = cdktf.Fn_Cidrsubnet(n.VPC.Ipv6CidrBlock(), jsii.Number(8), jsii.Number(float64(i)))
		}
		s := subnet.NewSubnet(c, jsii.String("Private"+sfx), private)
		n.PrivateSubnets = append(n.PrivateSubnets, s.Id())
	}
	return n
}

// pick is the i-th configured subnet block, else the carved one.
func pick(configured []string, i int, vpc string, carved int) string {
	if i < len(configured) {
		return configured[i]
	}
	return subnetCIDR(vpc, carved)
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

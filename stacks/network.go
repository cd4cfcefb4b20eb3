package stacks

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/internetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetableassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// demoNetwork is a VPC with one private subnet per AZ ID and, when asked,
// one public subnet per AZ ID behind an internet gateway.
type demoNetwork struct {
	VPC            vpc.Vpc
	PrivateSubnets []*string
	PublicSubnets  []*string
}

// newDemoNetwork places subnets by AZ ID (stable across accounts). Public
// subnets take the first /20s of the block, private ones start half way.
// Private subnets get no route to the internet: PrivateLink needs none.
func newDemoNetwork(scope constructs.Construct, id, cidr string, azIDs []string, public bool) *demoNetwork {
	c := constructs.NewConstruct(scope, jsii.String(id))
	name := *scope.Node().Id() // the stack name, so the console reads provider-vpc, consumer-vpc
	n := &demoNetwork{}
	n.VPC = vpc.NewVpc(c, jsii.String("Vpc"), &vpc.VpcConfig{
		CidrBlock:          jsii.String(cidr),
		EnableDnsSupport:   jsii.Bool(true),
		EnableDnsHostnames: jsii.Bool(true),
		Tags:               nameTag(name + "-vpc"),
	})
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
				CidrBlock:          jsii.String(subnetCIDR(cidr, i)),
				Tags:               nameTag(fmt.Sprintf("%s-public-%s", name, az)),
			})
			routetableassociation.NewRouteTableAssociation(c, jsii.String("Public"+sfx+"Routes"), &routetableassociation.RouteTableAssociationConfig{
				SubnetId:     s.Id(),
				RouteTableId: publicRoutes.Id(),
			})
			n.PublicSubnets = append(n.PublicSubnets, s.Id())
		}
		s := subnet.NewSubnet(c, jsii.String("Private"+sfx), &subnet.SubnetConfig{
			VpcId:              n.VPC.Id(),
			AvailabilityZoneId: jsii.String(az),
			CidrBlock:          jsii.String(subnetCIDR(cidr, 8+i)),
			Tags:               nameTag(fmt.Sprintf("%s-private-%s", name, az)),
		})
		n.PrivateSubnets = append(n.PrivateSubnets, s.Id())
	}
	return n
}

func nameTag(name string) *map[string]*string {
	return &map[string]*string{"Name": jsii.String(name)}
}

func derefAll(ps []*string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

// output declares a Terraform output with a description.
func output(stack cdktf.TerraformStack, name string, value *string, description string) {
	cdktf.NewTerraformOutput(stack, jsii.String(name), &cdktf.TerraformOutputConfig{
		Value:       value,
		Description: jsii.String(description),
	})
}

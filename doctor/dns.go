package doctor

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// dns checks what a name inside the VPC needs: the VPC's DNS attributes
// (private zones and private DNS answer only with both on), and for a
// custom domain its private zone, associated with the VPC, with the alias
// record to the endpoint.
func (x run) dns(c Consumer, ep ec2types.VpcEndpoint) {
	vpc := aws.ToString(ep.VpcId)
	if c.CustomDomain == "" && !aws.ToBool(ep.PrivateDnsEnabled) {
		return
	}
	check := "the VPC resolves private names (DNS support and DNS hostnames on)"
	var off []string
	for _, attr := range []ec2types.VpcAttributeName{ec2types.VpcAttributeNameEnableDnsSupport, ec2types.VpcAttributeNameEnableDnsHostnames} {
		out, err := c.EC2.DescribeVpcAttribute(x.ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(vpc), Attribute: attr})
		if err != nil {
			x.problem(c.Stack, check, errText(err), "check the consumer stack's credentials (ec2:DescribeVpcAttribute)")
			return
		}
		on := out.EnableDnsSupport
		if attr == ec2types.VpcAttributeNameEnableDnsHostnames {
			on = out.EnableDnsHostnames
		}
		if on == nil || !aws.ToBool(on.Value) {
			off = append(off, string(attr))
		}
	}
	if len(off) > 0 {
		x.problem(c.Stack, check, strings.Join(off, " and ")+" off in "+vpc, "turn both on (aws ec2 modify-vpc-attribute --vpc-id "+vpc+" --enable-dns-support / --enable-dns-hostnames; the demo VPC has both): without them the VPC answers no private zone and no private DNS name")
	} else {
		x.ok(c.Stack, check, vpc)
	}
	if c.CustomDomain != "" {
		x.customDomain(c, vpc, ep)
	}
}

func (x run) customDomain(c Consumer, vpc string, ep ec2types.VpcEndpoint) {
	domain := strings.TrimSuffix(c.CustomDomain, ".")
	check := "a private zone for " + domain + " is associated with the VPC"
	var zone string
	in := &route53.ListHostedZonesByVPCInput{VPCId: aws.String(vpc), VPCRegion: r53types.VPCRegion(c.Region)}
	for zone == "" {
		zones, err := c.Route53.ListHostedZonesByVPC(x.ctx, in)
		if err != nil {
			x.problem(c.Stack, check, errText(err), "check the consumer stack's credentials (route53:ListHostedZonesByVPC)")
			return
		}
		for _, z := range zones.HostedZoneSummaries {
			if strings.EqualFold(strings.TrimSuffix(aws.ToString(z.Name), "."), domain) {
				zone = aws.ToString(z.HostedZoneId)
				break
			}
		}
		if zones.NextToken == nil {
			break
		}
		in.NextToken = zones.NextToken
	}
	if zone == "" {
		x.problem(c.Stack, check, "none in "+vpc, "clients resolve "+domain+" outside the VPC (or not at all) and miss the endpoint: deploy the consumer stack again (its PrivateZone is created with this VPC), or associate the zone: aws route53 associate-vpc-with-hosted-zone --hosted-zone-id ZONE --vpc VPCRegion="+c.Region+",VPCId="+vpc)
		return
	}
	x.ok(c.Stack, check, zone)

	check = domain + " aliases the endpoint"
	sets, err := c.Route53.ListResourceRecordSets(x.ctx, &route53.ListResourceRecordSetsInput{
		HostedZoneId: aws.String(zone), StartRecordName: aws.String(domain), StartRecordType: r53types.RRTypeA, MaxItems: aws.Int32(1),
	})
	if err != nil {
		x.problem(c.Stack, check, errText(err), "check the consumer stack's credentials (route53:ListResourceRecordSets)")
		return
	}
	var target string
	for _, r := range sets.ResourceRecordSets {
		if strings.EqualFold(strings.TrimSuffix(aws.ToString(r.Name), "."), domain) && r.Type == r53types.RRTypeA && r.AliasTarget != nil {
			target = strings.TrimSuffix(strings.ToLower(aws.ToString(r.AliasTarget.DNSName)), ".")
		}
	}
	var names []string
	for _, e := range ep.DnsEntries {
		names = append(names, strings.ToLower(aws.ToString(e.DnsName)))
	}
	switch {
	case target == "":
		x.problem(c.Stack, check, "no alias A record for "+domain+" in zone "+zone, "deploy the consumer stack again to restore its AliasRecord")
	case len(names) > 0 && !matchesAny(target, names):
		x.problem(c.Stack, check, "it aliases "+target+", not this endpoint ("+names[0]+")", "deploy the consumer stack again: the record must point at the endpoint's DNS name")
	default:
		x.ok(c.Stack, check, target)
	}
}

// matchesAny: AWS returns alias targets in lower case, sometimes with a
// "dualstack." prefix.
func matchesAny(target string, names []string) bool {
	for _, n := range names {
		if target == n || target == "dualstack."+n {
			return true
		}
	}
	return false
}

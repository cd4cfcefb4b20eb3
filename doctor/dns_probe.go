package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/alb-privatelink/alb-privatelink/probe"
)

// Route53 is the part of the Route 53 API the doctor reads.
type Route53 interface {
	ListHostedZonesByVPC(context.Context, *route53.ListHostedZonesByVPCInput, ...func(*route53.Options)) (*route53.ListHostedZonesByVPCOutput, error)
	ListResourceRecordSets(context.Context, *route53.ListResourceRecordSetsInput, ...func(*route53.Options)) (*route53.ListResourceRecordSetsOutput, error)
}

// Lambda is the part of the Lambda API the doctor uses: it invokes the
// connectivity probe.
type Lambda interface {
	Invoke(context.Context, *lambda.InvokeInput, ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
	GetFunctionConfiguration(context.Context, *lambda.GetFunctionConfigurationInput, ...func(*lambda.Options)) (*lambda.GetFunctionConfigurationOutput, error)
}

// probeGroups are the probe's security groups, whose rules on the
// endpoint's group admit the probe and no client (none when it has no
// probe, or the probe cannot be read: its own check says why).
func (x run) probeGroups(c Consumer) []string {
	if c.ProbeFunction == "" {
		return nil
	}
	out, err := c.Lambda.GetFunctionConfiguration(x.ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(c.ProbeFunction)})
	if err != nil || out.VpcConfig == nil {
		return nil
	}
	return out.VpcConfig.SecurityGroupIds
}

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
	zones, err := c.Route53.ListHostedZonesByVPC(x.ctx, &route53.ListHostedZonesByVPCInput{VPCId: aws.String(vpc), VPCRegion: r53types.VPCRegion(c.Region)})
	if err != nil {
		x.problem(c.Stack, check, errText(err), "check the consumer stack's credentials (route53:ListHostedZonesByVPC)")
		return
	}
	var zone string
	for _, z := range zones.HostedZoneSummaries {
		if strings.EqualFold(strings.TrimSuffix(aws.ToString(z.Name), "."), domain) {
			zone = aws.ToString(z.HostedZoneId)
		}
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

// probe invokes the connectivity probe and reports what it saw from
// inside the VPC, one line per name and port.
func (x run) probe(c Consumer) {
	if c.ProbeFunction == "" {
		return
	}
	fn := c.ProbeFunction
	check := "the connectivity probe " + fn + " runs"
	out, err := c.Lambda.Invoke(x.ctx, &lambda.InvokeInput{FunctionName: aws.String(fn), Payload: []byte("{}")})
	if err != nil {
		x.problem(c.Stack, check, errText(err), "the doctor's credentials need lambda:InvokeFunction on it; if it is gone, deploy the consumer stack again (npx cdktf deploy "+c.Stack+")")
		return
	}
	if out.FunctionError != nil {
		x.problem(c.Stack, check, aws.ToString(out.FunctionError)+": "+clip(string(out.Payload), 300), "read its log group, /aws/lambda/"+fn+"; a timeout means the VPC's subnets have no free addresses or the function cannot start")
		return
	}
	var resp probe.Response
	if err := json.Unmarshal(out.Payload, &resp); err != nil || len(resp.Results) == 0 {
		x.problem(c.Stack, check, "unreadable answer: "+clip(string(out.Payload), 300), "deploy the consumer stack again: the function may be an older or foreign build")
		return
	}
	what := fmt.Sprintf("%d names and ports", len(resp.Results))
	if len(resp.Results) == 1 {
		what = "1 name and port"
	}
	x.ok(c.Stack, check, what)
	for _, r := range resp.Results {
		x.probeResult(c, r)
	}
}

func (x run) probeResult(c Consumer, r probe.Result) {
	// the name clients call: the custom domain when there is one
	clientsCall := c.CustomDomain == "" || strings.EqualFold(r.Host, c.CustomDomain)
	check := fmt.Sprintf("the probe gets an answer from %s:%d inside the VPC", r.Host, r.Port)
	detail := r.Error
	switch r.Stage {
	case "dns":
		fix := "the endpoint's own DNS name does not resolve in its VPC: turn on DNS support in the VPC"
		if strings.EqualFold(r.Host, c.CustomDomain) {
			fix = "the VPC does not resolve " + r.Host + ": its private zone must be associated with this VPC (see the zone check above), and the VPC needs DNS support and DNS hostnames"
		}
		x.problem(c.Stack, check, "name not resolved: "+detail, fix)
		return
	case "connect":
		x.problem(c.Stack, check, "no connection: "+detail, fmt.Sprintf("nothing answered on %d through the endpoint: check the connection state, the endpoint's security group (it admits the probe's group), and the provider's NLB listener and target health (the checks above)", r.Port))
		return
	case "tls":
		x.problem(c.Stack, check, "TLS failed: "+detail, fmt.Sprintf("the connection was made but no TLS session: check that the ALB's listener on %d is HTTPS with a certificate, and the NLB forwards %d to it (TCP, not TLS)", r.Port, r.Port))
		return
	case "http":
		x.problem(c.Stack, check, "no HTTP answer: "+detail, fmt.Sprintf("the connection was made but no HTTP response came back: check the ALB's listener on %d and its rules", r.Port))
		return
	}
	detail = fmt.Sprintf("%s %d in %.0f ms", r.Protocol, r.Status, r.LatencyMS)
	if r.Address != "" {
		detail += " via " + r.Address
	}
	if r.Status >= 500 {
		x.problem(c.Stack, check, detail, "PrivateLink carries the request to the ALB, and the ALB answered "+fmt.Sprint(r.Status)+": its own targets are unhealthy or missing (check the ALB's target groups), not the PrivateLink path")
	} else {
		x.ok(c.Stack, check, detail)
	}
	if r.Certificate == nil || !clientsCall {
		return // the vpce-... name is never on the ALB's certificate; clients call the custom domain
	}
	cert := r.Certificate
	check = fmt.Sprintf("the certificate on %d names %s", r.Port, r.Host)
	trust := "trusted by public roots"
	if !cert.Trusted {
		trust = "not trusted by public roots (a private CA's clients need its root)"
	}
	if cert.NameMatch {
		x.ok(c.Stack, check, trust)
		return
	}
	fix := "clients calling " + r.Host + " fail TLS verification: set customDomain to a name on the certificate (" + strings.Join(cert.Names, ", ") + "); the private zone then resolves it to the endpoint"
	x.problem(c.Stack, check, "it names "+orNone(strings.Join(cert.Names, ", ")), fix)
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

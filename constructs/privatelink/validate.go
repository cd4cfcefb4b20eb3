package privatelink

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
)

// problems collects configuration errors so a user sees every mistake in one
// run instead of fixing a file once per error.
type problems struct{ errs []error }

func (p *problems) addf(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf(format, args...))
}

func (p *problems) add(err error) {
	if err != nil {
		p.errs = append(p.errs, err)
	}
}

func (p *problems) err() error { return errors.Join(p.errs...) }

// report adds err; its field is already in the message.
func (p *problems) report(_ string, err error) { p.add(err) }

// tokenRe matches cdktf's encoded tokens: ${TfToken[...]} for strings, and
// the #{...} and &{...} markers of list and map tokens (cdktf 0.20's
// lib/tokens/private/encoding.js). Matching them in Go keeps validation
// free of the jsii runtime; a test checks the two agree on real tokens.
var tokenRe = regexp.MustCompile(`[$#&]\{TfToken\[[a-zA-Z0-9:._-]+\]\}`)

// IsToken reports whether s holds a Terraform token (a reference that
// resolves only at deploy time). Tokens are never parsed or validated in Go.
func IsToken(s string) bool { return tokenRe.MatchString(s) }

var (
	accountIDRe = regexp.MustCompile(`^[0-9]{12}$`)
	// arn:PARTITION:iam::ACCOUNT:(root|role/...|user/...)
	iamPrincipalRe = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(root|role/[\w+=,.@/-]+|user/[\w+=,.@/-]+)$`)
	albARNRe       = regexp.MustCompile(`^arn:aws(-[a-z]+)*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:loadbalancer/app/[A-Za-z0-9-]{1,32}/[0-9a-f]+$`)
	lbNameRe       = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$`)
	serviceNameRe  = regexp.MustCompile(`^com\.amazonaws\.(vpce\.)?[a-z0-9-]+\.vpce-svc-[0-9a-f]{8,17}$`)
	dnsNameRe      = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)
	regionRe       = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$`)
	matcherRe      = regexp.MustCompile(`^[2-4][0-9]{2}([,-][2-4][0-9]{2})*$`)
	// Cloud resource IDs like vpc-0abc..., subnet-0abc..., sg-0abc...
	resourceIDRe = regexp.MustCompile(`^[a-z]+-[0-9a-f]{8,17}$`)
	partitionRe  = regexp.MustCompile(`^aws(-[a-z]+)*$`)
)

// NormalizePrincipal turns a 12-digit account ID into the account's root ARN
// in the aws partition and checks that anything else is an IAM ARN (root,
// role or user). "*" is returned unchanged: whether it is acceptable
// depends on AcceptanceRequired.
func NormalizePrincipal(p string) (string, error) { return NormalizePrincipalIn("aws", p) }

// NormalizePrincipalIn is NormalizePrincipal for another partition
// ("aws-cn", "aws-us-gov"): AWS rejects an aws ARN there.
func NormalizePrincipalIn(partition, p string) (string, error) {
	switch {
	case IsToken(p):
		return p, nil
	case p == "*":
		return p, nil
	case accountIDRe.MatchString(p):
		return "arn:" + partition + ":iam::" + p + ":root", nil
	case iamPrincipalRe.MatchString(p):
		return p, nil
	}
	return "", fmt.Errorf("allowed principal %q: want a 12-digit account ID or an IAM ARN (arn:aws:iam::123456789012:root, :role/NAME or :user/NAME)", p)
}

// ValidatePort checks a TCP port number.
func ValidatePort(field string, port int) error {
	if port < 1 || port > 65535 {
		return fmt.Errorf("%s %d: want a TCP port from 1 to 65535", field, port)
	}
	return nil
}

// ValidateLBName applies the Elastic Load Balancing naming rules to a load
// balancer or target group name: at most 32 letters, digits and hyphens, no
// leading or trailing hyphen, and no "internal-" prefix.
func ValidateLBName(field, name string) error {
	if name == "" || IsToken(name) {
		return nil
	}
	if len(name) > 32 {
		return fmt.Errorf("%s %q: %d characters, the limit is 32", field, name, len(name))
	}
	if !lbNameRe.MatchString(name) {
		return fmt.Errorf("%s %q: use only letters, digits and hyphens, not starting or ending with a hyphen", field, name)
	}
	if strings.HasPrefix(strings.ToLower(name), "internal-") {
		return fmt.Errorf("%s %q: must not start with \"internal-\" (AWS reserves it)", field, name)
	}
	return nil
}

// ValidateCIDR checks an IPv4 CIDR block such as 10.20.0.0/16.
func ValidateCIDR(field, cidr string) error {
	if IsToken(cidr) {
		return nil
	}
	pfx, err := netip.ParsePrefix(cidr)
	if err != nil || !pfx.Addr().Is4() {
		return fmt.Errorf("%s %q: want an IPv4 CIDR block such as 10.20.0.0/16", field, cidr)
	}
	if pfx.Masked() != pfx {
		return fmt.Errorf("%s %q: host bits are set; did you mean %s?", field, cidr, pfx.Masked())
	}
	return nil
}

// ValidateServiceName checks a VPC endpoint service name such as
// com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0.
func ValidateServiceName(field, name string) error {
	if IsToken(name) {
		return nil
	}
	if !serviceNameRe.MatchString(name) {
		return fmt.Errorf("%s %q: want an endpoint service name, com.amazonaws.vpce.REGION.vpce-svc-ID (the provider stack's service_name output)", field, name)
	}
	return nil
}

// ValidateDomainName checks a fully qualified DNS name (no trailing dot, lower case).
func ValidateDomainName(field, name string) error {
	if IsToken(name) {
		return nil
	}
	if len(name) > 253 || !dnsNameRe.MatchString(name) {
		return fmt.Errorf("%s %q: want a lower-case DNS name such as app.example.com (the name on the ALB's certificate)", field, name)
	}
	return nil
}

// ValidateRegion checks an AWS region name such as ap-northeast-1.
func ValidateRegion(field, region string) error {
	if IsToken(region) || regionRe.MatchString(region) {
		return nil
	}
	return fmt.Errorf("%s %q: want an AWS region such as ap-northeast-1", field, region)
}

// ValidateResourceID checks an EC2 resource ID with the given prefix
// ("vpc", "subnet", "sg"), letting tokens through.
func ValidateResourceID(field, prefix, id string) error {
	if IsToken(id) {
		return nil
	}
	if !resourceIDRe.MatchString(id) || !strings.HasPrefix(id, prefix+"-") {
		return fmt.Errorf("%s %q: want an ID such as %s-0123456789abcdef0", field, id, prefix)
	}
	return nil
}

// validateNetwork checks the VPC ID (purpose says what it is for when
// missing) and the subnets.
func validateNetwork(p *problems, vpcID, purpose string, subnetIDs []string) {
	if vpcID == "" {
		p.addf("VPCID: required: %s", purpose)
	} else {
		p.add(ValidateResourceID("VPCID", "vpc", vpcID))
	}
	validateSubnets(p, "SubnetIDs", subnetIDs)
}

// EachUnique checks every item of a list with check and reports the items
// listed twice, each problem under the item's field name (FIELD[i]).
// Tokens are never counted as duplicates: their values are not known yet.
func EachUnique[T comparable](field string, items []T, check func(field string, item T) error, report func(field string, err error)) {
	seen := map[T]bool{}
	for i, item := range items {
		f := fmt.Sprintf("%s[%d]", field, i)
		if check != nil {
			if err := check(f, item); err != nil {
				report(f, err)
			}
		}
		if s, ok := any(item).(string); ok && IsToken(s) {
			continue
		}
		if seen[item] {
			report(f, fmt.Errorf("%s %#v: listed twice", f, item))
		}
		seen[item] = true
	}
}

// validateSubnets requires at least two distinct subnets: one subnet means
// one Availability Zone, and one zone down means the service is down.
func validateSubnets(p *problems, field string, ids []string) {
	if len(ids) < 2 {
		p.addf("%s: got %d, want at least 2 subnets in different Availability Zones", field, len(ids))
	}
	EachUnique(field, ids, func(f, id string) error { return ValidateResourceID(f, "subnet", id) }, p.report)
}

// ValidateALBARN checks an Application Load Balancer ARN.
func ValidateALBARN(field, arn string) error {
	if IsToken(arn) || albARNRe.MatchString(arn) {
		return nil
	}
	return fmt.Errorf("%s %q: want an Application Load Balancer ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID)", field, arn)
}

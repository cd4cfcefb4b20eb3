// Package validate holds the value checks that the constructs and the
// config file share, so each rule is written once. A check returns "" for a
// good value, or a problem that starts with the value and says what is
// wanted; the caller puts the field's name in front, in its own terms (a Go
// field such as "Listeners[0].Port" or a YAML path such as
// "provider.existingAlb.listeners[0].port").
//
// Values that are Terraform tokens (references resolved at deploy time)
// always pass: they are never parsed in Go.
package validate

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
)

// tokenRe matches cdktf's encoded tokens: ${TfToken[...]} for strings, and
// the #{...} and &{...} markers of list and map tokens (cdktf 0.20's
// lib/tokens/private/encoding.js). Matching them in Go keeps validation
// free of the jsii runtime; a test checks the two agree on real tokens.
var tokenRe = regexp.MustCompile(`[$#&]\{TfToken\[[a-zA-Z0-9:._-]+\]\}`)

// IsToken reports whether s holds a Terraform token.
func IsToken(s string) bool { return tokenRe.MatchString(s) }

var (
	accountIDRe = regexp.MustCompile(`^[0-9]{12}$`)
	// arn:PARTITION:iam::ACCOUNT:(root|role/...|user/...)
	iamPrincipalRe = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(root|role/[\w+=,.@/-]+|user/[\w+=,.@/-]+)$`)
	albARNRe       = regexp.MustCompile(`^arn:aws(-[a-z]+)*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:loadbalancer/app/[A-Za-z0-9-]{1,32}/[0-9a-f]+$`)
	lbNameRe       = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$`)
	serviceNameRe  = regexp.MustCompile(`^com\.amazonaws\.(vpce\.)?[a-z0-9-]+\.vpce-svc-[0-9a-f]{8,17}$`)
	dnsNameRe      = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)
	// Cloud resource IDs like vpc-0abc..., subnet-0abc..., sg-0abc...
	resourceIDRe = regexp.MustCompile(`^[a-z]+-[0-9a-f]{8,17}$`)
)

// AccountID reports whether s is a 12-digit AWS account ID.
func AccountID(s string) bool { return accountIDRe.MatchString(s) }

// Principal turns a 12-digit account ID into the account's root ARN in
// partition ("aws", "aws-cn", "aws-us-gov": AWS rejects an aws ARN
// elsewhere) and checks that anything else is an IAM ARN (root, role or
// user). "*" and tokens are returned unchanged.
func Principal(partition, p string) (arn, problem string) {
	switch {
	case IsToken(p), p == "*", iamPrincipalRe.MatchString(p):
		return p, ""
	case accountIDRe.MatchString(p):
		return "arn:" + partition + ":iam::" + p + ":root", ""
	}
	return "", fmt.Sprintf("%q: want a 12-digit account ID or an IAM ARN (arn:aws:iam::123456789012:root, :role/NAME or :user/NAME)", p)
}

// Port checks a TCP port number.
func Port(port int) string {
	if port < 1 || port > 65535 {
		return fmt.Sprintf("%d: want a TCP port from 1 to 65535", port)
	}
	return ""
}

// LBName applies the Elastic Load Balancing naming rules to a load
// balancer or target group name: at most 32 letters, digits and hyphens, no
// leading or trailing hyphen, and no "internal-" prefix. "" passes (a
// generated name).
func LBName(name string) string {
	switch {
	case name == "" || IsToken(name):
		return ""
	case len(name) > 32:
		return fmt.Sprintf("%q: %d characters, the limit is 32", name, len(name))
	case !lbNameRe.MatchString(name):
		return fmt.Sprintf("%q: use only letters, digits and hyphens, not starting or ending with a hyphen", name)
	case strings.HasPrefix(strings.ToLower(name), "internal-"):
		return fmt.Sprintf("%q: must not start with \"internal-\" (AWS reserves it)", name)
	}
	return ""
}

// CIDR checks an IPv4 CIDR block such as 10.20.0.0/16.
func CIDR(cidr string) string {
	if IsToken(cidr) {
		return ""
	}
	pfx, err := netip.ParsePrefix(cidr)
	if err != nil || !pfx.Addr().Is4() {
		return fmt.Sprintf("%q: want an IPv4 CIDR block such as 10.20.0.0/16", cidr)
	}
	if pfx.Masked() != pfx {
		return fmt.Sprintf("%q: host bits are set; did you mean %s?", cidr, pfx.Masked())
	}
	return ""
}

// ServiceName checks a VPC endpoint service name such as
// com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0.
func ServiceName(name string) string {
	if IsToken(name) || serviceNameRe.MatchString(name) {
		return ""
	}
	return fmt.Sprintf("%q: want an endpoint service name, com.amazonaws.vpce.REGION.vpce-svc-ID (the provider stack's service_name output)", name)
}

// DomainName checks a fully qualified DNS name (no trailing dot, lower case).
func DomainName(name string) string {
	if IsToken(name) || (len(name) <= 253 && dnsNameRe.MatchString(name)) {
		return ""
	}
	return fmt.Sprintf("%q: want a lower-case DNS name such as app.example.com (the name on the ALB's certificate)", name)
}

// ResourceID checks an EC2 resource ID with the given prefix ("vpc",
// "subnet", "sg").
func ResourceID(prefix, id string) string {
	if IsToken(id) || (resourceIDRe.MatchString(id) && strings.HasPrefix(id, prefix+"-")) {
		return ""
	}
	return fmt.Sprintf("%q: want an ID such as %s-0123456789abcdef0", id, prefix)
}

// ALBARN checks an Application Load Balancer ARN.
func ALBARN(arn string) string {
	if IsToken(arn) || albARNRe.MatchString(arn) {
		return ""
	}
	return fmt.Sprintf("%q: want an Application Load Balancer ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID)", arn)
}

// EachUnique checks every item of a list with check (when not nil) and
// reports the items listed twice, each under the item's field (FIELD[i]).
// Tokens are never counted as duplicates: their values are not known yet.
func EachUnique[T comparable](field string, items []T, check func(T) string, report func(field, problem string)) {
	seen := map[T]bool{}
	for i, item := range items {
		f := fmt.Sprintf("%s[%d]", field, i)
		if check != nil {
			if problem := check(item); problem != "" {
				report(f, problem)
			}
		}
		if s, ok := any(item).(string); ok && IsToken(s) {
			continue
		}
		if seen[item] {
			report(f, fmt.Sprintf("%#v: listed twice", item))
		}
		seen[item] = true
	}
}

// Network checks the VPC ID (purpose says what it is for, when missing)
// and the subnets of a construct: at least two distinct subnets, since one
// subnet means one Availability Zone, and one zone down means the service
// is down.
func Network(vpcID, purpose string, subnetIDs []string, report func(field, problem string)) {
	if vpcID == "" {
		report("VPCID", "is required: "+purpose)
	} else if problem := ResourceID("vpc", vpcID); problem != "" {
		report("VPCID", problem)
	}
	if len(subnetIDs) < 2 {
		report("SubnetIDs", fmt.Sprintf("has %d, want at least 2 subnets in different Availability Zones", len(subnetIDs)))
	}
	EachUnique("SubnetIDs", subnetIDs, func(id string) string { return ResourceID("subnet", id) }, report)
}

// logRetentionDays are the values CloudWatch Logs accepts.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// LogRetentionDays checks a log group's retention in days.
func LogRetentionDays(days int) string {
	if slices.Contains(logRetentionDays, days) {
		return ""
	}
	return fmt.Sprintf("%d: want one of CloudWatch Logs' values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653", days)
}

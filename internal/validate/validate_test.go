package validate

import (
	"fmt"
	"strings"
	"testing"
)

func TestPrincipal(t *testing.T) {
	ok := []struct{ partition, in, want string }{
		{"aws", "123456789012", "arn:aws:iam::123456789012:root"},
		{"aws-cn", "123456789012", "arn:aws-cn:iam::123456789012:root"},
		{"aws", "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:root"},
		{"aws", "arn:aws:iam::123456789012:role/platform/Deployer", "arn:aws:iam::123456789012:role/platform/Deployer"},
		{"aws", "arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/alice"},
		{"aws", "arn:aws-cn:iam::123456789012:root", "arn:aws-cn:iam::123456789012:root"},
		{"aws", "arn:aws-us-gov:iam::123456789012:root", "arn:aws-us-gov:iam::123456789012:root"},
		{"aws", "*", "*"},
		{"aws", "${TfToken[TOKEN.1]}", "${TfToken[TOKEN.1]}"},
	}
	for _, tc := range ok {
		got, problem := Principal(tc.partition, tc.in)
		if problem != "" || got != tc.want {
			t.Errorf("Principal(%q, %q) = %q, %q; want %q", tc.partition, tc.in, got, problem, tc.want)
		}
	}
	bad := []string{"", "1234", "12345678901a", "1234567890123", "arn:aws:iam::1234:root",
		"arn:aws:iam::123456789012:group/admins", "arn:aws:s3:::bucket", "root", " 123456789012"}
	for _, in := range bad {
		_, problem := Principal("aws", in)
		if !strings.HasPrefix(problem, `"`+in+`": want a 12-digit account ID or an IAM ARN`) {
			t.Errorf("Principal(%q) problem %q does not start with the value and the fix", in, problem)
		}
	}
}

func TestLBName(t *testing.T) {
	for _, name := range []string{"", "a", "privatelink-nlb", "A1-b2", strings.Repeat("x", 32)} {
		if problem := LBName(name); problem != "" {
			t.Errorf("LBName(%q) = %q, want ok", name, problem)
		}
	}
	bad := map[string]string{
		strings.Repeat("x", 33): "limit is 32",
		"-nlb":                  "hyphen",
		"nlb-":                  "hyphen",
		"my_nlb":                "letters, digits and hyphens",
		"nlb.prod":              "letters, digits and hyphens",
		"internal-api":          `"internal-"`,
		"Internal-api":          `"internal-"`,
	}
	for name, want := range bad {
		if problem := LBName(name); !strings.Contains(problem, want) || !strings.HasPrefix(problem, `"`+name+`"`) {
			t.Errorf("LBName(%q) = %q, want a problem naming the value and mentioning %s", name, problem, want)
		}
	}
}

func TestCIDR(t *testing.T) {
	for _, c := range []string{"10.0.0.0/8", "10.20.0.0/16", "192.168.1.0/24", "0.0.0.0/0", "${TfToken[TOKEN.3]}"} {
		if problem := CIDR(c); problem != "" {
			t.Errorf("CIDR(%q) = %q", c, problem)
		}
	}
	bad := map[string]string{
		"10.20.0.0":     "IPv4 CIDR",
		"10.20.0.1/16":  "did you mean 10.20.0.0/16",
		"fd00::/8":      "IPv4 CIDR",
		"10.20.0.0/33":  "IPv4 CIDR",
		"vpc.cidr_blok": "IPv4 CIDR", // the seed article's typo'd reference
	}
	for c, want := range bad {
		if problem := CIDR(c); !strings.Contains(problem, want) {
			t.Errorf("CIDR(%q) = %q, want a problem containing %q", c, problem, want)
		}
	}
}

func TestServiceName(t *testing.T) {
	for _, n := range []string{
		"com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0",
		"com.amazonaws.vpce.us-east-1.vpce-svc-01234567",
	} {
		if problem := ServiceName(n); problem != "" {
			t.Errorf("ServiceName(%q) = %q", n, problem)
		}
	}
	// The seed article shipped a placeholder service name.
	for _, n := range []string{"", "com.amazonaws.vpce.ap-northeast-1.vpce-svc-xxxxxxxx", "vpce-svc-0123456789abcdef0", "com.amazonaws.ap-northeast-1.s3x"} {
		if ServiceName(n) == "" {
			t.Errorf("ServiceName(%q) accepted a bad name", n)
		}
	}
}

func TestDomainNameAndRegion(t *testing.T) {
	if problem := DomainName("app.example.com"); problem != "" {
		t.Error(problem)
	}
	for _, d := range []string{"App.Example.com", "localhost", "-a.example.com", "a..b.com", "*.example.com", strings.Repeat("a.", 127) + "com"} {
		if DomainName(d) == "" {
			t.Errorf("DomainName(%q) accepted a bad name", d)
		}
	}
	for _, r := range []string{"ap-northeast-1", "us-east-1", "us-gov-west-1", "eu-central-2"} {
		if problem := Region(r); problem != "" {
			t.Error(problem)
		}
	}
	for _, r := range []string{"", "tokyo", "ap-northeast-1a", "apne1-az1", "US-EAST-1"} {
		if Region(r) == "" {
			t.Errorf("Region(%q) accepted a bad region", r)
		}
	}
}

func TestResourceIDsAndARNs(t *testing.T) {
	if ResourceID("vpc", "vpc-0123456789abcdef0") != "" || ResourceID("sg", "sg-01234567") != "" {
		t.Error("good IDs refused")
	}
	for _, id := range []string{"vpc-1", "subnet-0123456789abcdef0", "vpc-XYZ01234", ""} {
		if !strings.HasPrefix(ResourceID("vpc", id), `"`+id+`": want an ID such as vpc-`) {
			t.Errorf("ResourceID(vpc, %q) = %q", id, ResourceID("vpc", id))
		}
	}
	good := "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/web/0123456789abcdef"
	if ALBARN(good) != "" {
		t.Errorf("ALBARN(%q) = %q", good, ALBARN(good))
	}
	for _, arn := range []string{"arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/net/nlb/0123456789abcdef", "web"} {
		if !strings.Contains(ALBARN(arn), "want an Application Load Balancer ARN") {
			t.Errorf("ALBARN(%q) accepted", arn)
		}
	}
	if !AccountID("012345678901") || AccountID("1234") || AccountID("12345678901a") {
		t.Error("AccountID disagrees with 12 digits")
	}
}

// collect records reports as "FIELD problem" lines.
func collect(got *[]string) func(field, problem string) {
	return func(field, problem string) { *got = append(*got, field+" "+problem) }
}

func TestEachUnique(t *testing.T) {
	var got []string
	EachUnique("Ports", []int{443, 0, 443}, Port, collect(&got))
	want := []string{"Ports[1] 0: want a TCP port from 1 to 65535", "Ports[2] 443: listed twice"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	got = nil
	EachUnique("CIDRs", []string{"10.0.0.0/8", "10.0.0.0/8", "${TfToken[TOKEN.1]}", "${TfToken[TOKEN.1]}"}, nil, collect(&got))
	if len(got) != 1 || got[0] != `CIDRs[1] "10.0.0.0/8": listed twice` {
		t.Errorf("strings: %q (tokens are never duplicates)", got)
	}
}

func TestNetwork(t *testing.T) {
	var got []string
	Network("", "the consumer VPC", []string{"subnet-0123456789abcdef0"}, collect(&got))
	Network("vpc-1", "x", []string{"subnet-0123456789abcdef0", "subnet-0123456789abcdef0", "sub"}, collect(&got))
	want := []string{
		"VPCID is required: the consumer VPC",
		"SubnetIDs has 1, want at least 2 subnets in different Availability Zones",
		`VPCID "vpc-1": want an ID such as vpc-0123456789abcdef0`,
		`SubnetIDs[1] "subnet-0123456789abcdef0": listed twice`,
		`SubnetIDs[2] "sub": want an ID such as subnet-0123456789abcdef0`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPartition(t *testing.T) {
	for region, want := range map[string]string{
		"ap-northeast-1": "aws", "cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn",
		"us-gov-west-1": "aws-us-gov", "us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b",
	} {
		if got := Partition(region); got != want {
			t.Errorf("Partition(%q) = %q, want %q", region, got, want)
		}
	}
}

// A typo in a region is refused with the closest real one, from the
// partition data AWS maintains.
func TestRegionTyposAreSuggested(t *testing.T) {
	for typo, want := range map[string]string{
		"us-est-1":       "us-east-1",
		"us-east-9":      "us-east-1",
		"ap-northeast-4": "ap-northeast-1",
		"eu-centrl-1":    "eu-central-1",
		"US-EAST-1":      "us-east-1",
	} {
		if got := Region(typo); got != fmt.Sprintf("%q: not an AWS region; did you mean %s?", typo, want) {
			t.Errorf("Region(%q) = %q, want a suggestion of %s", typo, got, want)
		}
	}
	for _, r := range []string{"cn-north-1", "us-gov-west-1", "il-central-1", "mx-central-1"} {
		if problem := Region(r); problem != "" {
			t.Errorf("Region(%q) = %q", r, problem)
		}
	}
	if got := Region("mars-north-1"); got != `"mars-north-1": want an AWS region such as ap-northeast-1` {
		t.Errorf("Region(mars-north-1) = %q", got)
	}
}

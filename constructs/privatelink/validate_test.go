package privatelink

import (
	"strings"
	"testing"
)

func TestNormalizePrincipal(t *testing.T) {
	ok := []struct{ in, want string }{
		{"123456789012", "arn:aws:iam::123456789012:root"},
		{"arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:root"},
		{"arn:aws:iam::123456789012:role/platform/Deployer", "arn:aws:iam::123456789012:role/platform/Deployer"},
		{"arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/alice"},
		{"arn:aws-cn:iam::123456789012:root", "arn:aws-cn:iam::123456789012:root"},
		{"arn:aws-us-gov:iam::123456789012:root", "arn:aws-us-gov:iam::123456789012:root"},
		{"*", "*"},
	}
	for _, tc := range ok {
		got, err := NormalizePrincipal(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NormalizePrincipal(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	bad := []string{"", "1234", "12345678901a", "1234567890123", "arn:aws:iam::1234:root",
		"arn:aws:iam::123456789012:group/admins", "arn:aws:s3:::bucket", "root", " 123456789012"}
	for _, in := range bad {
		_, err := NormalizePrincipal(in)
		if err == nil {
			t.Errorf("NormalizePrincipal(%q) accepted a bad principal", in)
			continue
		}
		if !strings.Contains(err.Error(), "12-digit account ID or an IAM ARN") || !strings.Contains(err.Error(), "\""+in+"\"") {
			t.Errorf("NormalizePrincipal(%q) error %q does not show the value and the fix", in, err)
		}
	}
}

func TestValidateLBName(t *testing.T) {
	for _, name := range []string{"", "a", "privatelink-nlb", "A1-b2", strings.Repeat("x", 32)} {
		if err := ValidateLBName("NLBName", name); err != nil {
			t.Errorf("ValidateLBName(%q) = %v, want ok", name, err)
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
		err := ValidateLBName("NLBName", name)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "NLBName") {
			t.Errorf("ValidateLBName(%q) = %v, want an NLBName error mentioning %s", name, err, want)
		}
	}
}

func TestValidateCIDR(t *testing.T) {
	for _, c := range []string{"10.0.0.0/8", "10.20.0.0/16", "192.168.1.0/24", "0.0.0.0/0"} {
		if err := ValidateCIDR("f", c); err != nil {
			t.Errorf("ValidateCIDR(%q) = %v", c, err)
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
		if err := ValidateCIDR("f", c); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateCIDR(%q) = %v, want error containing %q", c, err, want)
		}
	}
}

func TestValidateServiceName(t *testing.T) {
	for _, n := range []string{
		"com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0",
		"com.amazonaws.vpce.us-east-1.vpce-svc-01234567",
	} {
		if err := ValidateServiceName("Service", n); err != nil {
			t.Errorf("ValidateServiceName(%q) = %v", n, err)
		}
	}
	// The seed article shipped a placeholder service name.
	for _, n := range []string{"", "com.amazonaws.vpce.ap-northeast-1.vpce-svc-xxxxxxxx", "vpce-svc-0123456789abcdef0", "com.amazonaws.ap-northeast-1.s3x"} {
		if err := ValidateServiceName("Service", n); err == nil {
			t.Errorf("ValidateServiceName(%q) accepted a bad name", n)
		}
	}
}

func TestValidateDomainAndRegion(t *testing.T) {
	if err := ValidateDomainName("CustomDomain", "app.example.com"); err != nil {
		t.Error(err)
	}
	for _, d := range []string{"App.Example.com", "localhost", "-a.example.com", "a..b.com", "*.example.com"} {
		if ValidateDomainName("CustomDomain", d) == nil {
			t.Errorf("ValidateDomainName(%q) accepted a bad name", d)
		}
	}
	for _, r := range []string{"ap-northeast-1", "us-east-1", "us-gov-west-1", "eu-central-2"} {
		if err := ValidateRegion("region", r); err != nil {
			t.Error(err)
		}
	}
	for _, r := range []string{"", "tokyo", "ap-northeast-1a", "apne1-az1", "US-EAST-1"} {
		if ValidateRegion("region", r) == nil {
			t.Errorf("ValidateRegion(%q) accepted a bad region", r)
		}
	}
}

func TestHealthCheckDefaultsAndLimits(t *testing.T) {
	d := HealthCheck{}.withDefaults()
	if d.Path != "/" || d.Matcher != "200-399" || d.IntervalSeconds != 30 || d.TimeoutSeconds != 5 ||
		d.HealthyThreshold != 3 || d.UnhealthyThreshold != 3 || d.Protocol != "" {
		t.Errorf("defaults = %+v", d)
	}
	if err := (HealthCheck{}).validate(); err != nil {
		t.Errorf("zero HealthCheck should be valid: %v", err)
	}
	if err := (HealthCheck{Protocol: "https", Path: "/healthz", Matcher: "200,302", IntervalSeconds: 5, TimeoutSeconds: 2, HealthyThreshold: 10, UnhealthyThreshold: 2}).validate(); err != nil {
		t.Errorf("edge values should be valid: %v", err)
	}
	bad := []struct {
		hc   HealthCheck
		want string
	}{
		{HealthCheck{Protocol: "TCP"}, `HealthCheck.Protocol "TCP"`},
		{HealthCheck{Path: "healthz"}, `HealthCheck.Path "healthz"`},
		{HealthCheck{Matcher: "ok"}, `HealthCheck.Matcher "ok"`},
		{HealthCheck{Matcher: "500"}, `HealthCheck.Matcher "500"`},
		{HealthCheck{IntervalSeconds: 4}, "HealthCheck.IntervalSeconds 4: want 5 to 300"},
		{HealthCheck{IntervalSeconds: 301}, "HealthCheck.IntervalSeconds 301"},
		{HealthCheck{TimeoutSeconds: 1}, "HealthCheck.TimeoutSeconds 1: want 2 to 120"},
		{HealthCheck{IntervalSeconds: 10, TimeoutSeconds: 10}, "must be less than the interval (10)"},
		{HealthCheck{HealthyThreshold: 1}, "HealthCheck.HealthyThreshold 1: want 2 to 10"},
		{HealthCheck{UnhealthyThreshold: 11}, "HealthCheck.UnhealthyThreshold 11: want 2 to 10"},
	}
	for _, tc := range bad {
		err := tc.hc.validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.hc, err, tc.want)
		}
	}
}

func validProviderProps() ProviderEndpointServiceProps {
	return ProviderEndpointServiceProps{
		VPCID:     "vpc-0123456789abcdef0",
		SubnetIDs: []string{"subnet-0123456789abcdef0", "subnet-0123456789abcdef1"},
		ALBARN:    "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/web/0123456789abcdef",
		Listeners: []ALBListener{{Port: 443, Protocol: "HTTPS"}},
	}
}

func TestValidateProviderPropsReportsEveryProblem(t *testing.T) {
	props := ProviderEndpointServiceProps{
		SubnetIDs:         []string{"subnet-0123456789abcdef0"},
		ALBARN:            "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/net/nlb/0123456789abcdef",
		Listeners:         []ALBListener{{Port: 0, Protocol: "TCP"}, {Port: 443, Protocol: "HTTPS"}, {Port: 443, Protocol: "HTTPS"}},
		AllowedPrincipals: []string{"1234", "*"},
		NLBName:           "internal-nlb",
	}
	_, err := validateProviderProps(&props, false)
	if err == nil {
		t.Fatal("invalid props accepted")
	}
	for _, want := range []string{
		"VPCID: required",
		"SubnetIDs: got 1, want at least 2",
		`ALBARN "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/net/`,
		"Listeners[0].Port 0: want a TCP port from 1 to 65535",
		`Listeners[0].Protocol "TCP"`,
		"Listeners[2].Port 443: listed twice",
		`allowed principal "1234"`,
		`allowed principal "*"`,
		`NLBName "internal-nlb"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
}

func TestValidateProviderPropsPrincipals(t *testing.T) {
	props := validProviderProps()
	props.AllowedPrincipals = []string{"111122223333", "arn:aws:iam::444455556666:role/app"}
	got, err := validateProviderProps(&props, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:role/app"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("principals = %v, want %v", got, want)
	}
	props.AllowedPrincipals = []string{"*"}
	if _, err := validateProviderProps(&props, true); err != nil {
		t.Errorf("\"*\" with acceptance required should be allowed: %v", err)
	}
	if _, err := validateProviderProps(&props, false); err == nil || !strings.Contains(err.Error(), "AcceptanceRequired") {
		t.Errorf("\"*\" without acceptance: %v, want an error naming AcceptanceRequired", err)
	}
}

func TestValidateConsumerProps(t *testing.T) {
	good := ConsumerEndpointProps{
		VPCID:     "vpc-0123456789abcdef0",
		SubnetIDs: []string{"subnet-0123456789abcdef0", "subnet-0123456789abcdef1"},
		Service:   EndpointServiceFromName("com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0"),
		Ports:     []int{443},
	}
	if err := validateConsumerProps(good); err != nil {
		t.Fatalf("valid props rejected: %v", err)
	}
	bad := good
	bad.VPCID = "vpc-1"
	bad.SubnetIDs = []string{"subnet-0123456789abcdef0", "subnet-0123456789abcdef0"}
	bad.Service = EndpointServiceFromName("com.amazonaws.vpce.ap-northeast-1.vpce-svc-xxxxxxxxxxxxxxxxx")
	bad.Ports = []int{443, 70000, 443}
	bad.AllowedCIDRs = []string{"10.0.0.0"}
	bad.CustomDomain = "app.example.com"
	bad.PrivateDNSEnabled = true
	err := validateConsumerProps(bad)
	if err == nil {
		t.Fatal("invalid props accepted")
	}
	for _, want := range []string{
		`VPCID "vpc-1"`,
		`SubnetIDs[1] "subnet-0123456789abcdef0": listed twice`,
		"want an endpoint service name",
		"Ports[1] 70000",
		"Ports[2] 443: listed twice",
		`AllowedCIDRs[0] "10.0.0.0"`,
		"set either CustomDomain or PrivateDNSEnabled",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
	none := good
	none.Service = nil
	if err := validateConsumerProps(none); err == nil || !strings.Contains(err.Error(), "Service: required") {
		t.Errorf("nil service: %v", err)
	}
}

func TestEachUnique(t *testing.T) {
	var got []string
	report := func(field string, err error) { got = append(got, field+" | "+err.Error()) }
	EachUnique("Ports", []int{443, 0, 443}, ValidatePort, report)
	want := []string{
		"Ports[1] | Ports[1] 0: want a TCP port from 1 to 65535",
		"Ports[2] | Ports[2] 443: listed twice",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	got = nil
	EachUnique("CIDRs", []string{"10.0.0.0/8", "10.0.0.0/8"}, nil, report)
	if len(got) != 1 || got[0] != `CIDRs[1] | CIDRs[1] "10.0.0.0/8": listed twice` {
		t.Errorf("strings: %q", got)
	}
}

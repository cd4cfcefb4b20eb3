package stacks

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestWithDefaults(t *testing.T) {
	c := AppConfig{}.WithDefaults()
	p, k := c.Provider, c.Consumer
	if p.Region != "ap-northeast-1" || k.Region != "ap-northeast-1" {
		t.Errorf("regions = %q, %q", p.Region, k.Region)
	}
	if !slices.Equal(p.AZIDs, []string{"apne1-az1", "apne1-az4"}) || !slices.Equal(k.AZIDs, p.AZIDs) {
		t.Errorf("AZ IDs = %v, %v; the consumer must default to the provider's zones", p.AZIDs, k.AZIDs)
	}
	if p.VPCCIDR != "10.10.0.0/16" || k.VPCCIDR != "10.20.0.0/16" {
		t.Errorf("CIDRs = %q, %q", p.VPCCIDR, k.VPCCIDR)
	}
	if !slices.Equal(k.Ports, []int{80}) {
		t.Errorf("consumer ports without a certificate = %v, want the demo's HTTP listener [80]", k.Ports)
	}
	if k.AutoAccept == nil || !*k.AutoAccept {
		t.Error("same-app consumer should auto-accept")
	}
	if err := c.Validate(); err != nil {
		t.Errorf("zero config must be valid: %v", err)
	}

	https := AppConfig{Provider: ProviderConfig{CertificateARN: "arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555"}}.WithDefaults()
	if !slices.Equal(https.Consumer.Ports, []int{443}) {
		t.Errorf("consumer ports with a certificate = %v, want [443]", https.Consumer.Ports)
	}

	remote := AppConfig{Consumer: ConsumerConfig{ServiceName: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0"}}.WithDefaults()
	if *remote.Consumer.AutoAccept || !slices.Equal(remote.Consumer.Ports, []int{443}) {
		t.Errorf("remote service: autoAccept=%v ports=%v, want false and [443]", *remote.Consumer.AutoAccept, remote.Consumer.Ports)
	}

	existing := AppConfig{Provider: ProviderConfig{ExistingALB: &ExistingALB{Listeners: []Listener{{8443, "HTTPS"}, {80, "HTTP"}}}}}.WithDefaults()
	if !slices.Equal(existing.Consumer.Ports, []int{8443, 80}) {
		t.Errorf("consumer ports for an existing ALB = %v, want its listener ports", existing.Consumer.Ports)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	no := false
	c := AppConfig{
		Provider: ProviderConfig{
			Region:            "us-east-1",
			VPCCIDR:           "10.0.0.0/12",
			CertificateARN:    "arn:aws:iam::123456789012:server-certificate/x",
			AllowedPrincipals: []string{"12345"},
		},
		Consumer: ConsumerConfig{
			Region:      "ap-northeast-1",
			AZIDs:       []string{"ap-northeast-1a"},
			VPCCIDR:     "10.20.0.1/16",
			ServiceName: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-placeholder",
			AutoAccept:  &no,
		},
	}.WithDefaults()
	err := c.Validate()
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, want := range []string{
		"provider.azIds: required in us-east-1",
		`provider.vpcCidr "10.0.0.0/12": want a /16 to /24 block`,
		`consumer.azIds[0] "ap-northeast-1a": want an AZ ID such as apne1-az1`,
		"consumer.azIds: got 1, want at least 2",
		`consumer.vpcCidr "10.20.0.1/16"`,
		"provider.certificateArn",
		`provider.allowedPrincipals[0]: allowed principal "12345"`,
		`consumer.serviceName: endpoint service name "com.amazonaws.vpce.ap-northeast-1.vpce-svc-placeholder"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
}

func TestValidateCrossRegionAndAutoAccept(t *testing.T) {
	yes := true
	c := AppConfig{Consumer: ConsumerConfig{
		Region: "us-east-1", AZIDs: []string{"use1-az1", "use1-az2"},
	}}.WithDefaults()
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "consumer.region") {
		t.Errorf("cross-region without a service name: %v", err)
	}
	c = AppConfig{Consumer: ConsumerConfig{
		ServiceName: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0", AutoAccept: &yes,
	}}.WithDefaults()
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "consumer.autoAccept") {
		t.Errorf("autoAccept with a remote service: %v", err)
	}
	c = AppConfig{Provider: ProviderConfig{
		ExistingALB:    &ExistingALB{},
		CertificateARN: "arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b2c3d",
	}}.WithDefaults()
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "only used by the demo ALB") {
		t.Errorf("certificate with an existing ALB: %v", err)
	}
}

func TestSubnetCIDR(t *testing.T) {
	cases := []struct {
		vpc   string
		index int
		want  string
	}{
		{"10.10.0.0/16", 0, "10.10.0.0/20"},
		{"10.10.0.0/16", 1, "10.10.16.0/20"},
		{"10.10.0.0/16", 8, "10.10.128.0/20"},
		{"10.10.0.0/16", 15, "10.10.240.0/20"},
		{"192.168.4.0/24", 9, "192.168.4.144/28"},
	}
	for _, tc := range cases {
		if got := subnetCIDR(tc.vpc, tc.index); got != tc.want {
			t.Errorf("subnetCIDR(%q, %d) = %q, want %q", tc.vpc, tc.index, got, tc.want)
		}
	}
}

func TestAZSuffix(t *testing.T) {
	if got := azSuffix("apne1-az1"); got != "Apne1Az1" {
		t.Errorf("azSuffix = %q", got)
	}
}

func TestParseConfigIsStrict(t *testing.T) {
	cfg, err := ParseConfig([]byte("provider:\n  region: eu-west-1\n  azIds: [euw1-az1, euw1-az2]\nconsumer:\n  ports: [443]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Provider.Region != "eu-west-1" || !slices.Equal(cfg.Consumer.Ports, []int{443}) {
		t.Errorf("parsed %+v", cfg)
	}
	bad := map[string]string{
		"provider:\n  regoin: eu-west-1\n":     "line 2: field regoin not found",
		"consumer:\n  ports: \"443\"\n":        "line 2",
		"provider: {}\n---\nconsumer: {}\n":    "more than one YAML document",
		"provider:\n  acceptanceRequired: 3\n": "line 2",
	}
	for in, want := range bad {
		if _, err := ParseConfig([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseConfig(%q) = %v, want error containing %q", in, err, want)
		}
	}
}

func TestLoadConfig(t *testing.T) {
	if cfg, err := LoadConfig(""); err != nil || cfg.Provider.Region != "" {
		t.Errorf("no file: %+v, %v", cfg, err)
	}
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "config file") {
		t.Errorf("missing file: %v", err)
	}
	path := filepath.Join(t.TempDir(), "c.json")
	if err := os.WriteFile(path, []byte(`{"provider": {"nlbDeletionProtection": true}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil || !cfg.Provider.NLBDeletionProtection {
		t.Errorf("JSON file: %+v, %v", cfg, err)
	}
}

func TestExampleConfigIsValid(t *testing.T) {
	cfg, err := LoadConfig("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.WithDefaults().Validate(); err != nil {
		t.Fatal(err)
	}
	if cfg.Provider.Tags["Owner"] != "platform-team" || cfg.Provider.HealthCheck.Matcher != "200-399" {
		t.Errorf("example not read as written: %+v", cfg.Provider)
	}
}

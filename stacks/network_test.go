package stacks

import (
	"strings"
	"testing"
)

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
	if got := pick([]string{"10.10.1.0/24"}, 0, "10.10.0.0/16", 8); got != "10.10.1.0/24" {
		t.Errorf("configured subnet ignored: %q", got)
	}
}

func TestAZSuffix(t *testing.T) {
	if got := azSuffix("apne1-az1"); got != "Apne1Az1" {
		t.Errorf("azSuffix = %q", got)
	}
}

func TestRolePrefixFitsIAMLimit(t *testing.T) {
	long := "consumer-" + strings.Repeat("a", 30)
	for _, name := range []string{"provider", "consumer", long} {
		if p := rolePrefix(name); len(p) > 38 || !strings.HasPrefix(p, "flow-logs-") || !strings.HasSuffix(p, "-") {
			t.Errorf("rolePrefix(%q) = %q (%d characters; IAM allows 38)", name, p, len(p))
		}
	}
}

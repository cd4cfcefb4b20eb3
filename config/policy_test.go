package config

import (
	"strings"
	"testing"
)

// A suppression in the file is read into the config's own type, and every
// problem of one entry is reported, each on the entry's line.
func TestPolicySuppressions(t *testing.T) {
	r, err := Parse([]byte(`provider: {}
policy:
  suppressions:
    - rule: PL005
      path: provider/EndpointService/Nlb
      reason: blue/green cut-over this week; ticket NET-42
`))
	if err != nil {
		t.Fatal(err)
	}
	want := Suppression{Rule: "PL005", Path: "provider/EndpointService/Nlb", Reason: "blue/green cut-over this week; ticket NET-42"}
	if got := r.Policy.RuleSuppressions(); len(got) != 1 || Suppression(got[0]) != want {
		t.Errorf("RuleSuppressions() = %+v, want %+v", got, want)
	}

	_, err = Parse([]byte(`provider: {}
policy:
  suppressions:
    - rule: PL999
      path: provider
      reason: short
`))
	errs, _ := err.(Errors)
	if len(errs) != 2 {
		t.Fatalf("want the unknown rule and the short reason, got %v", err)
	}
	for i, want := range []string{`policy.suppressions[0] rule "PL999": unknown`, `policy.suppressions[0] reason "short": write why`} {
		if errs[i].Line != 4 || !strings.HasPrefix(errs[i].Msg, want) {
			t.Errorf("problem %d = %v, want line 4: %s...", i, errs[i], want)
		}
	}
}

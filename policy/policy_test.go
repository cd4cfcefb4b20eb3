package policy

import (
	"slices"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/policy/rules"
)

// The package's rules, IDs and checks are policy/rules' registry.
func TestRulesAreTheRegistry(t *testing.T) {
	var ids []string
	for _, r := range Rules() {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, rules.IDs()) || !slices.Equal(RuleIDs(), rules.IDs()) {
		t.Errorf("Rules() %v, RuleIDs() %v, registry %v", ids, RuleIDs(), rules.IDs())
	}
	doc := map[string]any{"resource": map[string]any{"aws_lb": map[string]any{"Web": map[string]any{}}}}
	r := CheckStacks([]Stack{{Name: "web", Doc: doc}}, []Suppression{{Rule: "PL006", Path: "Web", Reason: "tags come later, WEB-1"}})
	if len(r.Errors()) != 1 || r.Errors()[0].Rule.ID != "PL004" || r.Errors()[0].Rule.Severity != Error {
		t.Errorf("CheckStacks errors: %v", r.Errors())
	}
	if len(r.Warnings()) != 1 || r.Warnings()[0].Path != "web" {
		t.Errorf("CheckStacks warnings (the Name tag suppressed, the stack's Owner left): %v", r.Warnings())
	}
}

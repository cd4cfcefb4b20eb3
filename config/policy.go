package config

import (
	"fmt"

	"github.com/alb-privatelink/alb-privatelink/policy/rules"
)

// Policy configures the policy rules (package policy).
type Policy struct {
	// Suppressions exempt one construct path from one rule, with a reason.
	// Default: none.
	Suppressions []Suppression `yaml:"suppressions"`
}

// Suppression exempts one construct (and its children) from one rule: the
// config file's form of rules.Suppression.
type Suppression struct {
	Rule   string `yaml:"rule"`
	Path   string `yaml:"path"` // construct path, e.g. provider/Alb
	Reason string `yaml:"reason"`
}

// RuleSuppressions are the suppressions as the policy rules take them.
func (p Policy) RuleSuppressions() []rules.Suppression {
	out := make([]rules.Suppression, len(p.Suppressions))
	for i, s := range p.Suppressions {
		out[i] = rules.Suppression(s)
	}
	return out
}

func (p Policy) check(ck *checker) {
	for i, sup := range p.Suppressions {
		for _, err := range rules.Suppression(sup).Problems() {
			ck.addf(fmt.Sprintf("policy.suppressions[%d]", i), "%s", err)
		}
	}
}

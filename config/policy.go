package config

import (
	"fmt"

	"github.com/alb-privatelink/alb-privatelink/policy"
)

// Policy configures the policy rules (package policy).
type Policy struct {
	// Suppressions exempt one construct path from one rule, with a reason.
	// Default: none.
	Suppressions []policy.Suppression `yaml:"suppressions"`
}

func (p Policy) check(ck *checker) {
	for i, sup := range p.Suppressions {
		if err := sup.Validate(); err != nil {
			ck.addf(fmt.Sprintf("policy.suppressions[%d]", i), "%s", err)
		}
	}
}

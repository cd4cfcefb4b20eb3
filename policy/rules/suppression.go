package rules

import (
	"errors"
	"fmt"
	"strings"
)

// Suppression exempts one construct (and its children) from one rule.
type Suppression struct {
	Rule   string `json:"rule"`
	Path   string `json:"path"` // construct path, e.g. provider/Alb
	Reason string `json:"reason"`
}

// Problems lists everything wrong with a suppression's rule ID, path and
// reason, in that order; none when it is valid.
func (s Suppression) Problems() []error {
	var out []error
	if _, ok := ByID(s.Rule); !ok {
		out = append(out, fmt.Errorf("rule %q: unknown; the rules are %s", s.Rule, strings.Join(IDs(), ", ")))
	}
	if strings.TrimSpace(s.Path) == "" {
		out = append(out, errors.New("path: required: the construct path to exempt, such as provider/Alb (see the finding)"))
	}
	if len(strings.TrimSpace(s.Reason)) < 10 {
		out = append(out, fmt.Errorf("reason %q: write why the rule does not apply here (at least 10 characters); it is the record reviewers read", s.Reason))
	}
	return out
}

// Validate returns every problem of Problems joined (errors.Join), or nil.
func (s Suppression) Validate() error { return errors.Join(s.Problems()...) }

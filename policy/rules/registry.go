// Package rules holds the policy rules and the checks that run them over
// the Terraform JSON of synthesized stacks, without jsii or cdktf: one
// file per rule (pl001_wildcard_principal.go, ...), each registered in
// the ordered list below. Package policy adds the construct-tree side
// (Suppress, MarkProduction, Check) on top.
//
// docs/guardrails.md is generated from this registry:
//
//go:generate go run ./gen -o ../../docs/guardrails.md
package rules

import "slices"

// Severity of a rule: errors fail the synth, warnings are printed.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Rule is one policy check.
type Rule struct {
	ID       string
	Severity Severity
	// Title names what the rule checks; findings print it.
	Title string
	// When says, for the docs, in which case the rule fires (Markdown).
	When string
	// Why the rule exists: what goes wrong on AWS without it.
	Why   string
	Fix   string
	check func(s Stack, all []res) []Finding
}

// registry is every rule, in ID order: the order checks run and findings
// are reported in.
var registry = []Rule{
	pl001,
	pl002,
	pl003,
	pl004,
	pl005,
	pl006,
	pl007,
}

// All returns every rule, in ID order (a copy: callers cannot change them).
func All() []Rule { return slices.Clone(registry) }

// IDs lists the rule IDs, in ID order.
func IDs() []string {
	ids := make([]string, len(registry))
	for i, r := range registry {
		ids[i] = r.ID
	}
	return ids
}

// ByID returns the rule with ID id.
func ByID(id string) (Rule, bool) {
	for _, r := range registry {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

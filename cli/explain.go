package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/alb-privatelink/alb-privatelink/policy/rules"
)

// Explain is `explain [RULE]`: a policy rule's level, what it checks,
// when it fires, why and the fix, and how to suppress it; with no rule,
// every rule with its title.
func Explain(args []string) int {
	if len(args) == 1 && isHelpFlag(args[0]) {
		fmt.Println("usage: alb-privatelink explain [RULE]\n\nExplains a policy rule (PL006, say): what it checks, why, the fix, and how to suppress it. With no rule, lists them all.")
		return 0
	}
	if len(args) == 0 {
		for _, r := range rules.All() {
			fmt.Printf("%s  %-7s  %s\n", r.ID, r.Severity, r.Title)
		}
		fmt.Println("\ngo run . explain RULE for one; docs/guardrails.md for all")
		return 0
	}
	r, ok := rules.ByID(strings.ToUpper(args[0]))
	if !ok || len(args) > 1 {
		fmt.Fprintf(os.Stderr, "error: explain takes one rule ID, got %q; the rules are %s\n", strings.Join(args, " "), strings.Join(rules.IDs(), ", "))
		return 2
	}
	effect := "a finding fails the synth, and nothing is written"
	if r.Severity == rules.Warning {
		effect = "a finding is printed; the synth goes on"
	}
	fmt.Printf("%s: %s (%s: %s)\n\n", r.ID, r.Title, r.Severity, effect)
	fmt.Printf("When: %s\n\nWhy: %s\n\nFix: %s\n\n", strip(r.When), r.Why, r.Fix)
	fmt.Printf("Suppress, where the rule does not apply: in the config,\n\n  policy:\n    suppressions:\n      - rule: %s\n        path: provider/Alb   # the construct path the finding names\n        reason: why the rule does not apply here\n\n", r.ID)
	fmt.Printf("or in Go, policy.Suppress(construct, %q, reason). Every synth prints each suppressed finding, and cdktf.out/suppressions.json lists them. More: docs/guardrails.md\n", r.ID)
	return 0
}

// strip drops Markdown's code marks from a rule's When, for the terminal.
func strip(s string) string { return strings.ReplaceAll(s, "`", "") }

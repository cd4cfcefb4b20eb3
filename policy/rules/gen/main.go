// Command gen writes docs/guardrails.md, the reference of the policy
// rules, from the registry in package policy/rules:
//
//	go run ./policy/rules/gen            (or: make rules-doc)
//
// A test fails while the committed file differs from what gen writes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/alb-privatelink/alb-privatelink/policy/rules"
)

// Command regenerates the file, from the repository root.
const Command = "go run ./policy/rules/gen"

// regenerate says how to regenerate the file, in Markdown.
const regenerate = "`" + Command + "` (or `make rules-doc`)"

func main() {
	out := flag.String("o", "docs/guardrails.md", "file to write")
	flag.Parse()
	if err := os.WriteFile(*out, render(rules.All()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

const intro = `# Guardrails: the policy rules

<!-- Generated from the registry in policy/rules by ` + regenerate + `; do not edit. -->

Every synth runs these rules over the Terraform JSON (package ` + "`policy`" + `, usable on your own
stacks with ` + "`policy.Check`" + `; it knows nothing of our constructs, so it guards any cdktf stack).
Errors fail the synth with the construct path, the Terraform address, why the rule exists and
the fix; warnings are printed once. Rules about a construct's own props are not here: the
constructs refuse bad props themselves (an HTTP health check against an HTTPS listener, ` + "`*`" + `
without acceptance), before anything is synthesized.

A finding prints the rule's ID and title, then why and fix as below.

## Rules

| Rule | Severity | Title | Fires when | Why | Fix |
| --- | --- | --- | --- | --- | --- |
`

const outro = `
## Suppressing a finding

Suppress one rule on one construct (and its children) with a written reason, in the config
file:

` + "```yaml" + `
policy:
  suppressions:
    - rule: PL005
      path: provider/EndpointService/Nlb      # the path printed with the finding
      reason: blue/green cut-over this week; ticket NET-42
` + "```" + `

or in Go: ` + "`policy.Suppress(construct, \"PL004\", \"the app validates headers itself (WEB-9)\")`" + `.
A suppression without a reason or with an unknown rule is refused; one that matches nothing is
reported so stale ones get cleaned up. What CI sees of them, and the guardrails besides these
rules (production stacks, the Trivy scan, ` + "`terraform validate`" + `, a synth that never loses
what you had): [guardrails-in-ci.md](guardrails-in-ci.md).

## Adding a rule

Each rule is one file in ` + "`policy/rules`" + `, named after its ID (` + "`pl001_wildcard_principal.go`" + `, ...):
its registration (ID, severity, title, when it fires, why, fix) and its check over the stack's
Terraform JSON. Add the rule to the list in ` + "`policy/rules/registry.go`" + `, then regenerate this
page with ` + regenerate + `.
`

// render writes the page for rs.
func render(rs []rules.Rule) []byte {
	var b bytes.Buffer
	b.WriteString(intro)
	for _, r := range rs {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n",
			r.ID, r.Severity, text(r.Title), cell(r.When), text(r.Why), text(r.Fix))
	}
	b.WriteString(outro)
	return b.Bytes()
}

// text escapes plain text for a Markdown table cell.
var text = strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "<", `\<`, "\n", " ").Replace

// cell puts Markdown in a table cell.
var cell = strings.NewReplacer("|", `\|`, "\n", " ").Replace

// Package policy checks synthesized stacks against named rules before
// anything reaches AWS, like cdk-nag for AWS CDK. Each rule has an ID, a
// severity and a fix. Errors fail the synth with the construct path;
// warnings are printed once. One rule can be suppressed on one construct
// (and its children) with a written reason, from Go (Suppress) or from
// the config file (policy.suppressions).
//
// Rules read the Terraform JSON that cdktf wrote, so they see exactly
// what Terraform will apply, whoever built the constructs. The rules and
// the JSON checks live in package policy/rules, which needs no jsii; this
// package reads the construct tree and re-exports them.
package policy

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/alb-privatelink/alb-privatelink/policy/rules"
)

// Severity of a rule: errors fail the synth, warnings are printed.
type Severity = rules.Severity

const (
	Error   = rules.Error
	Warning = rules.Warning
)

type (
	// Rule is one policy check.
	Rule = rules.Rule
	// Suppression exempts one construct (and its children) from one rule.
	Suppression = rules.Suppression
	// Finding is one rule violation.
	Finding = rules.Finding
	// Report holds every finding of a check.
	Report = rules.Report
	// Stack is one synthesized stack and what the construct tree says of it.
	Stack = rules.Stack
)

// Rules returns every rule, in ID order (a copy: callers cannot change them).
func Rules() []Rule { return rules.All() }

// RuleIDs lists the rule IDs.
func RuleIDs() []string { return rules.IDs() }

// CheckStacks runs every rule over stacks; suppressions come from each
// stack's metadata and from extra.
func CheckStacks(stacks []Stack, extra []Suppression) Report {
	return rules.CheckStacks(stacks, extra)
}

// Suppress exempts c and its children from rule ruleID, recording reason.
func Suppress(c constructs.IConstruct, ruleID, reason string) error {
	s := Suppression{Rule: ruleID, Path: *c.Node().Path(), Reason: reason}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("policy.Suppress(%s): %w", s.Path, err)
	}
	raw, _ := json.Marshal(s)
	c.Node().AddMetadata(jsii.String(rules.MetaSuppress), jsii.String(string(raw)), nil)
	return nil
}

// MarkProduction marks a stack as production: PL005 then requires deletion
// protection on its NLBs and prevent_destroy on its endpoint services.
func MarkProduction(stack constructs.IConstruct) {
	stack.Node().AddMetadata(jsii.String(rules.MetaProduction), jsii.String("true"), nil)
}

// Check reads every stack cdktf synthesized into outdir, collects
// suppressions and marks from app's construct tree, adds the extra
// suppressions (from configuration), and runs every rule.
func Check(app constructs.IConstruct, outdir string, extra []Suppression) (Report, error) {
	meta := treeMetadata(app)
	raw, err := os.ReadFile(filepath.Join(outdir, "manifest.json"))
	if err != nil {
		return Report{}, fmt.Errorf("policy: %w", err)
	}
	var manifest struct {
		Stacks map[string]struct {
			SynthesizedStackPath string `json:"synthesizedStackPath"`
			ConstructPath        string `json:"constructPath"`
		} `json:"stacks"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return Report{}, fmt.Errorf("policy: manifest.json: %w", err)
	}
	var stacks []Stack
	for _, name := range slices.Sorted(maps.Keys(manifest.Stacks)) {
		m := manifest.Stacks[name]
		raw, err := os.ReadFile(filepath.Join(outdir, m.SynthesizedStackPath))
		if err != nil {
			return Report{}, fmt.Errorf("policy: %w", err)
		}
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			return Report{}, fmt.Errorf("policy: %s: %w", m.SynthesizedStackPath, err)
		}
		s := Stack{Name: name, Doc: doc, Meta: map[string]map[string][]string{}}
		for path, types := range meta {
			if path == m.ConstructPath || strings.HasPrefix(path, m.ConstructPath+"/") {
				s.Meta[path] = types
			}
		}
		s.Production = len(meta[m.ConstructPath][rules.MetaProduction]) > 0
		stacks = append(stacks, s)
	}
	return CheckStacks(stacks, extra), nil
}

// treeMetadata maps each construct path under app to this app's metadata
// (type -> values) recorded there.
func treeMetadata(app constructs.IConstruct) map[string]map[string][]string {
	meta := map[string]map[string][]string{}
	for _, c := range *app.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		entries := c.Node().Metadata()
		if entries == nil {
			continue
		}
		for _, e := range *entries {
			if e == nil || e.Type == nil || !strings.HasPrefix(*e.Type, "alb-privatelink:") {
				continue
			}
			path := *c.Node().Path()
			if meta[path] == nil {
				meta[path] = map[string][]string{}
			}
			meta[path][*e.Type] = append(meta[path][*e.Type], fmt.Sprint(e.Data))
		}
	}
	return meta
}

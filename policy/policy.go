// Package policy checks synthesized stacks against named rules before
// anything reaches AWS, like cdk-nag for AWS CDK. Each rule has an ID, a
// severity and a fix. Errors fail the synth with the construct path;
// warnings are printed once. One rule can be suppressed on one construct
// (and its children) with a written reason, from Go (Suppress) or from
// the config file (policy.suppressions).
//
// Rules read the Terraform JSON that cdktf wrote, so they see exactly
// what Terraform will apply, whoever built the constructs.
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
)

// Severity of a rule: errors fail the synth, warnings are printed.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Metadata types recorded on constructs by Suppress and MarkProduction.
const (
	metaSuppress   = "alb-privatelink:policy-suppress"
	metaProduction = "alb-privatelink:production"
)

// Suppression exempts one construct (and its children) from one rule.
type Suppression struct {
	Rule   string `yaml:"rule" json:"rule"`
	Path   string `yaml:"path" json:"path"` // construct path, e.g. provider/Alb
	Reason string `yaml:"reason" json:"reason"`
}

// Validate checks a suppression's rule ID and reason.
func (s Suppression) Validate() error {
	if _, ok := ruleByID(s.Rule); !ok {
		return fmt.Errorf("rule %q: unknown; the rules are %s", s.Rule, strings.Join(RuleIDs(), ", "))
	}
	if strings.TrimSpace(s.Path) == "" {
		return fmt.Errorf("path: required: the construct path to exempt, such as provider/Alb (see the finding)")
	}
	if len(strings.TrimSpace(s.Reason)) < 10 {
		return fmt.Errorf("reason %q: write why the rule does not apply here (at least 10 characters); it is the record reviewers read", s.Reason)
	}
	return nil
}

// Suppress exempts c and its children from rule ruleID, recording reason.
func Suppress(c constructs.IConstruct, ruleID, reason string) error {
	s := Suppression{Rule: ruleID, Path: *c.Node().Path(), Reason: reason}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("policy.Suppress(%s): %w", s.Path, err)
	}
	raw, _ := json.Marshal(s)
	c.Node().AddMetadata(jsii.String(metaSuppress), jsii.String(string(raw)), nil)
	return nil
}

// MarkProduction marks a stack as production: PL005 then requires deletion
// protection on its NLBs and prevent_destroy on its endpoint services.
func MarkProduction(stack constructs.IConstruct) {
	stack.Node().AddMetadata(jsii.String(metaProduction), jsii.String("true"), nil)
}

// Finding is one rule violation.
type Finding struct {
	Rule    Rule
	Stack   string
	Path    string // construct path of the resource, or the stack
	Address string // Terraform address (type.name), when about one resource
	Detail  string
	// SuppressedBy is the reason of the suppression that exempts it, or "".
	SuppressedBy string
}

func (f Finding) String() string {
	where := f.Path
	if f.Address != "" {
		where += ", " + f.Address
	}
	return fmt.Sprintf("%s %s (%s): %s; why: %s; fix: %s", f.Rule.ID, f.Rule.Title, where, f.Detail, f.Rule.Why, f.Rule.Fix)
}

// Report holds every finding of a check.
type Report struct {
	Findings []Finding
	// Problems are suppressions that matched nothing (stale or mistyped).
	Problems []string
}

// Errors are the unsuppressed findings of error rules.
func (r Report) Errors() []Finding { return r.filter(Error) }

// Warnings are the unsuppressed findings of warning rules, each once.
func (r Report) Warnings() []Finding { return r.filter(Warning) }

func (r Report) filter(sev Severity) []Finding {
	var out []Finding
	seen := map[string]bool{}
	for _, f := range r.Findings {
		key := f.Rule.ID + "|" + f.Path + "|" + f.Address + "|" + f.Detail
		if f.Rule.Severity == sev && f.SuppressedBy == "" && !seen[key] {
			seen[key] = true
			out = append(out, f)
		}
	}
	return out
}

// Stack is one synthesized stack and what the construct tree says of it.
type Stack struct {
	Name       string
	Doc        map[string]any
	Production bool
	// Meta maps construct paths to metadata (type -> values) recorded there.
	Meta map[string]map[string][]string
}

// Check reads every stack cdktf synthesized into outdir, collects
// suppressions and marks from app's construct tree, adds the extra
// suppressions (from configuration), and runs every rule.
func Check(app constructs.IConstruct, outdir string, extra []Suppression) (Report, error) {
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
		s.Production = len(meta[m.ConstructPath][metaProduction]) > 0
		stacks = append(stacks, s)
	}
	return CheckStacks(stacks, extra), nil
}

// CheckStacks runs every rule over stacks; suppressions come from each
// stack's metadata and from extra.
func CheckStacks(stacks []Stack, extra []Suppression) Report {
	var sups []Suppression
	for _, s := range stacks {
		for _, path := range slices.Sorted(maps.Keys(s.Meta)) {
			for _, raw := range s.Meta[path][metaSuppress] {
				var sup Suppression
				if json.Unmarshal([]byte(raw), &sup) == nil {
					sups = append(sups, sup)
				}
			}
		}
	}
	sups = append(sups, extra...)
	used := make([]bool, len(sups))

	var r Report
	for _, s := range stacks {
		res := resources(s.Doc)
		for _, rule := range rules {
			for _, f := range rule.check(s, res) {
				f.Rule, f.Stack = rule, s.Name
				for i, sup := range sups {
					if sup.Rule == rule.ID && within(f.Path, sup.Path) {
						f.SuppressedBy, used[i] = sup.Reason, true
						break
					}
				}
				r.Findings = append(r.Findings, f)
			}
		}
	}
	for i, sup := range sups {
		if !used[i] {
			r.Problems = append(r.Problems, fmt.Sprintf("suppression of %s on %s matched no finding; remove it or fix the path", sup.Rule, sup.Path))
		}
	}
	return r
}

// within tells whether path is at or below prefix in the construct tree.
func within(path, prefix string) bool {
	prefix = strings.TrimSuffix(prefix, "/")
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

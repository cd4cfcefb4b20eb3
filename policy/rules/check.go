package rules

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Metadata types that package policy records on constructs (Suppress,
// MarkProduction) and that Stack.Meta carries here.
const (
	// MetaSuppress values are Suppressions as JSON.
	MetaSuppress = "alb-privatelink:policy-suppress"
	// MetaProduction on a stack's construct path marks it production.
	MetaProduction = "alb-privatelink:production"
)

// Stack is one synthesized stack and what the construct tree says of it.
type Stack struct {
	Name       string
	Doc        map[string]any
	Production bool
	// Meta maps construct paths to metadata (type -> values) recorded there.
	Meta map[string]map[string][]string
}

// CheckStacks runs every rule over stacks; suppressions come from each
// stack's metadata and from extra.
func CheckStacks(stacks []Stack, extra []Suppression) Report {
	var sups []Suppression
	for _, s := range stacks {
		for _, path := range slices.Sorted(maps.Keys(s.Meta)) {
			for _, raw := range s.Meta[path][MetaSuppress] {
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
		for _, rule := range registry {
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

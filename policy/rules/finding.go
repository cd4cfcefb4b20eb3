package rules

import "fmt"

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

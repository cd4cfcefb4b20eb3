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
	return fmt.Sprintf("%s; why: %s; fix: %s", f.Summary(), f.Rule.Why, f.Rule.Fix)
}

// Summary is String without the rule's why and fix: the rule, where, and
// what is wrong, on one short line.
func (f Finding) Summary() string {
	return fmt.Sprintf("%s %s (%s): %s", f.Rule.ID, f.Rule.Title, f.Where(), f.Detail)
}

// Where is the finding's construct path, and its Terraform address when it
// is about one resource.
func (f Finding) Where() string {
	if f.Address == "" {
		return f.Path
	}
	return f.Path + ", " + f.Address
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

// Suppressed are the findings a suppression exempts, of either level,
// each once: the audit trail of every rule that was bypassed.
func (r Report) Suppressed() []Finding {
	var out []Finding
	seen := map[string]bool{}
	for _, f := range r.Findings {
		if f.SuppressedBy != "" && !seen[f.key()] {
			seen[f.key()] = true
			out = append(out, f)
		}
	}
	return out
}

func (f Finding) key() string { return f.Rule.ID + "|" + f.Path + "|" + f.Address + "|" + f.Detail }

func (r Report) filter(sev Severity) []Finding {
	var out []Finding
	seen := map[string]bool{}
	for _, f := range r.Findings {
		key := f.key()
		if f.Rule.Severity == sev && f.SuppressedBy == "" && !seen[key] {
			seen[key] = true
			out = append(out, f)
		}
	}
	return out
}

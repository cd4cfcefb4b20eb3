package rules

import (
	"fmt"
	"maps"
	"slices"
)

// The walkers every rule shares over a stack's Terraform JSON.

// res is one resource of a stack's Terraform JSON.
type res struct {
	typ, name, path string
	body            map[string]any
}

func (r res) address() string { return r.typ + "." + r.name }

func (r res) finding(detail string, args ...any) Finding {
	return Finding{Path: r.path, Address: r.address(), Detail: fmt.Sprintf(detail, args...)}
}

// ref is how other resources refer to attr of r.
func (r res) ref(attr string) string { return "${" + r.typ + "." + r.name + "." + attr + "}" }

// resources lists a stack's resources by type, then name.
func resources(doc map[string]any) []res {
	var out []res
	byType, _ := doc["resource"].(map[string]any)
	for _, typ := range slices.Sorted(maps.Keys(byType)) {
		all, _ := byType[typ].(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(all)) {
			body, _ := all[name].(map[string]any)
			path := name
			if md, ok := dig(body, "//", "metadata", "path").(string); ok {
				path = md
			}
			out = append(out, res{typ, name, path, body})
		}
	}
	return out
}

func ofType(all []res, types ...string) []res {
	var out []res
	for _, r := range all {
		if slices.Contains(types, r.typ) {
			out = append(out, r)
		}
	}
	return out
}

// dig walks nested maps and lists ("0" indexes a list).
func dig(v any, path ...string) any {
	for _, p := range path {
		switch t := v.(type) {
		case map[string]any:
			v = t[p]
		case []any:
			var i int
			if _, err := fmt.Sscan(p, &i); err != nil || i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
	}
	return v
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func isTrue(v any) bool {
	b, ok := v.(bool)
	return ok && b
}

// Load balancers, which several rules look at.
var (
	albTypes      = []string{"aws_lb", "aws_alb"}
	listenerTypes = []string{"aws_lb_listener", "aws_alb_listener"}
)

func applicationLBs(all []res) []res {
	var out []res
	for _, lb := range ofType(all, albTypes...) {
		if t := str(lb.body["load_balancer_type"]); t == "" || t == "application" {
			out = append(out, lb)
		}
	}
	return out
}

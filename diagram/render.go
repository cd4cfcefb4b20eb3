package diagram

import (
	"fmt"
	"regexp"
	"strings"
)

// Mermaid renders g as a Mermaid flowchart.
func (g *Graph) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for _, s := range g.Stacks {
		fmt.Fprintf(&b, "  subgraph %s[\"%s\"]\n", sanitize("stack_"+s.Name), s.title())
		for _, n := range s.Nodes {
			fmt.Fprintf(&b, "    %s[\"%s\"]\n", n.ID, escape(n.Label))
		}
		b.WriteString("  end\n")
	}
	for _, e := range g.Edges {
		if e.Label != "" {
			fmt.Fprintf(&b, "  %s -->|\"%s\"| %s\n", e.From, escape(e.Label), e.To)
		} else {
			fmt.Fprintf(&b, "  %s --> %s\n", e.From, e.To)
		}
	}
	return b.String()
}

// DOT renders g for Graphviz.
func (g *Graph) DOT() string {
	var b strings.Builder
	b.WriteString("digraph privatelink {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n")
	for _, s := range g.Stacks {
		fmt.Fprintf(&b, "  subgraph cluster_%s {\n    label=%q;\n", sanitize(s.Name), s.title())
		for _, n := range s.Nodes {
			fmt.Fprintf(&b, "    %s [label=%q];\n", n.ID, n.Label)
		}
		b.WriteString("  }\n")
	}
	for _, e := range g.Edges {
		fmt.Fprintf(&b, "  %s -> %s [label=%q];\n", e.From, e.To, e.Label)
	}
	b.WriteString("}\n")
	return b.String()
}

func (s Stack) title() string {
	parts := []string{s.Name}
	if s.Region != "" {
		parts = append(parts, s.Region)
	}
	if s.Account != "" {
		parts = append(parts, "account "+s.Account)
	}
	return strings.Join(parts, " · ")
}

var unsafe = regexp.MustCompile(`[^A-Za-z0-9_]`)

func sanitize(s string) string { return unsafe.ReplaceAllString(s, "_") }

func escape(s string) string { return strings.ReplaceAll(s, `"`, "#quot;") }

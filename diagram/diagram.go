// Package diagram draws what a synth will deploy, from the synthesized
// stacks themselves (so it cannot drift from them): one box per stack with
// its account and region, the VPCs, load balancers, target groups, the
// endpoint service and endpoints, DNS, and the accept stacks, with the
// references between them as edges, followed across stacks through
// cdktf's cross-stack outputs. Output as Mermaid (for Markdown) or
// Graphviz DOT (`dot -Tsvg`).
package diagram

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

// Graph is the diagram of one synth.
type Graph struct {
	Stacks []Stack
	Edges  []Edge
}

// Stack is one box.
type Stack struct {
	Name, Region, Account string
	Nodes                 []Node
}

// Node is one resource worth drawing.
type Node struct {
	ID, Label string
}

// Edge goes from a node to another, with an optional label.
type Edge struct {
	From, To, Label string
}

// FromOutdir reads the stacks a synth wrote to outdir (cdk.tf.json).
func FromOutdir(outdir string) (*Graph, error) {
	raw, err := os.ReadFile(filepath.Join(outdir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("diagram: %w", err)
	}
	var manifest struct {
		Stacks map[string]struct {
			SynthesizedStackPath string `json:"synthesizedStackPath"`
		} `json:"stacks"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return nil, fmt.Errorf("diagram: manifest.json: %w", err)
	}
	docs := map[string]map[string]any{}
	for name, m := range manifest.Stacks {
		raw, err := os.ReadFile(filepath.Join(outdir, m.SynthesizedStackPath))
		if err != nil {
			return nil, fmt.Errorf("diagram: %w", err)
		}
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			return nil, fmt.Errorf("diagram: %s: %w (synthesize JSON, not --hcl)", m.SynthesizedStackPath, err)
		}
		docs[name] = doc
	}
	return FromDocs(docs), nil
}

// FromDocs builds the graph of stacks given as Terraform JSON by name.
func FromDocs(docs map[string]map[string]any) *Graph {
	b := &builder{g: &Graph{}, exported: exports(docs), nodes: map[string]bool{}, seen: map[Edge]bool{}}
	names := slices.Sorted(maps.Keys(docs))
	for _, name := range names {
		b.g.Stacks = append(b.g.Stacks, b.stack(name, docs[name]))
	}
	for _, name := range names {
		b.edges(name, docs[name])
	}
	return b.g
}

// builder is the state of one FromDocs.
type builder struct {
	g *Graph
	// cross-stack outputs: stack -> output name -> the address it exports
	exported map[string]map[string]string
	nodes    map[string]bool // the IDs of the nodes drawn
	seen     map[Edge]bool
}

func nodeID(stack, addr string) string { return sanitize(stack + "_" + addr) }

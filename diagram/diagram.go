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
	"regexp"
	"slices"
	"strings"
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

// shown are the resource types drawn as nodes, and how to label them.
var shown = map[string]func(body map[string]any) string{
	"aws_vpc": func(b map[string]any) string { return "VPC " + str(b["cidr_block"]) },
	"aws_alb": func(b map[string]any) string { return "ALB (demo)" },
	"aws_lb": func(b map[string]any) string {
		if str(b["load_balancer_type"]) == "network" {
			return "internal NLB"
		}
		return "ALB"
	},
	"aws_lb_target_group": func(b map[string]any) string {
		return fmt.Sprintf("target group %s %v (type %s)", str(b["protocol"]), num(b["port"]), str(b["target_type"]))
	},
	"aws_vpc_endpoint_service": func(b map[string]any) string {
		label := "endpoint service"
		if name := str(b["private_dns_name"]); name != "" {
			label += " " + name
		}
		if b["acceptance_required"] == true {
			label += " (acceptance required)"
		}
		return label
	},
	"aws_vpc_endpoint": func(b map[string]any) string {
		return "interface endpoint" + map[bool]string{true: " (private DNS)"}[b["private_dns_enabled"] == true]
	},
	"aws_route53_zone":                     func(b map[string]any) string { return "private zone " + str(b["name"]) },
	"aws_vpc_endpoint_connection_accepter": func(b map[string]any) string { return "connection accepter" },
	"aws_sns_topic":                        func(b map[string]any) string { return "SNS topic (connection events)" },
	"aws_s3_bucket":                        func(b map[string]any) string { return "S3 bucket (NLB access logs)" },
	"aws_lambda_function":                  func(b map[string]any) string { return "connectivity probe (Lambda)" },
}

// refRe finds references in a resource's JSON: TYPE.NAME, or a cross-stack
// read of another stack's output.
var refRe = regexp.MustCompile(`\b(data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+|aws_[a-z0-9_]+\.[\w-]+)`)

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
	g := &Graph{}
	// cross-stack outputs: stack -> output name -> the address it exports
	exported := map[string]map[string]string{}
	for name, doc := range docs {
		exported[name] = map[string]string{}
		meta, _ := doc["//"].(map[string]any)
		outs, _ := meta["outputs"].(map[string]any)
		byStack, _ := outs[name].(map[string]any)
		for key, out := range byStack {
			if addr, ok := strings.CutPrefix(key, "cross-stack-output-"); ok {
				exported[name][str(out)] = addr
			}
		}
	}
	id := func(stack, addr string) string { return sanitize(stack + "_" + addr) }
	// resolve turns a reference found in stack into a node address
	// (stack, TYPE.NAME), following cross-stack reads.
	resolve := func(stack, ref string) (string, string) {
		if rest, ok := strings.CutPrefix(ref, "data.terraform_remote_state.cross-stack-reference-input-"); ok {
			from, out, _ := strings.Cut(rest, ".outputs.")
			addr := exported[from][out]
			parts := strings.Split(addr, ".")
			if len(parts) < 2 {
				return "", ""
			}
			return from, parts[0] + "." + parts[1]
		}
		return stack, ref
	}
	nodes := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(docs)) {
		doc := docs[name]
		s := Stack{Name: name}
		for _, p := range providers(doc) {
			s.Region = str(p["region"])
			if ids, _ := p["allowed_account_ids"].([]any); len(ids) > 0 {
				s.Account = str(ids[0])
			}
			if roles, _ := p["assume_role"].([]any); len(roles) > 0 && s.Account == "" {
				if arn := strings.Split(str(roles[0].(map[string]any)["role_arn"]), ":"); len(arn) > 4 {
					s.Account = arn[4]
				}
			}
		}
		resources, _ := doc["resource"].(map[string]any)
		for _, typ := range slices.Sorted(maps.Keys(resources)) {
			label, ok := shown[typ]
			if !ok {
				continue
			}
			byName := resources[typ].(map[string]any)
			for _, rname := range slices.Sorted(maps.Keys(byName)) {
				body := byName[rname].(map[string]any)
				s.Nodes = append(s.Nodes, Node{ID: id(name, typ+"."+rname), Label: label(body)})
				nodes[id(name, typ+"."+rname)] = true
			}
		}
		g.Stacks = append(g.Stacks, s)
	}
	seen := map[Edge]bool{}
	addEdge := func(e Edge) {
		if e.From != "" && e.To != "" && e.From != e.To && nodes[e.From] && nodes[e.To] && !seen[e] {
			seen[e] = true
			g.Edges = append(g.Edges, e)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(docs)) {
		resources, _ := docs[name]["resource"].(map[string]any)
		for _, typ := range slices.Sorted(maps.Keys(resources)) {
			byName := resources[typ].(map[string]any)
			for _, rname := range slices.Sorted(maps.Keys(byName)) {
				body := byName[rname].(map[string]any)
				refs := map[string]string{} // attribute -> node id
				for attr, v := range body {
					if attr == "//" || attr == "depends_on" {
						continue
					}
					raw, _ := json.Marshal(v)
					for _, ref := range refRe.FindAllString(string(raw), -1) {
						if stack, addr := resolve(name, ref); addr != "" {
							refs[attr] = id(stack, addr)
						}
					}
				}
				self := id(name, typ+"."+rname)
				switch typ {
				case "aws_lb_listener":
					addEdge(Edge{refs["load_balancer_arn"], refs["default_action"], fmt.Sprintf("TCP %v", num(body["port"]))})
				case "aws_lb_target_group_attachment":
					addEdge(Edge{refs["target_group_arn"], refs["target_id"], fmt.Sprintf("port %v", num(body["port"]))})
				case "aws_route53_record":
					if alias, ok := refs["alias"]; ok {
						addEdge(Edge{refs["zone_id"], alias, "alias " + str(body["name"])})
					}
				case "aws_vpc_endpoint":
					addEdge(Edge{self, refs["service_name"], "PrivateLink"})
					addEdge(Edge{self, refs["vpc_id"], "in"})
				case "aws_lb_target_group":
					addEdge(Edge{self, refs["vpc_id"], "in"})
				case "aws_vpc_endpoint_service":
					addEdge(Edge{self, refs["network_load_balancer_arns"], "fronts"})
				case "aws_vpc_endpoint_connection_accepter":
					addEdge(Edge{self, refs["vpc_endpoint_id"], "accepts"})
				case "aws_vpc_endpoint_connection_notification":
					addEdge(Edge{refs["vpc_endpoint_service_id"], refs["connection_notification_arn"], "connection events"})
				case "aws_lb":
					addEdge(Edge{self, refs["access_logs"], "access logs"})
				case "aws_route53_zone":
					addEdge(Edge{self, refs["vpc"], "associated"})
				case "aws_lambda_function":
					addEdge(Edge{self, refs["environment"], "probes"})
				}
			}
		}
	}
	return g
}

func providers(doc map[string]any) []map[string]any {
	all, _ := doc["provider"].(map[string]any)
	list, _ := all["aws"].([]any)
	var out []map[string]any
	for _, p := range list {
		if m, ok := p.(map[string]any); ok && m["alias"] == nil {
			out = append(out, m)
		}
	}
	return out
}

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

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) any {
	if f, ok := v.(float64); ok && f == float64(int(f)) {
		return int(f)
	}
	return v
}

package diagram

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// refRe finds references in a resource's JSON: TYPE.NAME, or a cross-stack
// read of another stack's output.
var refRe = regexp.MustCompile(`\b(data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+|aws_[a-z0-9_]+\.[\w-]+)`)

// exports reads each stack's cross-stack outputs: stack -> output name ->
// the address it exports.
func exports(docs map[string]map[string]any) map[string]map[string]string {
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
	return exported
}

// resolve turns a reference found in stack into a node address
// (stack, TYPE.NAME), following cross-stack reads.
func (b *builder) resolve(stack, ref string) (string, string) {
	if rest, ok := strings.CutPrefix(ref, "data.terraform_remote_state.cross-stack-reference-input-"); ok {
		from, out, _ := strings.Cut(rest, ".outputs.")
		addr := b.exported[from][out]
		parts := strings.Split(addr, ".")
		if len(parts) < 2 {
			return "", ""
		}
		return from, parts[0] + "." + parts[1]
	}
	return stack, ref
}

// edges adds the edges of every resource of the stack name.
func (b *builder) edges(name string, doc map[string]any) {
	resources, _ := doc["resource"].(map[string]any)
	for _, typ := range slices.Sorted(maps.Keys(resources)) {
		byName := resources[typ].(map[string]any)
		for _, rname := range slices.Sorted(maps.Keys(byName)) {
			body := byName[rname].(map[string]any)
			self := nodeID(name, typ+"."+rname)
			for _, e := range edgesOf(typ, self, b.refs(name, body), body) {
				b.addEdge(e)
			}
		}
	}
}

// refs maps each attribute of a resource body in stack to the node it
// references (the last reference in it).
func (b *builder) refs(stack string, body map[string]any) map[string]string {
	refs := map[string]string{} // attribute -> node id
	for attr, v := range body {
		if attr == "//" || attr == "depends_on" {
			continue
		}
		raw, _ := json.Marshal(v)
		for _, ref := range refRe.FindAllString(string(raw), -1) {
			if from, addr := b.resolve(stack, ref); addr != "" {
				refs[attr] = nodeID(from, addr)
			}
		}
	}
	return refs
}

// addEdge adds e once, when both its ends are drawn and differ.
func (b *builder) addEdge(e Edge) {
	if e.From != "" && e.To != "" && e.From != e.To && b.nodes[e.From] && b.nodes[e.To] && !b.seen[e] {
		b.seen[e] = true
		b.g.Edges = append(b.g.Edges, e)
	}
}

// edgesOf are the edges a resource of type typ (node self, whose
// attributes reference refs) draws.
func edgesOf(typ, self string, refs map[string]string, body map[string]any) []Edge {
	switch typ {
	case "aws_lb_listener":
		return []Edge{{refs["load_balancer_arn"], refs["default_action"], fmt.Sprintf("TCP %v", num(body["port"]))}}
	case "aws_lb_target_group_attachment":
		return []Edge{{refs["target_group_arn"], refs["target_id"], fmt.Sprintf("port %v", num(body["port"]))}}
	case "aws_route53_record":
		if alias, ok := refs["alias"]; ok {
			return []Edge{{refs["zone_id"], alias, "alias " + str(body["name"])}}
		}
	case "aws_vpc_endpoint":
		return []Edge{{self, refs["service_name"], "PrivateLink"}, {self, refs["vpc_id"], "in"}}
	case "aws_lb_target_group":
		return []Edge{{self, refs["vpc_id"], "in"}}
	case "aws_vpc_endpoint_service":
		return []Edge{{self, refs["network_load_balancer_arns"], "fronts"}}
	case "aws_vpc_endpoint_connection_accepter":
		return []Edge{{self, refs["vpc_endpoint_id"], "accepts"}}
	case "aws_vpc_endpoint_connection_notification":
		return []Edge{{refs["vpc_endpoint_service_id"], refs["connection_notification_arn"], "connection events"}}
	case "aws_lb":
		return []Edge{{self, refs["access_logs"], "access logs"}}
	case "aws_route53_zone":
		return []Edge{{self, refs["vpc"], "associated"}}
	case "aws_lambda_function":
		return []Edge{{self, refs["environment"], "probes"}}
	}
	return nil
}

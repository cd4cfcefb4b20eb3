package diagram

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

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

// stack is the box of the stack name, with a node per resource of a type
// in shown.
func (b *builder) stack(name string, doc map[string]any) Stack {
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
			s.Nodes = append(s.Nodes, Node{ID: nodeID(name, typ+"."+rname), Label: label(body)})
			b.nodes[nodeID(name, typ+"."+rname)] = true
		}
	}
	return s
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

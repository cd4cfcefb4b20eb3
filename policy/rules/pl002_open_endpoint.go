package rules

import (
	"maps"
	"slices"
)

var pl002 = Rule{
	ID:       "PL002",
	Severity: Error,
	Title:    "endpoint security group is open to the internet",
	When:     "an interface endpoint's security group admits `0.0.0.0/0` or `::/0`",
	Why:      "the endpoint reaches a private ALB; an open rule lets anything that can route to the VPC use it",
	Fix:      "admit the client CIDRs (consumers[].clientCidrs, ConsumerEndpoint AllowedCIDRs) instead of 0.0.0.0/0 or ::/0",
	check:    checkOpenEndpoint,
}

var openCIDRs = []string{"0.0.0.0/0", "::/0"}

func checkOpenEndpoint(_ Stack, all []res) []Finding {
	groups := map[string]res{} // "${aws_security_group.X.id}" -> group
	sgs := ofType(all, "aws_security_group")
	for _, ep := range ofType(all, "aws_vpc_endpoint") {
		for _, id := range strs(ep.body["security_group_ids"]) {
			for _, sg := range sgs {
				if sg.ref("id") == id {
					groups[id] = sg
				}
			}
		}
	}
	var out []Finding
	for _, id := range slices.Sorted(maps.Keys(groups)) {
		sg := groups[id]
		for _, rule := range ofType(all, "aws_vpc_security_group_ingress_rule") {
			if str(rule.body["security_group_id"]) == id && (slices.Contains(openCIDRs, str(rule.body["cidr_ipv4"])) || slices.Contains(openCIDRs, str(rule.body["cidr_ipv6"]))) {
				out = append(out, rule.finding("admits %s%s to the endpoint's group %s", str(rule.body["cidr_ipv4"]), str(rule.body["cidr_ipv6"]), sg.address()))
			}
		}
		for _, rule := range ofType(all, "aws_security_group_rule") {
			if str(rule.body["security_group_id"]) == id && str(rule.body["type"]) == "ingress" && hasOpen(rule.body) {
				out = append(out, rule.finding("admits the internet to the endpoint's group %s", sg.address()))
			}
		}
		ingress, _ := sg.body["ingress"].([]any)
		for _, in := range ingress {
			if m, ok := in.(map[string]any); ok && hasOpen(m) {
				out = append(out, sg.finding("an inline ingress block admits the internet"))
			}
		}
	}
	return out
}

func hasOpen(m map[string]any) bool {
	for _, c := range append(strs(m["cidr_blocks"]), strs(m["ipv6_cidr_blocks"])...) {
		if slices.Contains(openCIDRs, c) {
			return true
		}
	}
	return false
}

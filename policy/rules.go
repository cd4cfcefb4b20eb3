package policy

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Rule is one policy check.
type Rule struct {
	ID       string
	Severity Severity
	Title    string
	// Why the rule exists: what goes wrong on AWS without it.
	Why   string
	Fix   string
	check func(s Stack, res []res) []Finding
}

// rules are every rule, in ID order.
var rules = []Rule{
	{ID: "PL001", Severity: Error, Title: "endpoint service lets anyone connect without acceptance",
		Why:   `"*" admits every account in the partition, and without acceptance their endpoints connect at once`,
		Fix:   `set acceptance_required (AcceptanceRequired, provider.acceptanceRequired: true) or list account IDs instead of "*"`,
		check: checkWildcard},
	{ID: "PL002", Severity: Error, Title: "endpoint security group is open to the internet",
		Why:   "the endpoint reaches a private ALB; an open rule lets anything that can route to the VPC use it",
		Fix:   "admit the client CIDRs (consumers[].clientCidrs, ConsumerEndpoint AllowedCIDRs) instead of 0.0.0.0/0 or ::/0",
		check: checkOpenEndpoint},
	{ID: "PL003", Severity: Error, Title: "public ALB listener serves plain HTTP although a certificate is configured",
		Why:   "clients that reach the HTTP port send requests and cookies in clear text, though HTTPS is available",
		Fix:   "serve HTTPS with the certificate, or make the HTTP listener redirect to HTTPS",
		check: checkPlainHTTP},
	{ID: "PL004", Severity: Error, Title: "ALB does not drop invalid header fields",
		Why:   "header fields the targets parse differently from the ALB open the way to request smuggling",
		Fix:   "set drop_invalid_header_fields = true (alb.AlbConfig DropInvalidHeaderFields) against request smuggling",
		check: checkInvalidHeaders},
	{ID: "PL005", Severity: Error, Title: "deletion protection is off in a production stack",
		Why:   "replacing the NLB or the endpoint service gives every consumer a dead endpoint and a new service name",
		Fix:   "set provider.nlb.deletionProtection: true (NLB) and keep prevent_destroy on the endpoint service (ProviderEndpointServiceProps PreventDestroy)",
		check: checkProduction},
	{ID: "PL006", Severity: Warning, Title: "missing Name or Owner tag",
		Why:   "untagged resources cannot be told apart in the console or traced to a team when they cost or break",
		Fix:   "tag resources with Name, and set an Owner default tag (provider.aws.defaultTags.Owner, which the consumer stacks inherit; or consumers[].aws.defaultTags.Owner) so someone answers for them",
		check: checkTags},
	{ID: "PL007", Severity: Error, Title: "health check protocol differs from the ALB listener's",
		Why:   "an alb target group checks its ALB over HTTP(S); the wrong protocol marks a healthy ALB unhealthy and no traffic flows",
		Fix:   "check the ALB in its listener's protocol (HTTPS for an HTTPS listener); leave HealthCheck.Protocol unset to follow it",
		check: checkHealthProtocol},
}

// Rules returns every rule, in ID order (a copy: callers cannot change them).
func Rules() []Rule { return slices.Clone(rules) }

// RuleIDs lists the rule IDs.
func RuleIDs() []string {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	return ids
}

func ruleByID(id string) (Rule, bool) {
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

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

func checkWildcard(_ Stack, all []res) []Finding {
	var out []Finding
	services := ofType(all, "aws_vpc_endpoint_service")
	for _, s := range services {
		if slices.Contains(strs(s.body["allowed_principals"]), "*") && !isTrue(s.body["acceptance_required"]) {
			out = append(out, s.finding(`allowed_principals contains "*" and acceptance_required is false`))
		}
	}
	for _, p := range ofType(all, "aws_vpc_endpoint_service_allowed_principal") {
		if str(p.body["principal_arn"]) != "*" {
			continue
		}
		for _, s := range services {
			if str(p.body["vpc_endpoint_service_id"]) == s.ref("id") && !isTrue(s.body["acceptance_required"]) {
				out = append(out, p.finding(`principal_arn "*" on %s, which does not require acceptance`, s.address()))
			}
		}
	}
	return out
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

func checkPlainHTTP(_ Stack, all []res) []Finding {
	var out []Finding
	for _, lb := range applicationLBs(all) {
		if isTrue(lb.body["internal"]) {
			continue
		}
		var listeners []res
		certificate := false
		for _, l := range ofType(all, listenerTypes...) {
			if str(l.body["load_balancer_arn"]) == lb.ref("arn") {
				listeners = append(listeners, l)
				certificate = certificate || str(l.body["certificate_arn"]) != ""
			}
		}
		if !certificate {
			continue
		}
		for _, l := range listeners {
			redirects := str(dig(l.body, "default_action", "0", "type")) == "redirect" &&
				strings.EqualFold(str(dig(l.body, "default_action", "0", "redirect", "protocol")), "HTTPS")
			if strings.EqualFold(str(l.body["protocol"]), "HTTP") && !redirects {
				out = append(out, l.finding("port %v answers plain HTTP on internet-facing %s, which has a certificate", l.body["port"], lb.address()))
			}
		}
	}
	return out
}

func checkInvalidHeaders(_ Stack, all []res) []Finding {
	var out []Finding
	for _, lb := range applicationLBs(all) {
		if !isTrue(lb.body["drop_invalid_header_fields"]) {
			out = append(out, lb.finding("drop_invalid_header_fields is not true"))
		}
	}
	return out
}

func checkProduction(s Stack, all []res) []Finding {
	if !s.Production {
		return nil
	}
	var out []Finding
	for _, lb := range ofType(all, albTypes...) {
		if str(lb.body["load_balancer_type"]) == "network" && !isTrue(lb.body["enable_deletion_protection"]) {
			out = append(out, lb.finding("the NLB behind the endpoint service has no deletion protection; deleting it deletes the service and its name"))
		}
	}
	for _, es := range ofType(all, "aws_vpc_endpoint_service") {
		if !isTrue(dig(es.body, "lifecycle", "prevent_destroy")) {
			out = append(out, es.finding("the endpoint service has no prevent_destroy; a replacement gives consumers a new service name"))
		}
	}
	return out
}

// taggable are the resource types this app creates that carry tags.
var taggable = []string{
	"aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_route_table", "aws_security_group",
	"aws_lb", "aws_alb", "aws_lb_target_group", "aws_alb_target_group", "aws_lb_listener", "aws_alb_listener",
	"aws_vpc_endpoint", "aws_vpc_endpoint_service", "aws_route53_zone", "aws_cloudwatch_log_group",
	"aws_iam_role", "aws_flow_log",
}

func checkTags(s Stack, all []res) []Finding {
	var out []Finding
	owner := false
	for _, p := range providerBlocks(s.Doc) {
		if _, ok := dig(p, "default_tags", "0", "tags", "Owner").(string); ok {
			owner = true
		}
	}
	for _, r := range ofType(all, taggable...) {
		if _, ok := dig(r.body, "tags", "Name").(string); !ok {
			out = append(out, r.finding("no Name tag"))
		}
		if _, ok := dig(r.body, "tags", "Owner").(string); ok {
			owner = true
		}
	}
	if !owner && len(ofType(all, taggable...)) > 0 {
		out = append(out, Finding{Path: s.Name, Detail: "no Owner tag on the stack's AWS provider (default_tags) or its resources"})
	}
	return out
}

func providerBlocks(doc map[string]any) []map[string]any {
	var out []map[string]any
	list, _ := dig(doc, "provider", "aws").([]any)
	for _, p := range list {
		if m, ok := p.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

var lbRefRe = regexp.MustCompile(`^\$\{(aws_lb|aws_alb)\.([^.]+)\.arn\}$`)

func checkHealthProtocol(s Stack, all []res) []Finding {
	var out []Finding
	for _, tg := range ofType(all, "aws_lb_target_group", "aws_alb_target_group") {
		if str(tg.body["target_type"]) != "alb" {
			continue
		}
		hc := strings.ToUpper(str(dig(tg.body, "health_check", "protocol")))
		if hc == "" {
			hc = "HTTP" // AWS's default for an alb target group
		}
		want := ""
		for _, att := range ofType(all, "aws_lb_target_group_attachment", "aws_alb_target_group_attachment") {
			if str(att.body["target_group_arn"]) != tg.ref("arn") {
				continue
			}
			if m := lbRefRe.FindStringSubmatch(str(att.body["target_id"])); m != nil {
				for _, l := range ofType(all, listenerTypes...) {
					if str(l.body["load_balancer_arn"]) == str(att.body["target_id"]) && fmt.Sprint(l.body["port"]) == fmt.Sprint(tg.body["port"]) {
						want = strings.ToUpper(str(l.body["protocol"]))
					}
				}
			}
		}
		if want != "" && want != hc {
			out = append(out, tg.finding("checks the ALB over %s, but its listener on port %v speaks %s, so the ALB looks unhealthy", hc, tg.body["port"], want))
		}
	}
	return out
}

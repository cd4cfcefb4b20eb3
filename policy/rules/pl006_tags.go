package rules

var pl006 = Rule{
	ID:       "PL006",
	Severity: Warning,
	Title:    "missing Name or Owner tag",
	When:     "a resource has no `Name` tag, or a stack has no `Owner` tag",
	Why:      "untagged resources cannot be told apart in the console or traced to a team when they cost or break",
	Fix:      "tag resources with Name, and set an Owner default tag (provider.aws.defaultTags.Owner, which the consumer stacks inherit; or consumers[].aws.defaultTags.Owner) so someone answers for them",
	check:    checkTags,
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

package rules

var pl005 = Rule{
	ID:       "PL005",
	Severity: Error,
	Title:    "deletion protection is off in a production stack",
	When:     "in a stack marked production (`provider.production: true`), the NLB has no deletion protection or the endpoint service no `prevent_destroy`",
	Why:      "replacing the NLB or the endpoint service gives every consumer a dead endpoint and a new service name",
	Fix:      "set provider.nlb.deletionProtection: true (NLB) and keep prevent_destroy on the endpoint service (ProviderEndpointServiceProps PreventDestroy)",
	check:    checkProduction,
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

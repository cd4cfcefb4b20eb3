package rules

import "slices"

var pl001 = Rule{
	ID:       "PL001",
	Severity: Error,
	Title:    "endpoint service lets anyone connect without acceptance",
	When:     "an endpoint service allows principal `*` without `acceptance_required`",
	Why:      `"*" admits every account in the partition, and without acceptance their endpoints connect at once`,
	Fix:      `set acceptance_required (AcceptanceRequired, provider.acceptanceRequired: true) or list account IDs instead of "*"`,
	check:    checkWildcard,
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

package rules

var pl004 = Rule{
	ID:       "PL004",
	Severity: Error,
	Title:    "ALB does not drop invalid header fields",
	When:     "an ALB does not set `drop_invalid_header_fields`",
	Why:      "header fields the targets parse differently from the ALB open the way to request smuggling",
	Fix:      "set drop_invalid_header_fields = true (alb.AlbConfig DropInvalidHeaderFields) against request smuggling",
	check:    checkInvalidHeaders,
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

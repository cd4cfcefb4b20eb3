package rules

import (
	"fmt"
	"regexp"
	"strings"
)

var pl007 = Rule{
	ID:       "PL007",
	Severity: Error,
	Title:    "health check protocol differs from the ALB listener's",
	When:     "an `alb` target group's health check protocol differs from its ALB listener's (both in the stack)",
	Why:      "an alb target group checks its ALB over HTTP(S); the wrong protocol marks a healthy ALB unhealthy and no traffic flows",
	Fix:      "check the ALB in its listener's protocol (HTTPS for an HTTPS listener); leave HealthCheck.Protocol unset to follow it",
	check:    checkHealthProtocol,
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

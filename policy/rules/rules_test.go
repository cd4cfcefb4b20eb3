package rules

import (
	"encoding/json"
	"strings"
	"testing"
)

// doc builds a stack document from TYPE.NAME -> body, giving each resource
// the construct path "stack/NAME".
func doc(t *testing.T, resources map[string]string, extra ...string) map[string]any {
	t.Helper()
	out := map[string]any{}
	byType := map[string]any{}
	for addr, body := range resources {
		typ, name, _ := strings.Cut(addr, ".")
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		m["//"] = map[string]any{"metadata": map[string]any{"path": "stack/" + name}}
		if byType[typ] == nil {
			byType[typ] = map[string]any{}
		}
		byType[typ].(map[string]any)[name] = m
	}
	out["resource"] = byType
	for i := 0; i+1 < len(extra); i += 2 {
		var v any
		if err := json.Unmarshal([]byte(extra[i+1]), &v); err != nil {
			t.Fatal(err)
		}
		out[extra[i]] = v
	}
	return out
}

const ownerProvider = `{"aws": [{"default_tags": [{"tags": {"Owner": "team"}}]}]}`

// ids runs the rules and returns "RULE@PATH" of every unsuppressed finding.
func ids(stacks []Stack, sups ...Suppression) []string {
	var out []string
	for _, f := range CheckStacks(stacks, sups).Findings {
		if f.SuppressedBy == "" {
			out = append(out, f.Rule.ID+"@"+f.Path)
		}
	}
	return out
}

func has(list []string, want string) bool {
	for _, s := range list {
		if s == want {
			return true
		}
	}
	return false
}

func TestRules(t *testing.T) {
	named := `"tags": {"Name": "x"}`
	cases := []struct {
		name      string
		resources map[string]string
		prod      bool
		fires     string // RULE@PATH that must fire
		quiet     map[string]string
	}{
		{"PL001 wildcard without acceptance", map[string]string{
			"aws_vpc_endpoint_service.Svc": `{"acceptance_required": false, "allowed_principals": ["*"], ` + named + `}`,
		}, false, "PL001@stack/Svc", map[string]string{
			"aws_vpc_endpoint_service.Svc": `{"acceptance_required": true, "allowed_principals": ["*"], ` + named + `}`,
		}},
		{"PL001 wildcard principal resource", map[string]string{
			"aws_vpc_endpoint_service.Svc":                      `{"acceptance_required": false, ` + named + `}`,
			"aws_vpc_endpoint_service_allowed_principal.Anyone": `{"vpc_endpoint_service_id": "${aws_vpc_endpoint_service.Svc.id}", "principal_arn": "*"}`,
		}, false, "PL001@stack/Anyone", nil},
		{"PL002 endpoint open to the internet", map[string]string{
			"aws_vpc_endpoint.Ep":                        `{"security_group_ids": ["${aws_security_group.Sg.id}"], ` + named + `}`,
			"aws_security_group.Sg":                      `{` + named + `}`,
			"aws_vpc_security_group_ingress_rule.Anyone": `{"security_group_id": "${aws_security_group.Sg.id}", "cidr_ipv4": "0.0.0.0/0"}`,
		}, false, "PL002@stack/Anyone", map[string]string{
			"aws_vpc_endpoint.Ep":                     `{"security_group_ids": ["${aws_security_group.Sg.id}"], ` + named + `}`,
			"aws_security_group.Sg":                   `{` + named + `}`,
			"aws_vpc_security_group_ingress_rule.Vpc": `{"security_group_id": "${aws_security_group.Sg.id}", "cidr_ipv4": "10.20.0.0/16"}`,
			// An open rule on a group no endpoint uses is not this rule's business.
			"aws_security_group.Other":                `{` + named + `}`,
			"aws_vpc_security_group_ingress_rule.Web": `{"security_group_id": "${aws_security_group.Other.id}", "cidr_ipv4": "0.0.0.0/0"}`,
		}},
		{"PL002 IPv6 and inline", map[string]string{
			"aws_vpc_endpoint.Ep":   `{"security_group_ids": ["${aws_security_group.Sg.id}"], ` + named + `}`,
			"aws_security_group.Sg": `{"ingress": [{"ipv6_cidr_blocks": ["::/0"]}], ` + named + `}`,
		}, false, "PL002@stack/Sg", nil},
		{"PL003 plain HTTP beside a certificate", map[string]string{
			"aws_alb.Web":           `{"internal": false, "drop_invalid_header_fields": true, ` + named + `}`,
			"aws_alb_listener.Tls":  `{"load_balancer_arn": "${aws_alb.Web.arn}", "protocol": "HTTPS", "port": 443, "certificate_arn": "arn:cert", ` + named + `}`,
			"aws_alb_listener.Http": `{"load_balancer_arn": "${aws_alb.Web.arn}", "protocol": "HTTP", "port": 80, "default_action": [{"type": "fixed-response"}], ` + named + `}`,
		}, false, "PL003@stack/Http", map[string]string{
			"aws_alb.Web":           `{"internal": false, "drop_invalid_header_fields": true, ` + named + `}`,
			"aws_alb_listener.Tls":  `{"load_balancer_arn": "${aws_alb.Web.arn}", "protocol": "HTTPS", "port": 443, "certificate_arn": "arn:cert", ` + named + `}`,
			"aws_alb_listener.Http": `{"load_balancer_arn": "${aws_alb.Web.arn}", "protocol": "HTTP", "port": 80, "default_action": [{"type": "redirect", "redirect": {"protocol": "HTTPS"}}], ` + named + `}`,
		}},
		{"PL003 not without a certificate", nil, false, "", map[string]string{
			"aws_alb.Web":           `{"internal": false, "drop_invalid_header_fields": true, ` + named + `}`,
			"aws_alb_listener.Http": `{"load_balancer_arn": "${aws_alb.Web.arn}", "protocol": "HTTP", "port": 80, ` + named + `}`,
		}},
		{"PL004 invalid headers", map[string]string{
			"aws_lb.Web": `{"load_balancer_type": "application", ` + named + `}`,
		}, false, "PL004@stack/Web", map[string]string{
			"aws_lb.Web": `{"load_balancer_type": "application", "drop_invalid_header_fields": true, ` + named + `}`,
			"aws_lb.Nlb": `{"load_balancer_type": "network", ` + named + `}`,
		}},
		{"PL005 production NLB", map[string]string{
			"aws_lb.Nlb":                   `{"load_balancer_type": "network", "enable_deletion_protection": false, ` + named + `}`,
			"aws_vpc_endpoint_service.Svc": `{"acceptance_required": true, "lifecycle": {"prevent_destroy": true}, ` + named + `}`,
		}, true, "PL005@stack/Nlb", map[string]string{
			"aws_lb.Nlb":                   `{"load_balancer_type": "network", "enable_deletion_protection": true, ` + named + `}`,
			"aws_vpc_endpoint_service.Svc": `{"acceptance_required": true, "lifecycle": {"prevent_destroy": true}, ` + named + `}`,
		}},
		{"PL005 production service", map[string]string{
			"aws_vpc_endpoint_service.Svc": `{"acceptance_required": true, ` + named + `}`,
		}, true, "PL005@stack/Svc", nil},
		{"PL006 Name tag", map[string]string{
			"aws_vpc.Vpc": `{"cidr_block": "10.0.0.0/16"}`,
		}, false, "PL006@stack/Vpc", map[string]string{
			"aws_vpc.Vpc":                      `{"cidr_block": "10.0.0.0/16", ` + named + `}`,
			"aws_lb_target_group_attachment.A": `{}`, // not taggable
		}},
		{"PL007 HTTP check on HTTPS listener", map[string]string{
			"aws_alb.Web":                        `{"drop_invalid_header_fields": true, "internal": true, ` + named + `}`,
			"aws_alb_listener.Tls":               `{"load_balancer_arn": "${aws_alb.Web.arn}", "protocol": "HTTPS", "port": 443, ` + named + `}`,
			"aws_lb_target_group.Tg":             `{"target_type": "alb", "port": 443, "health_check": {"protocol": "HTTP"}, ` + named + `}`,
			"aws_lb_target_group_attachment.Att": `{"target_group_arn": "${aws_lb_target_group.Tg.arn}", "target_id": "${aws_alb.Web.arn}", "port": 443}`,
		}, false, "PL007@stack/Tg", map[string]string{
			"aws_alb.Web":                        `{"drop_invalid_header_fields": true, "internal": true, ` + named + `}`,
			"aws_alb_listener.Tls":               `{"load_balancer_arn": "${aws_alb.Web.arn}", "protocol": "HTTPS", "port": 443, ` + named + `}`,
			"aws_lb_target_group.Tg":             `{"target_type": "alb", "port": 443, "health_check": {"protocol": "HTTPS"}, ` + named + `}`,
			"aws_lb_target_group_attachment.Att": `{"target_group_arn": "${aws_lb_target_group.Tg.arn}", "target_id": "${aws_alb.Web.arn}", "port": 443}`,
		}},
		{"PL007 unset check defaults to HTTP", map[string]string{
			"aws_alb.Web":                        `{"drop_invalid_header_fields": true, "internal": true, ` + named + `}`,
			"aws_alb_listener.Tls":               `{"load_balancer_arn": "${aws_alb.Web.arn}", "protocol": "HTTPS", "port": 443, ` + named + `}`,
			"aws_lb_target_group.Tg":             `{"target_type": "alb", "port": 443, ` + named + `}`,
			"aws_lb_target_group_attachment.Att": `{"target_group_arn": "${aws_lb_target_group.Tg.arn}", "target_id": "${aws_alb.Web.arn}", "port": 443}`,
		}, false, "PL007@stack/Tg", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.fires != "" {
				st := []Stack{{Name: "stack", Doc: doc(t, tc.resources, "provider", ownerProvider), Production: tc.prod}}
				got := ids(st)
				if !has(got, tc.fires) {
					t.Fatalf("%s did not fire; findings: %v", tc.fires, got)
				}
				rule, path, _ := strings.Cut(tc.fires, "@")
				sup := Suppression{Rule: rule, Path: path, Reason: "accepted for this test on purpose"}
				if after := ids(st, sup); has(after, tc.fires) {
					t.Errorf("%s still fires when suppressed: %v", tc.fires, after)
				}
				// A suppression of another rule or another construct changes nothing.
				other := Suppression{Rule: "PL006", Path: "stack/Elsewhere", Reason: "accepted for this test on purpose"}
				if rule == "PL006" {
					other.Rule = "PL004"
				}
				if after := ids(st, other); !has(after, tc.fires) {
					t.Errorf("an unrelated suppression silenced %s", tc.fires)
				}
			}
			if tc.quiet != nil {
				st := []Stack{{Name: "stack", Doc: doc(t, tc.quiet, "provider", ownerProvider), Production: tc.prod}}
				if got := ids(st); len(got) != 0 {
					t.Errorf("a compliant stack has findings: %v", got)
				}
			}
		})
	}
}

func TestOwnerWarningOncePerStack(t *testing.T) {
	d := doc(t, map[string]string{
		"aws_vpc.A": `{"tags": {"Name": "a"}}`,
		"aws_vpc.B": `{"tags": {"Name": "b"}}`,
	})
	r := CheckStacks([]Stack{{Name: "stack", Doc: d}}, nil)
	w := r.Warnings()
	if len(w) != 1 || w[0].Path != "stack" || !strings.Contains(w[0].Detail, "no Owner tag") {
		t.Errorf("want one Owner warning for the stack, got %v", w)
	}
	if len(r.Errors()) != 0 {
		t.Errorf("tags are warnings, got errors %v", r.Errors())
	}
}

func TestSuppressionsCoverChildrenAndReportStaleOnes(t *testing.T) {
	d := doc(t, map[string]string{"aws_lb.Web": `{"tags": {"Name": "x"}}`}, "provider", ownerProvider)
	st := []Stack{{Name: "stack", Doc: d}}
	r := CheckStacks(st, []Suppression{
		{Rule: "PL004", Path: "stack", Reason: "the whole stack is a lab"},
		{Rule: "PL001", Path: "stack/Nothing", Reason: "left over from a refactor"},
	})
	if len(r.Errors()) != 0 {
		t.Errorf("a suppression on the stack should cover its resources: %v", r.Errors())
	}
	if len(r.Findings) != 1 || r.Findings[0].SuppressedBy != "the whole stack is a lab" {
		t.Errorf("suppressed findings keep their reason: %+v", r.Findings)
	}
	if len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "PL001 on stack/Nothing matched no finding") {
		t.Errorf("stale suppression not reported: %v", r.Problems)
	}
	if !within("stack/Web/Child", "stack/Web") || within("stack/WebOther", "stack/Web") {
		t.Error("within must match whole path segments")
	}
}

func TestSuppressionValidate(t *testing.T) {
	good := Suppression{Rule: "PL006", Path: "provider/Alb", Reason: "owned by the web team"}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		s    Suppression
		want string
	}{
		{Suppression{Rule: "PL999", Path: "p", Reason: "long enough reason"}, `rule "PL999": unknown; the rules are PL001,`},
		{Suppression{Rule: "PL001", Reason: "long enough reason"}, "path: required"},
		{Suppression{Rule: "PL001", Path: "p", Reason: "because"}, `reason "because": write why`},
	} {
		if err := tc.s.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.s, err, tc.want)
		}
	}
}

// Validate reports every problem of a suppression, not just the first.
func TestSuppressionValidateReportsEveryProblem(t *testing.T) {
	s := Suppression{Rule: "PL999", Reason: "because"}
	problems := s.Problems()
	if len(problems) != 3 {
		t.Fatalf("want 3 problems (rule, path, reason), got %v", problems)
	}
	err := s.Validate()
	for _, want := range []string{`rule "PL999": unknown`, "path: required", `reason "because": write why`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to say %q", err, want)
		}
	}
	if (Suppression{Rule: "PL001", Path: "p", Reason: "long enough reason"}).Problems() != nil {
		t.Error("a valid suppression has problems")
	}
}

func TestFindingString(t *testing.T) {
	f := Finding{Rule: All()[3], Path: "provider/Alb", Address: "aws_alb.Alb", Detail: "drop_invalid_header_fields is not true"}
	want := "PL004 ALB does not drop invalid header fields (provider/Alb, aws_alb.Alb): drop_invalid_header_fields is not true; " +
		"why: header fields the targets parse differently from the ALB open the way to request smuggling; fix: set drop_invalid_header_fields = true"
	if !strings.HasPrefix(f.String(), want) {
		t.Errorf("String() = %q", f.String())
	}
}

// Every rule says why it exists and how to fix a finding, in one line each.
func TestEveryRuleExplainsItself(t *testing.T) {
	for _, r := range All() {
		if r.Title == "" || r.Why == "" || r.Fix == "" || strings.Contains(r.Why+r.Fix, "\n") {
			t.Errorf("%s: title %q, why %q, fix %q", r.ID, r.Title, r.Why, r.Fix)
		}
	}
}

package rules

import (
	"fmt"
	"regexp"
	"strings"
)

// HealthCheck configures how the NLB checks the ALB. Zero fields take defaults.
type HealthCheck struct {
	// Protocol of the check: "HTTPS" or "HTTP". It must be the protocol of
	// every published ALB listener: an HTTP check against an HTTPS-only
	// listener fails, and the ALB looks unhealthy.
	// Default: the protocol of the ALB listener on that port.
	Protocol string
	// Path requested by the check. Default: "/".
	Path string
	// Matcher lists the HTTP codes that count as healthy, such as "200" or
	// "200-399". Default: "200-399".
	Matcher string
	// IntervalSeconds between checks, 5 to 300. Default: 30.
	IntervalSeconds int
	// TimeoutSeconds before a check fails, 2 to 120, less than the interval.
	// Default: 5.
	TimeoutSeconds int
	// HealthyThreshold is the number of passing checks, 2 to 10, before the
	// ALB counts as healthy. Default: 3.
	HealthyThreshold int
	// UnhealthyThreshold is the number of failing checks, 2 to 10, before the
	// ALB counts as unhealthy. Default: 3.
	UnhealthyThreshold int
}

var matcherRe = regexp.MustCompile(`^[2-4][0-9]{2}([,-][2-4][0-9]{2})*$`)

// WithDefaults is h with every zero field at its default.
func (h HealthCheck) WithDefaults() HealthCheck {
	h.Protocol = strings.ToUpper(h.Protocol)
	if h.Path == "" {
		h.Path = "/"
	}
	if h.Matcher == "" {
		h.Matcher = "200-399"
	}
	if h.IntervalSeconds == 0 {
		h.IntervalSeconds = 30
	}
	if h.TimeoutSeconds == 0 {
		h.TimeoutSeconds = 5
	}
	if h.HealthyThreshold == 0 {
		h.HealthyThreshold = 3
	}
	if h.UnhealthyThreshold == 0 {
		h.UnhealthyThreshold = 3
	}
	return h
}

// Check reports each problem of h through report, with the Go field name
// ("IntervalSeconds") and a problem that starts with the bad value, so
// callers can name the field in their own terms.
func (h HealthCheck) Check(report func(field, problem string)) {
	d := h.WithDefaults()
	if d.Protocol != "" && d.Protocol != "HTTP" && d.Protocol != "HTTPS" {
		report("Protocol", fmt.Sprintf("%q: want \"HTTPS\" or \"HTTP\" (an alb target group checks the ALB over HTTP(S))", h.Protocol))
	}
	if !strings.HasPrefix(d.Path, "/") {
		report("Path", fmt.Sprintf("%q: want an absolute path such as /healthz", h.Path))
	}
	if !matcherRe.MatchString(d.Matcher) {
		report("Matcher", fmt.Sprintf("%q: want HTTP codes from 200 to 499, such as \"200\", \"200,302\" or \"200-399\"", h.Matcher))
	}
	badInterval := d.IntervalSeconds < 5 || d.IntervalSeconds > 300
	if badInterval {
		report("IntervalSeconds", fmt.Sprintf("%d: want 5 to 300", h.IntervalSeconds))
	}
	if d.TimeoutSeconds < 2 || d.TimeoutSeconds > 120 {
		report("TimeoutSeconds", fmt.Sprintf("%d: want 2 to 120", h.TimeoutSeconds))
	} else if d.TimeoutSeconds >= d.IntervalSeconds && !badInterval {
		report("TimeoutSeconds", fmt.Sprintf("%d: must be less than the interval (%d)", d.TimeoutSeconds, d.IntervalSeconds))
	}
	if d.HealthyThreshold < 2 || d.HealthyThreshold > 10 {
		report("HealthyThreshold", fmt.Sprintf("%d: want 2 to 10", h.HealthyThreshold))
	}
	if d.UnhealthyThreshold < 2 || d.UnhealthyThreshold > 10 {
		report("UnhealthyThreshold", fmt.Sprintf("%d: want 2 to 10", h.UnhealthyThreshold))
	}
}

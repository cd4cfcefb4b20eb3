package doctor

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/smithy-go"
)

// Result is one check.
type Result struct {
	Stack  string `json:"stack"`
	Check  string `json:"check"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
	Fix    string `json:"fix,omitempty"`
}

func (r Result) String() string {
	if r.OK {
		s := "ok: " + r.Stack + ": " + r.Check
		if r.Detail != "" {
			s += " (" + r.Detail + ")"
		}
		return s
	}
	s := "PROBLEM: " + r.Stack + ": " + r.Check
	if r.Detail != "" {
		s += ": " + r.Detail
	}
	if r.Fix != "" {
		s += "; fix: " + r.Fix
	}
	return s
}

// Report is every check of a run.
type Report struct {
	Results []Result `json:"results"`
}

// Problems counts the failed checks.
func (r Report) Problems() int {
	n := 0
	for _, res := range r.Results {
		if !res.OK {
			n++
		}
	}
	return n
}

type run struct {
	ctx context.Context
	r   *Report
}

func (x run) ok(stack, check, detail string) {
	x.r.Results = append(x.r.Results, Result{Stack: stack, Check: check, OK: true, Detail: detail})
}

func (x run) problem(stack, check, detail, fix string) {
	x.r.Results = append(x.r.Results, Result{Stack: stack, Check: check, Detail: detail, Fix: fix})
}

// fixFor is the fix for a resource the doctor did not find: missing when
// AWS says it does not exist (or the call found nothing), else a fix for
// the call itself, which says nothing about the deployment.
func fixFor(err error, missing string) string {
	var api smithy.APIError
	if err == nil || (errors.As(err, &api) && strings.Contains(api.ErrorCode(), "NotFound")) {
		return missing
	}
	return "the AWS call failed, which says nothing about the deployment: check the credentials the doctor uses for this stack (the profile or role of the config, else AWS_PROFILE), their region and network, and that they may read it (docs/troubleshooting.md)"
}

func errText(err error) string {
	if err == nil {
		return "not found"
	}
	return err.Error()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

package stacks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/constructs/policy"
)

// SynthResult is what a successful synth leaves for the user.
type SynthResult struct {
	App *App
	// Warnings to print: notes such as a plain-HTTP demo, policy warnings,
	// and suppressions that matched nothing.
	Warnings []string
}

// PolicyErrors are the policy findings that fail a synth.
type PolicyErrors []policy.Finding

func (p PolicyErrors) Error() string {
	lines := make([]string, len(p))
	for i, f := range p {
		lines[i] = "policy " + f.String()
	}
	return strings.Join(lines, "\n")
}

// BuildFunc builds the stacks of cfg into app; Build is the real one.
type BuildFunc func(app constructs.Construct, cfg AppConfig) (*App, error)

// Synth builds cfg's stacks, synthesizes them and runs the policy rules,
// all in a staging folder beside outdir; only when everything passed are
// the files moved into outdir (other files there, such as .terraform
// folders from deploys, stay). A config error, a policy error or a jsii
// panic returns an error and leaves outdir exactly as it was.
func Synth(cfg AppConfig, outdir string) (*SynthResult, error) {
	return SynthWith(cfg, outdir, Build)
}

// SynthWith is Synth with another build function (tests use it to
// simulate a failure inside cdktf).
func SynthWith(cfg AppConfig, outdir string, build BuildFunc) (res *SynthResult, err error) {
	if err := cfg.WithDefaults().Validate(); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(outdir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, err
	}
	staging, err := os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".staging-")
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	defer os.RemoveAll(staging)
	defer func() {
		// jsii reports errors from the Node side as panics.
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("synth failed: %s", firstLine(fmt.Sprint(r)))
		}
	}()

	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(staging)})
	built, err := build(app, cfg)
	if err != nil {
		return nil, err
	}
	app.Synth()

	report, err := policy.Check(app, staging, cfg.Policy.Suppressions)
	if err != nil {
		return nil, err
	}
	if errs := report.Errors(); len(errs) > 0 {
		return nil, PolicyErrors(errs)
	}
	res = &SynthResult{App: built}
	if built.Provider != nil {
		res.Warnings = append(res.Warnings, built.Provider.Notes...)
	}
	for _, f := range report.Warnings() {
		res.Warnings = append(res.Warnings, "policy "+f.String())
	}
	res.Warnings = append(res.Warnings, report.Problems...)
	if err := publish(staging, abs); err != nil {
		return nil, fmt.Errorf("synth: writing %s: %w", outdir, err)
	}
	return res, nil
}

// publish moves every file of staging into outdir, the manifest last, so a
// reader never sees a manifest naming stacks that are not written yet.
func publish(staging, outdir string) error {
	var files []string
	err := filepath.WalkDir(staging, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(staging, path)
		if err == nil && rel != "manifest.json" {
			files = append(files, rel)
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, rel := range append(files, "manifest.json") {
		dst := filepath.Join(outdir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(staging, rel), dst); err != nil {
			return err
		}
	}
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// IsConfigError tells whether err is a configuration problem (as opposed to
// a policy finding or a failure inside cdktf).
func IsConfigError(err error) bool {
	var ce ConfigErrors
	return errors.As(err, &ce)
}

package stacks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/policy"
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
type BuildFunc func(app constructs.Construct, cfg config.Resolved) (*App, error)

// Synth builds cfg's stacks, synthesizes them and runs the policy rules,
// all in a staging folder inside outdir (so moving files out of it never
// crosses file systems); only when everything passed are the files moved
// into place (other files there, such as .terraform folders from deploys,
// stay). A policy error or a jsii panic returns an error and leaves outdir
// exactly as it was (a config error never gets here: see config.Resolve).
// With cdktf synth --hcl (SYNTH_HCL_OUTPUT=true) each stack is written as
// cdk.tf, rendered from the JSON the policy rules checked.
func Synth(cfg config.Resolved, outdir string) (*SynthResult, error) {
	return SynthWith(cfg, outdir, Build)
}

// SynthWith is Synth with another build function (tests use it to
// simulate a failure inside cdktf).
func SynthWith(cfg config.Resolved, outdir string, build BuildFunc) (res *SynthResult, err error) {
	if !cfg.IsResolved() {
		return nil, errUnresolved
	}
	hclOut, err := hclRequested()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(outdir)
	if err != nil {
		return nil, err
	}
	_, statErr := os.Stat(abs)
	created := os.IsNotExist(statErr)
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	removeStaleStaging(abs)
	staging, err := os.MkdirTemp(abs, fmt.Sprintf("%s%d-", stagingPrefix, os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	defer func() {
		os.RemoveAll(staging)
		if err != nil && created {
			os.Remove(abs) // only if still empty: we made it for nothing
		}
	}()
	defer func() {
		// jsii reports errors from the Node side as panics; a Go runtime
		// error is a bug and keeps its trace.
		if r := recover(); r != nil {
			if _, isBug := r.(runtime.Error); isBug {
				panic(r)
			}
			res, err = nil, fmt.Errorf("synth failed: %s", firstLine(fmt.Sprint(r)))
		}
	}()

	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(staging)})
	if cwd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(filepath.Join(abs, "stacks", "x"), cwd); err == nil {
			app.Node().SetContext(jsii.String(projectContext), jsii.String(filepath.ToSlash(rel)))
		}
	}
	built, err := build(app, cfg)
	if err != nil {
		return nil, err
	}
	app.Synth()
	if hclOut {
		if err := jsonStacks(app, staging); err != nil {
			return nil, err
		}
	}

	report, err := policy.Check(app, staging, cfg.Policy.RuleSuppressions())
	if err != nil {
		return nil, err
	}
	if errs := report.Errors(); len(errs) > 0 {
		return nil, PolicyErrors(errs)
	}
	if hclOut {
		if err := writeHCL(staging); err != nil {
			return nil, err
		}
	}
	res = &SynthResult{App: built}
	if built.Provider != nil {
		res.Warnings = append(res.Warnings, built.Provider.Notes...)
	}
	for _, f := range report.Warnings() {
		res.Warnings = append(res.Warnings, "policy "+f.String())
	}
	res.Warnings = append(res.Warnings, report.Problems...)
	publishing.Lock()
	defer publishing.Unlock()
	if aborted {
		return nil, errors.New("synth: interrupted before publishing")
	}
	if err := publish(staging, abs); err != nil {
		return nil, &PublishError{Outdir: outdir, Err: err}
	}
	published = true
	return res, nil
}

var (
	// publishing is held while a synth moves files into an output folder,
	// so that Abort never cuts a publish in half.
	publishing sync.Mutex
	aborted    bool // Abort was called: publish nothing more
	published  bool // this process published a synth
)

// Abort stops this process's synths from touching their output folder, for
// a process about to exit on a signal: it waits for a publish in progress
// to finish, removes this process's staging folders from outdir, and says
// whether this process had already published (so the previous output is
// no longer there to be unchanged).
func Abort(outdir string) (alreadyPublished bool) {
	publishing.Lock() // kept: the process exits
	aborted = true
	own, _ := filepath.Glob(filepath.Join(outdir, fmt.Sprintf("%s%d-*", stagingPrefix, os.Getpid())))
	for _, dir := range own {
		os.RemoveAll(dir)
	}
	return published
}

// stagingPrefix names the staging folders inside the output folder.
const stagingPrefix = ".staging-"

// staleAfter is the age past which a staging folder belongs to a synth
// that died (killed, or the machine went down): no synth takes this long,
// and a younger folder may be another synth's, still running.
const staleAfter = 15 * time.Minute

// removeStaleStaging deletes staging folders that dead synths left.
func removeStaleStaging(outdir string) {
	stale, _ := filepath.Glob(filepath.Join(outdir, stagingPrefix+"*"))
	for _, dir := range stale {
		if info, err := os.Stat(dir); err == nil && time.Since(info.ModTime()) > staleAfter {
			os.RemoveAll(dir)
		}
	}
}

// PublishError is a failure while moving a checked synth into place: the
// output folder may then hold a mix of old and new files.
type PublishError struct {
	Outdir string
	Err    error
}

func (e *PublishError) Error() string {
	return fmt.Sprintf("synth: moving the new files into %s failed midway (%v); it may mix old and new files: fix the cause and synth again", e.Outdir, e.Err)
}

func (e *PublishError) Unwrap() error { return e.Err }

// publish moves every file of staging into outdir, the manifest last, so a
// reader never sees a manifest naming stacks that are not written yet, and
// then removes the stack folders (those with a cdk.tf.json or cdk.tf) of
// stacks this synth no longer has, so outdir/stacks holds exactly the
// current stacks. A stack folder keeps one format: JSON after a synth,
// HCL after a synth --hcl.
// What Terraform left in a current stack's folder stays; nothing else in
// outdir/stacks is touched.
func publish(staging, outdir string) error {
	current, err := os.ReadDir(filepath.Join(staging, "stacks"))
	if err != nil {
		return err
	}
	var files []string
	err = filepath.WalkDir(staging, func(path string, d fs.DirEntry, err error) error {
		if d != nil && d.IsDir() && path != staging && strings.HasPrefix(d.Name(), stagingPrefix) {
			return fs.SkipDir
		}
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
	// The other format's files go once the manifest names the new ones.
	for _, rel := range files {
		for _, stale := range otherFormat(filepath.ToSlash(rel)) {
			if err := os.Remove(filepath.Join(outdir, filepath.Dir(rel), stale)); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
	}
	if err := pruneAssets(outdir, current, files); err != nil {
		return err
	}
	entries, err := os.ReadDir(filepath.Join(outdir, "stacks"))
	if err != nil {
		return err
	}
	for _, d := range entries {
		dir := filepath.Join(outdir, "stacks", d.Name())
		if !d.IsDir() || !isStackFolder(dir) {
			continue // not a stack folder
		}
		if !slices.ContainsFunc(current, func(c os.DirEntry) bool { return c.Name() == d.Name() }) {
			if err := os.RemoveAll(dir); err != nil {
				return err
			}
		}
	}
	return nil
}

// pruneAssets removes the asset versions (stacks/STACK/assets/NAME/HASH)
// of the current stacks that this synth did not write: an older build of
// the probe, or the asset of a probe since turned off.
func pruneAssets(outdir string, current []os.DirEntry, files []string) error {
	keep := map[string]bool{}
	for _, rel := range files {
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if len(parts) > 5 && parts[0] == "stacks" && parts[2] == "assets" {
			keep[strings.Join(parts[:5], "/")] = true
		}
	}
	versions, err := filepath.Glob(filepath.Join(outdir, "stacks", "*", "assets", "*", "*"))
	if err != nil {
		return err
	}
	for _, dir := range versions {
		rel, _ := filepath.Rel(outdir, dir)
		stack := strings.Split(filepath.ToSlash(rel), "/")[1]
		if !slices.ContainsFunc(current, func(c os.DirEntry) bool { return c.Name() == stack }) {
			continue // not a current stack: removed whole below
		}
		if keep[filepath.ToSlash(rel)] {
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		// the asset's folder, and assets/, once empty
		for _, parent := range []string{filepath.Dir(dir), filepath.Dir(filepath.Dir(dir))} {
			if left, _ := os.ReadDir(parent); len(left) == 0 {
				os.Remove(parent)
			}
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

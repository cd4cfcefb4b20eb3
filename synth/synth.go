package synth

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
	"github.com/alb-privatelink/alb-privatelink/stacks"
)

// Result is what a successful synth leaves for the user.
type Result struct {
	App *stacks.App
	// Warnings to print, one line each: notes such as a plain-HTTP demo,
	// policy warnings, and suppressions that matched nothing.
	Warnings []string
	// Suppressed are the findings that suppressions exempted (Audit prints
	// one; SuppressionsFile lists them all).
	Suppressed []policy.Finding
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

// BuildFunc builds the stacks of cfg into app; stacks.Build is the real one.
type BuildFunc func(app constructs.Construct, cfg config.Resolved) (*stacks.App, error)

// Synthesizer synthesizes into one output folder. Abort, from another
// goroutine (a signal handler), stops it from touching the folder. Each
// value keeps its own state: two synths never share a lock or a flag.
type Synthesizer struct {
	// Outdir is the output folder (cdktf.out).
	Outdir string
	// Build builds the stacks; nil means stacks.Build. Tests set another
	// to simulate a failure inside cdktf.
	Build BuildFunc

	// mu is held while a synth moves files into Outdir, so that Abort
	// never cuts a publish in half.
	mu        sync.Mutex
	aborted   bool     // Abort was called: publish nothing more
	published bool     // this Synthesizer published a synth
	staging   []string // its staging folders still on disk
}

// Run is (&Synthesizer{Outdir: outdir}).Run(cfg).
func Run(cfg config.Resolved, outdir string) (*Result, error) {
	return (&Synthesizer{Outdir: outdir}).Run(cfg)
}

// RunWith is Run with another build function.
func RunWith(cfg config.Resolved, outdir string, build BuildFunc) (*Result, error) {
	return (&Synthesizer{Outdir: outdir, Build: build}).Run(cfg)
}

// Run builds cfg's stacks, synthesizes them and runs the policy rules,
// all in a staging folder inside Outdir (so moving files out of it never
// crosses file systems); only when everything passed are the files moved
// into place (other files there, such as .terraform folders from deploys,
// stay). A policy error or a jsii panic returns an error and leaves Outdir
// exactly as it was (a config error never gets here: see config.Resolve).
// With cdktf synth --hcl (SYNTH_HCL_OUTPUT=true) each stack is written as
// cdk.tf, rendered from the JSON the policy rules checked.
func (s *Synthesizer) Run(cfg config.Resolved) (res *Result, err error) {
	if !cfg.IsResolved() {
		return nil, stacks.ErrUnresolved
	}
	hclOut, err := hclRequested()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(s.Outdir)
	if err != nil {
		return nil, err
	}
	_, statErr := os.Stat(abs)
	created := os.IsNotExist(statErr)
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	removeStaleStaging(abs)
	staging, err := s.newStaging(abs)
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	defer func() {
		s.removeStaging(staging)
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
	res, err = s.synthesize(cfg, abs, staging, hclOut)
	if err != nil {
		return nil, err
	}
	if err := s.publish(staging, abs); err != nil {
		return nil, err
	}
	return res, nil
}

// synthesize builds, synthesizes and checks cfg's stacks in staging.
func (s *Synthesizer) synthesize(cfg config.Resolved, abs, staging string, hclOut bool) (*Result, error) {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(staging)})
	if cwd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(filepath.Join(abs, "stacks", "x"), cwd); err == nil {
			app.Node().SetContext(jsii.String(stacks.ProjectContext), jsii.String(filepath.ToSlash(rel)))
		}
	}
	build := s.Build
	if build == nil {
		build = stacks.Build
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
	res := &Result{App: built, Suppressed: report.Suppressed()}
	if err := writeSuppressions(staging, res.Suppressed); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	if built.Provider != nil {
		res.Warnings = append(res.Warnings, built.Provider.Notes...)
	}
	for _, f := range report.Warnings() {
		res.Warnings = append(res.Warnings, warning(f))
	}
	res.Warnings = append(res.Warnings, report.Problems...)
	return res, nil
}

// publish moves a checked synth into place, unless Abort came first.
func (s *Synthesizer) publish(staging, abs string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted {
		return errors.New("synth: interrupted before publishing")
	}
	if err := publish(staging, abs); err != nil {
		return &PublishError{Outdir: s.Outdir, Err: err}
	}
	s.published = true
	return nil
}

// newStaging makes a staging folder inside outdir and records it.
func (s *Synthesizer) newStaging(outdir string) (string, error) {
	dir, err := os.MkdirTemp(outdir, fmt.Sprintf("%s%d-", stagingPrefix, os.Getpid()))
	if err == nil {
		s.mu.Lock()
		s.staging = append(s.staging, dir)
		s.mu.Unlock()
	}
	return dir, err
}

func (s *Synthesizer) removeStaging(dir string) {
	os.RemoveAll(dir)
	s.mu.Lock()
	s.staging = slices.DeleteFunc(s.staging, func(d string) bool { return d == dir })
	s.mu.Unlock()
}

// Abort stops s from touching its output folder, for a process about to
// exit on a signal: it waits for a publish in progress to finish, removes
// s's staging folders, and says whether s had already published (so the
// previous output is no longer there to be unchanged). s stays locked.
func (s *Synthesizer) Abort() (alreadyPublished bool) {
	s.mu.Lock() // kept: the process exits
	s.aborted = true
	for _, dir := range s.staging {
		os.RemoveAll(dir)
	}
	return s.published
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

// Package eject writes the app's stacks as plain Terraform: one root module
// per stack, in readable .tf files a team can commit and own, for leaving
// CDKTF (deprecated upstream) without touching a resource.
//
// What it keeps, so that the ejected code takes over the deployed state
// with no changes planned:
//   - every resource and data source address (the logical IDs cdktf
//     deployed them under), every argument, and every output name (other
//     stacks read them through terraform_remote_state);
//   - the backend settings; a local state path, which cdktf writes relative
//     to its stack folder, is rewritten relative to the new folder, so it
//     names the same file;
//   - the provider version constraint, and the lock file of a deploy.
//
// internal/tfhcl renders a stack's blocks, grouped by kind; this package
// lays them out as a module's files (module.go).
package eject

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/synth"
)

// Result is what an eject wrote.
type Result struct {
	Dir string
	// Stacks in the order to apply them.
	Stacks []string
	// Relocated lists each local state path that was rewritten.
	Relocated []string
	// Assets lists the stacks whose assets folder was copied.
	Assets []string
	// Locked lists the stacks whose deploy lock file was copied.
	Locked []string
	// Warnings of the synth (policy warnings, notes).
	Warnings []string
	// Suppressed are the synth's suppressed findings (synth.Audit).
	Suppressed []string
}

// Options change what Run accepts.
type Options struct {
	// AllowMissingState writes the modules even where a local state file
	// they name does not exist (nothing was deployed from here yet).
	// Default: refuse, because a missing file means eject ran in another
	// folder than the deploys, and the modules would plan to create
	// everything again.
	AllowMissingState bool
}

// Run synthesizes cfg with every check a synth makes (config, policy) and
// writes each stack to dir/STACK. cdktfOut is the output folder cdktf
// deploys from (cdktf.out): the lock files there are copied. It must run
// in the project folder, as cdktf does, for local state paths to resolve
// to the files cdktf used. dir must not exist, or be empty: an eject
// never overwrites a file.
func Run(cfg config.Resolved, cdktfOut, dir string, opts Options) (*Result, error) {
	if os.Getenv("SYNTH_HCL_OUTPUT") == "true" {
		return nil, errors.New("eject: unset SYNTH_HCL_OUTPUT (eject writes HCL itself)")
	}
	target, err := resolveTarget(dir)
	if err != nil {
		return nil, err
	}
	synthDir, err := os.MkdirTemp("", "alb-privatelink-eject-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(synthDir)
	out, err := synth.Run(cfg, synthDir)
	if err != nil {
		return nil, err
	}
	staging, err := newStaging(target)
	if err != nil {
		return nil, err
	}
	defer untrack(staging)

	res := &Result{Dir: dir, Stacks: out.App.StackNames(), Warnings: out.Warnings}
	for _, f := range out.Suppressed {
		res.Suppressed = append(res.Suppressed, synth.Audit(f))
	}
	var missing []string
	for _, name := range res.Stacks {
		m, err := ejectStack(name, stackDirs{
			synth:    filepath.Join(synthDir, "stacks", name),
			deployed: filepath.Join(cdktfOut, "stacks", name),
			target:   filepath.Join(target, name),
			staging:  filepath.Join(staging, name),
		}, res)
		if err != nil {
			return nil, err
		}
		missing = append(missing, m...)
	}
	if len(missing) > 0 && !opts.AllowMissingState {
		return nil, fmt.Errorf("eject: no state where these stacks say it is, so their first plan would create everything again:\n%s\nrun eject in the folder you deploy from (where cdktf keeps terraform.STACK.tfstate), or pass -allow-missing-state if nothing was deployed yet", strings.Join(missing, "\n"))
	}
	if err := writeTop(staging, res); err != nil {
		return nil, err
	}
	os.Remove(target) // empty, if it exists (checked above)
	if err := os.Rename(staging, target); err != nil {
		return nil, fmt.Errorf("eject: %w", err)
	}
	return res, nil
}

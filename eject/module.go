package eject

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/alb-privatelink/alb-privatelink/internal/tfhcl"
)

// moduleFiles lay out an ejected root module: the file each section of a
// stack goes in, and the comment it opens with. A section the stack does
// not have is no file (a stack without variables has no variables.tf).
var moduleFiles = map[tfhcl.Kind]struct{ name, header string }{
	tfhcl.Terraform:   {"versions.tf", "Terraform and provider versions, and where the state is kept."},
	tfhcl.Providers:   {"providers.tf", "Provider configurations."},
	tfhcl.Variables:   {"variables.tf", "Input variables and locals."},
	tfhcl.RemoteState: {"remote_state.tf", "Cross-stack reads: outputs of the stacks this one depends on."},
	tfhcl.Resources:   {"main.tf", "Resources and data sources. Each block's name is the logical ID it was\ndeployed with (its Terraform address): renaming one makes Terraform\ndestroy and recreate it. The comment above a block is its construct path."},
	tfhcl.Outputs:     {"outputs.tf", "Outputs (other stacks read some of them by name: keep the names)."},
}

// stackIntro opens versions.tf: where the module came from, and the rule
// that keeps its state sound.
func stackIntro(stack string) string {
	return fmt.Sprintf(`Stack %s, ejected from the alb-privatelink CDKTF app: plain Terraform
from here on. The state stays where cdktf kept it (the backend below);
the first plan here says "No changes". Do not deploy this stack with
cdktf again: two sources for one state would undo each other.`, stack)
}

// writeModule writes doc, the Terraform JSON of stack, as the .tf files
// of a root module in out.
func writeModule(out, stack string, doc map[string]any) error {
	sections, err := tfhcl.Sections(doc)
	if err != nil {
		return fmt.Errorf("eject: stack %s: %w", stack, err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("eject: %w", err)
	}
	for _, s := range sections {
		file, ok := moduleFiles[s.Kind]
		if !ok {
			return fmt.Errorf("eject: stack %s: no file for its %s (a bug)", stack, s.Kind)
		}
		comments := []string{file.header}
		if s.Kind == tfhcl.Terraform {
			comments = []string{stackIntro(stack), file.header}
		}
		body, err := s.Bytes(comments...)
		if err != nil {
			return fmt.Errorf("eject: stack %s: %w", stack, err)
		}
		if err := os.WriteFile(filepath.Join(out, file.name), body, 0o644); err != nil {
			return fmt.Errorf("eject: %w", err)
		}
	}
	return nil
}

// stackDirs are the folders one stack's eject reads and writes.
type stackDirs struct {
	synth    string // its synth (cdk.tf.json, assets/)
	deployed string // its folder in cdktf.out, where a deploy left its lock file
	target   string // its folder once the eject is in place (state paths are relative to it)
	staging  string // where it is written
}

// ejectStack writes one stack's module, assets and lock file, and
// records them in res. It returns the local state files the module names
// that do not exist.
func ejectStack(name string, d stackDirs, res *Result) ([]string, error) {
	raw, err := os.ReadFile(filepath.Join(d.synth, "cdk.tf.json"))
	if err != nil {
		return nil, fmt.Errorf("eject: %w", err)
	}
	doc, err := tfhcl.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("eject: stack %s: %w", name, err)
	}
	moved, err := relocate(doc, d.synth, d.target)
	if err != nil {
		return nil, fmt.Errorf("eject: stack %s: %w", name, err)
	}
	var missing []string
	for _, m := range moved {
		res.Relocated = append(res.Relocated, name+": "+m.String())
		if _, err := os.Stat(m.file); os.IsNotExist(err) {
			missing = append(missing, fmt.Sprintf("%s: %s", name, m.String()))
		}
	}
	if err := writeModule(d.staging, name, doc); err != nil {
		return nil, err
	}
	// Files the stack names by relative path, such as the probe's
	// function (assets/.../function.zip), come along.
	if n, err := copyTree(filepath.Join(d.synth, "assets"), filepath.Join(d.staging, "assets")); err != nil {
		return nil, fmt.Errorf("eject: stack %s: %w", name, err)
	} else if n > 0 {
		res.Assets = append(res.Assets, name)
	}
	lock, err := os.ReadFile(filepath.Join(d.deployed, ".terraform.lock.hcl"))
	if err == nil {
		if err := os.WriteFile(filepath.Join(d.staging, ".terraform.lock.hcl"), lock, 0o644); err != nil {
			return nil, fmt.Errorf("eject: %w", err)
		}
		res.Locked = append(res.Locked, name)
	} else if !os.IsNotExist(err) {
		return nil, fmt.Errorf("eject: %w", err)
	}
	return missing, nil
}

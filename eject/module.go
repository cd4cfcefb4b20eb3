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

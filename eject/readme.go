package eject

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// writeTop writes the files beside the stack folders: the README and a
// .gitignore.
func writeTop(staging string, res *Result) error {
	if err := os.WriteFile(filepath.Join(staging, "README.md"), []byte(readme(res)), 0o644); err != nil {
		return fmt.Errorf("eject: %w", err)
	}
	// The lock files are the record of what was deployed: keep them in
	// version control even where a parent .gitignore drops them.
	if err := os.WriteFile(filepath.Join(staging, ".gitignore"), []byte(".terraform/\n!.terraform.lock.hcl\n"), 0o644); err != nil {
		return fmt.Errorf("eject: %w", err)
	}
	return nil
}

// readme is the README.md beside the stack folders: the order to apply
// them in, and what each file holds.
func readme(r *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Terraform root modules ejected from alb-privatelink\n\n")
	fmt.Fprintf(&b, "One folder per stack, a root module each. Apply them in this order (later\nstacks read earlier ones' outputs through `terraform_remote_state`, in\n`remote_state.tf`):\n\n")
	for i, s := range r.Stacks {
		fmt.Fprintf(&b, "%d. `%s`\n", i+1, s)
	}
	fmt.Fprintf(&b, `
In each folder:

    terraform init     # or: tofu init
    terraform plan     # first time: "No changes." (the state cdktf deployed)

Files: versions.tf (Terraform, provider version, backend), providers.tf,
remote_state.tf (cross-stack reads), main.tf (resources; the comment above
each is the construct path it came from), outputs.tf.

Keep the resource names (they are the addresses in the state) and the output
names (other stacks read them). To rename a resource, add a moved block.
`)
	if len(r.Assets) > 0 {
		fmt.Fprintf(&b, "\n`assets/` in %s holds the connectivity probe's function as built at eject\n(a zip: one executable `bootstrap` for provided.al2023 on arm64), which\nmain.tf names by path: commit it. To rebuild it from the probe's source (in\nalb-privatelink: `GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -trimpath\n-buildvcs=false -ldflags=\"-s -w\" -o bootstrap ./probe/bootstrap`, then zip it),\nalso change the function's `source_code_hash` in main.tf: Terraform updates the\ncode only when that value changes.\n", strings.Join(r.Assets, ", "))
	}
	if len(r.Locked) > 0 {
		fmt.Fprintf(&b, "\n`.terraform.lock.hcl` is the lock file of the last cdktf deploy (the exact\nprovider version and hashes): commit it.\n")
	}
	return b.String()
}

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
package eject

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/internal/tfhcl"
	"github.com/alb-privatelink/alb-privatelink/stacks"
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
	target, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	// Paths are computed between real folders: a ".." in a state path
	// climbs the physical tree, not the symlink the path was typed through.
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return nil, fmt.Errorf("eject: %w", err)
	}
	if real, err := filepath.EvalSymlinks(filepath.Dir(target)); err == nil {
		target = filepath.Join(real, filepath.Base(target))
	}
	if real, err := filepath.EvalSymlinks(target); err == nil {
		target = real // DIR itself a symlink to an (empty) folder
	}
	if entries, err := os.ReadDir(target); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("eject: %s is not empty; eject writes a new folder and never overwrites: remove it or choose another", dir)
	} else if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("eject: %w", err)
	}

	synthDir, err := os.MkdirTemp("", "alb-privatelink-eject-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(synthDir)
	synth, err := stacks.Synth(cfg, synthDir)
	if err != nil {
		return nil, err
	}

	// Written next to the target and renamed into place at the end: a
	// failure (or Abort, on Ctrl-C) leaves no half-written folder.
	staging, err := os.MkdirTemp(filepath.Dir(target), "."+filepath.Base(target)+"-")
	if err != nil {
		return nil, fmt.Errorf("eject: %w", err)
	}
	if err := track(staging); err != nil {
		os.RemoveAll(staging)
		return nil, err
	}
	defer untrack(staging)
	if err := os.Chmod(staging, 0o755); err != nil { // MkdirTemp makes it 0700
		return nil, fmt.Errorf("eject: %w", err)
	}
	var missing []string

	res := &Result{Dir: dir, Stacks: synth.App.StackNames(), Warnings: synth.Warnings}
	for _, name := range res.Stacks {
		raw, err := os.ReadFile(filepath.Join(synthDir, "stacks", name, "cdk.tf.json"))
		if err != nil {
			return nil, fmt.Errorf("eject: %w", err)
		}
		doc, err := tfhcl.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("eject: stack %s: %w", name, err)
		}
		moved, err := relocate(doc, filepath.Join(synthDir, "stacks", name), filepath.Join(target, name))
		if err != nil {
			return nil, fmt.Errorf("eject: stack %s: %w", name, err)
		}
		for _, m := range moved {
			res.Relocated = append(res.Relocated, name+": "+m.String())
			if _, err := os.Stat(m.file); os.IsNotExist(err) {
				missing = append(missing, fmt.Sprintf("%s: %s", name, m.String()))
			}
		}
		out := filepath.Join(staging, name)
		if err := writeModule(out, name, doc); err != nil {
			return nil, err
		}
		// Files the stack names by relative path, such as the probe's
		// function (assets/.../function.zip), come along.
		if n, err := copyTree(filepath.Join(synthDir, "stacks", name, "assets"), filepath.Join(out, "assets")); err != nil {
			return nil, fmt.Errorf("eject: stack %s: %w", name, err)
		} else if n > 0 {
			res.Assets = append(res.Assets, name)
		}
		lock, err := os.ReadFile(filepath.Join(cdktfOut, "stacks", name, ".terraform.lock.hcl"))
		if err == nil {
			if err := os.WriteFile(filepath.Join(out, ".terraform.lock.hcl"), lock, 0o644); err != nil {
				return nil, fmt.Errorf("eject: %w", err)
			}
			res.Locked = append(res.Locked, name)
		} else if !os.IsNotExist(err) {
			return nil, fmt.Errorf("eject: %w", err)
		}
	}
	if len(missing) > 0 && !opts.AllowMissingState {
		return nil, fmt.Errorf("eject: no state where these stacks say it is, so their first plan would create everything again:\n%s\nrun eject in the folder you deploy from (where cdktf keeps terraform.STACK.tfstate), or pass -allow-missing-state if nothing was deployed yet", strings.Join(missing, "\n"))
	}
	if err := os.WriteFile(filepath.Join(staging, "README.md"), []byte(readme(res)), 0o644); err != nil {
		return nil, fmt.Errorf("eject: %w", err)
	}
	// The lock files are the record of what was deployed: keep them in
	// version control even where a parent .gitignore drops them.
	if err := os.WriteFile(filepath.Join(staging, ".gitignore"), []byte(".terraform/\n!.terraform.lock.hcl\n"), 0o644); err != nil {
		return nil, fmt.Errorf("eject: %w", err)
	}
	os.Remove(target) // empty, if it exists (checked above)
	if err := os.Rename(staging, target); err != nil {
		return nil, fmt.Errorf("eject: %w", err)
	}
	return res, nil
}

var (
	mu      sync.Mutex
	current string // the staging folder of the eject in progress
	aborted bool
)

func track(staging string) error {
	mu.Lock()
	defer mu.Unlock()
	if aborted {
		return errors.New("eject: interrupted")
	}
	current = staging
	return nil
}

func untrack(staging string) {
	mu.Lock()
	defer mu.Unlock()
	os.RemoveAll(staging) // gone already once renamed into place
	current = ""
}

// Abort removes the staging folder of an eject in progress, for a process
// about to exit on a signal: nothing half-written is left.
func Abort() {
	mu.Lock()
	defer mu.Unlock()
	aborted = true
	if current != "" {
		os.RemoveAll(current)
	}
}

// relocate rewrites the relative local state paths of doc, written for a
// module in from, so that they name the same files from to: the local
// backend's path and the path of each terraform_remote_state that reads a
// local state. It returns what it rewrote.
func relocate(doc map[string]any, from, to string) ([]moved, error) {
	var out []moved
	move := func(cfg map[string]any, what string) error {
		p, ok := cfg["path"].(string)
		if !ok {
			return fmt.Errorf("%s: no path: the state would be terraform.tfstate in the module folder, which eject cannot carry over; give the backend a path", what)
		}
		if strings.Contains(p, "${") {
			return fmt.Errorf("%s: path %q is an expression; eject cannot move it", what, p)
		}
		file := p
		if !filepath.IsAbs(p) {
			file = filepath.Join(from, p)
		}
		if real, err := filepath.EvalSymlinks(filepath.Dir(file)); err == nil {
			file = filepath.Join(real, filepath.Base(file))
		}
		rel := file
		if !filepath.IsAbs(p) {
			r, err := filepath.Rel(to, file)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			rel = filepath.ToSlash(r)
			cfg["path"] = rel
		}
		out = append(out, moved{what: what, path: rel, file: file})
		return nil
	}
	if tf, ok := doc["terraform"].(map[string]any); ok {
		if backends, ok := tf["backend"].(map[string]any); ok {
			if local, ok := backends["local"].(map[string]any); ok {
				if err := move(local, "backend"); err != nil {
					return nil, err
				}
			}
		}
	}
	if data, ok := doc["data"].(map[string]any); ok {
		if reads, ok := data["terraform_remote_state"].(map[string]any); ok {
			for _, name := range slices.Sorted(maps.Keys(reads)) {
				r, _ := reads[name].(map[string]any)
				if backend, _ := r["backend"].(string); backend != "local" {
					continue
				}
				cfg, ok := r["config"].(map[string]any)
				if !ok {
					continue
				}
				if err := move(cfg, "data.terraform_remote_state."+name); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// moved is one local state path of an ejected stack.
type moved struct {
	what, path string // what names it; path as written in the module
	file       string // the file it names
}

func (m moved) String() string { return fmt.Sprintf("%s path %q (%s)", m.what, m.path, m.file) }

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

// copyTree copies the files under src (if it exists) to dst, keeping
// their modes, and counts them.
func copyTree(src, dst string) (int, error) {
	n := 0
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && path == src {
				return filepath.SkipDir
			}
			return err
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		return os.WriteFile(to, b, info.Mode().Perm())
	})
	return n, err
}

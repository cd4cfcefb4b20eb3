package eject

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
)

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

package eject

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// resolveTarget is the absolute, physical path of dir, which must not
// exist or be empty; its parent is created.
func resolveTarget(dir string) (string, error) {
	target, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	// Paths are computed between real folders: a ".." in a state path
	// climbs the physical tree, not the symlink the path was typed through.
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return "", fmt.Errorf("eject: %w", err)
	}
	if real, err := filepath.EvalSymlinks(filepath.Dir(target)); err == nil {
		target = filepath.Join(real, filepath.Base(target))
	}
	if real, err := filepath.EvalSymlinks(target); err == nil {
		target = real // DIR itself a symlink to an (empty) folder
	}
	if entries, err := os.ReadDir(target); err == nil && len(entries) > 0 {
		return "", fmt.Errorf("eject: %s is not empty; eject writes a new folder and never overwrites: remove it or choose another", dir)
	} else if err != nil && !os.IsNotExist(err) {
		return "", fmt.Errorf("eject: %w", err)
	}
	return target, nil
}

// newStaging makes the folder an eject is written in, next to target and
// renamed into place at the end: a failure (or Abort, on Ctrl-C) leaves
// no half-written folder. The caller untracks it when done.
func newStaging(target string) (string, error) {
	staging, err := os.MkdirTemp(filepath.Dir(target), "."+filepath.Base(target)+"-")
	if err != nil {
		return "", fmt.Errorf("eject: %w", err)
	}
	if err := track(staging); err != nil {
		os.RemoveAll(staging)
		return "", err
	}
	if err := os.Chmod(staging, 0o755); err != nil { // MkdirTemp makes it 0700
		untrack(staging)
		return "", fmt.Errorf("eject: %w", err)
	}
	return staging, nil
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

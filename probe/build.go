package probe

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// The function's source, hashed to name the build: the same source gives
// the same hash, whatever Go toolchain builds it, so a synth elsewhere does
// not update the deployed function (nor move the golden snapshots).
//
//go:embed *.go bootstrap/*.go
var source embed.FS

// Module is this module's path, and Package the function's main package.
const (
	Module  = "github.com/alb-privatelink/alb-privatelink"
	Package = Module + "/probe/bootstrap"
)

// Arch is the function's architecture (Graviton: cheaper per GB-second).
const Arch = "arm64"

// buildFlags are part of the hash: changing them changes the binary.
var buildFlags = []string{"-trimpath", "-buildvcs=false", "-ldflags=-s -w"}

// SourceHash is a SHA-256 of the function's source (tests excluded), the
// target and the build flags.
func SourceHash() string {
	h := sha256.New()
	for _, n := range sourceFiles() {
		b, _ := source.ReadFile(n)
		fmt.Fprintf(h, "%s %d\n", n, len(b))
		h.Write(b)
	}
	fmt.Fprintf(h, "linux/%s %s\n", Arch, strings.Join(buildFlags, " "))
	return hex.EncodeToString(h.Sum(nil))
}

// sourceFiles are the embedded source files, tests excluded, sorted.
func sourceFiles() []string {
	var names []string
	fs.WalkDir(source, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, "_test.go") {
			names = append(names, path)
		}
		return nil
	})
	slices.Sort(names)
	return names
}

// Build compiles the function for provided.al2023 on arm64 with the go
// command into a folder holding only the executable "bootstrap": the
// folder a cdktf asset zips. It builds the embedded source in a module of
// its own (the probe needs nothing but the standard library), so it works
// from any folder and whatever module requires this one, offline. Builds
// are kept under cache (a folder per source hash) and reused.
func Build(ctx context.Context, cache string) (dir string, err error) {
	dir = filepath.Join(cache, SourceHash()[:16])
	if _, err := os.Stat(filepath.Join(dir, "bootstrap")); err == nil {
		return dir, nil
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("the connectivity probe is built from source at synth and needs the go command on PATH: %w", err)
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(cache, ".build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, "src")
	files := map[string][]byte{"go.mod": []byte("module " + Module + "\n\ngo 1.22\n")}
	for _, name := range sourceFiles() {
		b, _ := source.ReadFile(name)
		files[filepath.Join("probe", filepath.FromSlash(name))] = b
	}
	for name, b := range files {
		path := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return "", err
		}
	}
	out := filepath.Join(tmp, "out")
	args := append([]string{"build"}, buildFlags...)
	args = append(args, "-o", filepath.Join(out, "bootstrap"), "./probe/bootstrap")
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+Arch, "CGO_ENABLED=0", "GOFLAGS=", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the connectivity probe (go %s): %v\n%s", strings.Join(args, " "), err, b)
	}
	if err := os.Chmod(out, 0o755); err != nil {
		return "", err
	}
	if err := os.Rename(out, dir); err != nil && !exists(filepath.Join(dir, "bootstrap")) {
		return "", err // another synth may have won the race, which is as good
	}
	return dir, nil
}

// DefaultCache is the build cache: the user's cache folder.
func DefaultCache() (string, error) {
	c, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(c, "alb-privatelink", "probe"), nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

package probe

import (
	"archive/zip"
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
	"time"
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

// ZipName is the file Build writes: the function's deployment package.
const ZipName = "function.zip"

// Build compiles the function for provided.al2023 on arm64 with the go
// command and packages it: a zip holding one executable, "bootstrap",
// which is what Lambda runs. It builds the embedded source in a module of
// its own (the probe needs nothing but the standard library), so it works
// from any folder and whatever module requires this one, offline. The
// package is kept under cache (a folder per source hash) and reused, so a
// synth neither compiles nor zips again.
func Build(ctx context.Context, cache string) (zipPath string, err error) {
	dir := filepath.Join(cache, SourceHash()[:16])
	zipPath = filepath.Join(dir, ZipName)
	if _, err := os.Stat(zipPath); err == nil {
		return zipPath, nil
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("the connectivity probe is built from source at synth and needs the go command on PATH: %w", err)
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", fmt.Errorf("the connectivity probe's build cache: %w", err)
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
	bin := filepath.Join(tmp, "bootstrap")
	args := append([]string{"build"}, buildFlags...)
	args = append(args, "-o", bin, "./probe/bootstrap")
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+Arch, "CGO_ENABLED=0", "GOFLAGS=", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the connectivity probe (go %s): %v\n%s", strings.Join(args, " "), err, b)
	}
	out := filepath.Join(tmp, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		return "", err
	}
	if err := writeZip(filepath.Join(out, ZipName), bin); err != nil {
		return "", err
	}
	if err := os.Rename(out, dir); err != nil && !exists(zipPath) {
		return "", err // another synth may have won the race, which is as good
	}
	return zipPath, nil
}

// writeZip packages the executable as "bootstrap", mode 0755 (Lambda
// runs it), with a fixed time: the same binary gives the same bytes.
func writeZip(path, bin string) error {
	b, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	h := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate, Modified: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err == nil {
		_, err = w.Write(b)
	}
	if err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
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

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
// lambda.norpc leaves out aws-lambda-go's support of the retired go1.x
// runtime, which provided.al2023 never uses.
var buildFlags = []string{"-trimpath", "-buildvcs=false", "-tags=lambda.norpc", "-ldflags=-s -w"}

// The one module the function needs beyond the standard library, at the
// version this module's go.mod requires (a test holds the two together:
// go mod download here, and building an app that requires this module,
// put that version in the module cache), and its go.sum lines, which the
// build checks the cache's copy against. They are in this file, so in the
// source hash: another version is another hash, and a redeploy.
const (
	lambdaModule  = "github.com/aws/aws-lambda-go"
	lambdaVersion = "v1.55.1"
	lambdaSum     = "h1:We2cCp4BwqqH/JW+bEEo1FhgG71rslvjfi4y7KmlrR0="
	lambdaModSum  = "h1:V+NzkHNR6vBC8C1PDloqSLE+7jYWFiPvJJFiCiTm8nE="
)

// goMod and goSum are the build module's go.mod and go.sum: this module's
// path (so bootstrap imports the embedded package) and aws-lambda-go.
const (
	goMod = "module " + Module + "\n\ngo 1.26\n\nrequire " + lambdaModule + " " + lambdaVersion + "\n"
	goSum = lambdaModule + " " + lambdaVersion + " " + lambdaSum + "\n" +
		lambdaModule + " " + lambdaVersion + "/go.mod " + lambdaModSum + "\n"
)

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
// its own (goMod, goSum), so it works from any folder and whatever module
// requires this one, and offline: aws-lambda-go comes from the module
// cache only, where building the app put it (this package imports it).
// The package is kept under cache (a folder per source hash) and reused,
// so a synth neither compiles nor zips again.
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
	if err := writeModule(src); err != nil {
		return "", err
	}
	bin := filepath.Join(tmp, "bootstrap")
	if err := goBuild(ctx, goCmd, src, bin); err != nil {
		return "", err
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

// writeModule writes the build module under src: goMod, goSum and the
// embedded source in probe/.
func writeModule(src string) error {
	files := map[string][]byte{"go.mod": []byte(goMod), "go.sum": []byte(goSum)}
	for _, name := range sourceFiles() {
		b, _ := source.ReadFile(name)
		files[filepath.Join("probe", filepath.FromSlash(name))] = b
	}
	for name, b := range files {
		path := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// goBuild compiles the module in src into bin, for Lambda, from the module
// cache only: the caller's GOFLAGS and go.work are not this module's, and
// GOPROXY=off keeps a synth from downloading (go.sum still verifies).
func goBuild(ctx context.Context, goCmd, src, bin string) error {
	args := append([]string{"build"}, buildFlags...)
	args = append(args, "-o", bin, "./probe/bootstrap")
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+Arch, "CGO_ENABLED=0",
		"GOFLAGS=-mod=readonly", "GOWORK=off", "GOPROXY=off")
	b, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	hint := ""
	if strings.Contains(string(b), "GOPROXY=off") {
		hint = fmt.Sprintf("\nthe probe builds offline, from the module cache, which lacks %s@%s: run go mod download %[1]s@%[2]s", lambdaModule, lambdaVersion)
	}
	return fmt.Errorf("building the connectivity probe (go %s): %v\n%s%s", strings.Join(args, " "), err, b, hint)
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

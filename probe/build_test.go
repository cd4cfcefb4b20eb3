package probe

import (
	"archive/zip"
	"bytes"
	"context"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Build works from any folder (here: outside every module, as a binary
// run elsewhere would) and ignores the caller's GOFLAGS and go.work.
func TestBuild(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("GOFLAGS", "-mod=vendor")
	t.Setenv("GOWORK", filepath.Join(t.TempDir(), "go.work"))
	cache := t.TempDir()
	path, err := Build(context.Background(), cache)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != ZipName || filepath.Base(filepath.Dir(path)) != SourceHash()[:16] {
		t.Errorf("package %s is not CACHE/<source hash>/%s", path, ZipName)
	}
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if len(r.File) != 1 || r.File[0].Name != "bootstrap" || r.File[0].Mode().Perm() != 0o755 {
		t.Fatalf("%s holds %v; want one executable bootstrap (Lambda runs that file)", path, r.File)
	}
	rc, _ := r.File[0].Open()
	b, _ := io.ReadAll(rc)
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if f.Machine != elf.EM_AARCH64 || f.Class != elf.ELFCLASS64 {
		t.Errorf("bootstrap is %v %v, want a 64-bit arm64 ELF executable", f.Class, f.Machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("bootstrap is dynamically linked; provided.al2023 needs CGO_ENABLED=0")
		}
	}
	// the second build is the first one
	info, _ := os.Stat(path)
	again, err := Build(context.Background(), cache)
	if info2, _ := os.Stat(path); err != nil || again != path || !info2.ModTime().Equal(info.ModTime()) {
		t.Errorf("second Build = %s, %v; want %s reused", again, err, path)
	}
	// no build leftovers beside it
	if left, _ := os.ReadDir(cache); len(left) != 1 {
		t.Errorf("cache holds %v", left)
	}
	// reproducible: another cache, the same bytes
	other, err := Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	one, _ := os.ReadFile(path)
	two, _ := os.ReadFile(other)
	if !bytes.Equal(one, two) {
		t.Error("two builds of the same source differ: the package is not reproducible")
	}
}

// The hash covers exactly the function's source on disk: a file added to
// the package or to bootstrap/ without being embedded would change the
// binary and not the hash, and the function would not be redeployed.
func TestSourceHashCoversTheSourceOnDisk(t *testing.T) {
	var onDisk []string
	for _, pattern := range []string{"*.go", "bootstrap/*.go"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if !strings.HasSuffix(f, "_test.go") {
				onDisk = append(onDisk, filepath.ToSlash(f))
			}
		}
	}
	hashed := sourceFiles()
	slices.Sort(onDisk)
	if !slices.Equal(hashed, onDisk) || len(hashed) < 4 {
		t.Errorf("hashed %v, want the source files on disk %v", hashed, onDisk)
	}
	for _, name := range hashed {
		embedded, _ := source.ReadFile(name)
		disk, _ := os.ReadFile(name)
		if string(embedded) != string(disk) {
			t.Errorf("%s: embedded copy differs from disk", name)
		}
	}
	h := SourceHash()
	if len(h) != 64 {
		t.Fatalf("SourceHash %q is not a hex SHA-256", h)
	}
}

// The build module asks for the aws-lambda-go this module requires, with
// the same go.sum lines: so go mod download (make setup, CI) puts it in
// the module cache, and a go get of another version fails here until
// build.go names it too (and with it the source hash moves).
func TestBuildRequiresWhatThisModuleRequires(t *testing.T) {
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if want := "\t" + lambdaModule + " " + lambdaVersion + "\n"; !strings.Contains(string(mod), want) {
		t.Errorf("go.mod does not require %s %s directly", lambdaModule, lambdaVersion)
	}
	sum, err := os.ReadFile("../go.sum")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.SplitAfter(string(sum), "\n") {
		if strings.HasPrefix(l, lambdaModule+" ") {
			lines = append(lines, l)
		}
	}
	if strings.Join(lines, "") != goSum {
		t.Errorf("go.sum has\n%s\nthe build module's go.sum is\n%s", strings.Join(lines, ""), goSum)
	}
	if !strings.Contains(goMod, "require "+lambdaModule+" "+lambdaVersion+"\n") {
		t.Errorf("the build module's go.mod:\n%s", goMod)
	}
}

// An app in a module of its own, which requires this one (here replaced
// by this checkout) as a user's does, builds the same package as this
// module does: offline, from the module cache that building the app
// filled, whatever the app's folder, GOFLAGS and go.work.
func TestBuildFromAUsersModule(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	app := t.TempDir()
	files := map[string]string{
		// what go mod tidy writes, and the go.sum lines go build needs
		"go.mod": fmt.Sprintf("module example.com/app\n\ngo 1.26.0\n\nrequire %s v0.0.0\n\nrequire %s %s // indirect\n\nreplace %[1]s => %[4]s\n",
			Module, lambdaModule, lambdaVersion, root),
		"go.sum": goSum,
		"main.go": `package main

import (
	"context"
	"fmt"
	"os"

	"` + Module + `/probe"
)

func main() {
	path, err := probe.Build(context.Background(), os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(path)
}
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(app, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(t.TempDir(), "app")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = app
	build.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the app offline: %v\n%s", err, out)
	}
	run := exec.Command(bin, t.TempDir())
	run.Dir = app
	run.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=vendor", "GOWORK="+filepath.Join(app, "go.work"))
	out, err := run.Output()
	if err != nil {
		t.Fatalf("the app's Build: %v\n%s", err, err.(*exec.ExitError).Stderr)
	}
	ours, err := Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	one, _ := os.ReadFile(string(out))
	two, _ := os.ReadFile(ours)
	if len(one) == 0 || !bytes.Equal(one, two) || filepath.Base(filepath.Dir(string(out))) != SourceHash()[:16] {
		t.Errorf("the app built %s (%d bytes), this module %s (%d bytes): want the same package", out, len(one), ours, len(two))
	}
}

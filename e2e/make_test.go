package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alb-privatelink/alb-privatelink/internal/testutil"
)

// make synth reinstalls node_modules only when package.json or
// package-lock.json changed since the last install.
func TestMakeSetupInstallsOnlyWhenTheLockChanged(t *testing.T) {
	dir := freshClone(t)
	dryRun := func() string { return makeDryRun(t, dir, "setup") }
	if out := dryRun(); !strings.Contains(out, "npm ci") {
		t.Errorf("no node_modules yet, but setup would not install:\n%s", out)
	}
	installed := filepath.Join(dir, "node_modules", ".package-lock.json")
	testutil.WriteFile(t, installed, "{}")
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(installed, later, later); err != nil {
		t.Fatal(err)
	}
	if out := dryRun(); strings.Contains(out, "npm ci") || !strings.Contains(out, "go mod download") {
		t.Errorf("nothing changed, but setup would reinstall:\n%s", out)
	}
	evenLater := later.Add(time.Minute)
	if err := os.Chtimes(filepath.Join(dir, "package-lock.json"), evenLater, evenLater); err != nil {
		t.Fatal(err)
	}
	if out := dryRun(); !strings.Contains(out, "npm ci") {
		t.Errorf("the lock changed, but setup would not reinstall:\n%s", out)
	}
}

// freshClone is a folder with the project's Makefile, package.json and
// package-lock.json, but no node_modules, as in a fresh clone.
func freshClone(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make on this machine")
	}
	makefile, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	testutil.WriteFile(t, filepath.Join(dir, "Makefile"), string(makefile))
	for _, f := range []string{"package.json", "package-lock.json"} {
		testutil.WriteFile(t, filepath.Join(dir, f), "{}")
	}
	return dir
}

// makeDryRun is `make -n ARGS` in dir.
func makeDryRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("make", append([]string{"-n", "-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("make -n %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// The README's test command works on a fresh clone: make test installs
// what the e2e tests run (the cdktf CLI) before it tests.
func TestMakeTestSetsUpFirst(t *testing.T) {
	out := makeDryRun(t, freshClone(t), "test")
	install, test := strings.Index(out, "npm ci"), strings.Index(out, "go test ./... ./__tests__")
	if install < 0 || test < 0 || install > test {
		t.Errorf("make test on a fresh clone does not install before testing:\n%s", out)
	}
}

// make eject passes every flag that eject takes, as eject -h lists them.
func TestMakeEjectPassesEveryFlag(t *testing.T) {
	_, usage, _ := runBin(t, "eject", "-h")
	flags := regexp.MustCompile(`(?m)^  (-[a-z-]+)`).FindAllStringSubmatch(usage, -1)
	if len(flags) < 3 {
		t.Fatalf("eject -h lists %d flags:\n%s", len(flags), usage)
	}
	dir := freshClone(t)
	out := makeDryRun(t, dir, "eject", "DIR=terraform", "CONFIG=prod.yaml", "ALLOW_MISSING_STATE=1")
	line := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "go run . eject") {
			line = l
		}
	}
	if want := `go run . eject -out "terraform" -config "prod.yaml" -allow-missing-state`; line != want {
		t.Errorf("make eject DIR=terraform CONFIG=prod.yaml ALLOW_MISSING_STATE=1 runs\n%s\nwant\n%s", line, want)
	}
	for _, f := range flags {
		if !strings.Contains(line, " "+f[1]) {
			t.Errorf("make eject cannot pass %s:\n%s", f[1], line)
		}
	}
	if out := makeDryRun(t, dir, "eject", "DIR=terraform"); !strings.Contains(out, "go run . eject -out \"terraform\"\n") {
		t.Errorf("make eject DIR=terraform adds flags nobody asked for:\n%s", out)
	}
}

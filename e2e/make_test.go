package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alb-privatelink/alb-privatelink/internal/testutil"
)

// make synth reinstalls node_modules only when package.json or
// package-lock.json changed since the last install.
func TestMakeSetupInstallsOnlyWhenTheLockChanged(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make on this machine")
	}
	makefile, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	testutil.WriteFile(t, filepath.Join(dir, "Makefile"), string(makefile))
	dryRun := func() string {
		t.Helper()
		out, err := exec.Command("make", "-n", "-C", dir, "setup").CombinedOutput()
		if err != nil {
			t.Fatalf("make -n setup: %v\n%s", err, out)
		}
		return string(out)
	}
	for _, f := range []string{"package.json", "package-lock.json"} {
		testutil.WriteFile(t, filepath.Join(dir, f), "{}")
	}
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

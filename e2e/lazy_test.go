package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/internal/jsiilazy"
)

// expectLazy fails unless every jsii kernel of a run loaded the pinned
// bindings lazily: the barrel was rewritten and only a few of its ~2,000
// submodules were loaded. This is what fails if lazy loading silently stops
// applying (a new bindings version, a changed kernel).
func expectLazy(t *testing.T, what, reportFile string) {
	t.Helper()
	reports, err := jsiilazy.ReadReports(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) == 0 {
		t.Errorf("%s: no jsii kernel reported lazy loading", what)
	}
	for _, r := range reports {
		if !r.Applied || r.Submodules < 2000 || r.Loaded == 0 || r.Loaded > 100 {
			t.Errorf("%s: %+v; want applied, ~2,000 submodules, a few dozen loaded", what, r)
		}
	}
}

// command runs in the project root with the environment of a quiet,
// zero-config synth plus env.
func command(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20", "ALB_PRIVATELINK_CONFIG=")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// `cdktf synth` and `go run .` both load lazily and write the same stacks,
// so `go run .` is a faithful quick synth while iterating.
func TestCdktfSynthWritesWhatGoRunWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the cdktf CLI")
	}
	t.Parallel()
	cli, err := filepath.Abs("../node_modules/.bin/cdktf")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("the cdktf CLI is not installed (run: make setup): %v", err)
	}
	dir := t.TempDir()
	outdir := map[string]string{"cdktf synth": filepath.Join(dir, "cli"), "go run .": filepath.Join(dir, "go")}
	for what, cmd := range map[string]*exec.Cmd{
		"cdktf synth": command(t, []string{jsiilazy.ReportEnv + "=" + filepath.Join(dir, "cli.jsonl")}, cli, "synth", "--output", outdir["cdktf synth"]),
		"go run .":    command(t, []string{jsiilazy.ReportEnv + "=" + filepath.Join(dir, "go.jsonl"), "CDKTF_OUTDIR=" + outdir["go run ."]}, "go", "run", "."),
	} {
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", what, err, out)
		}
	}
	expectLazy(t, "cdktf synth", filepath.Join(dir, "cli.jsonl"))
	expectLazy(t, "go run .", filepath.Join(dir, "go.jsonl"))

	for _, stack := range []string{"provider", "consumer"} {
		rel := filepath.Join("stacks", stack, "cdk.tf.json")
		a, errA := os.ReadFile(filepath.Join(outdir["cdktf synth"], rel))
		b, errB := os.ReadFile(filepath.Join(outdir["go run ."], rel))
		if errA != nil || errB != nil {
			t.Fatalf("%s: cdktf synth: %v; go run: %v", rel, errA, errB)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between cdktf synth and go run .", rel)
		}
	}
}

// The golden snapshots of the demo and every example config come out the
// same with lazy loading switched off: lazy loading changes no output.
// (With it on, the same tests run in the normal test command.)
func TestGoldenSynthsWithoutLazyLoading(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the golden tests in a child go test")
	}
	t.Parallel()
	report := filepath.Join(t.TempDir(), "lazy.jsonl")
	cmd := command(t, []string{jsiilazy.SwitchEnv + "=off", jsiilazy.ReportEnv + "=" + report},
		"go", "test", "-count=1", "-v", "-run", "^TestGoldenSynths$", "./__tests__")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestGoldenSynths") {
		t.Fatalf("golden synths with %s=off: %v\n%s", jsiilazy.SwitchEnv, err, out)
	}
	if reports, _ := jsiilazy.ReadReports(report); len(reports) != 0 {
		t.Errorf("switched off, yet a kernel rewrote the barrel: %+v", reports)
	}
}

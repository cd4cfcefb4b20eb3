package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/internal/jsiilazy"
	"github.com/alb-privatelink/alb-privatelink/internal/testutil"
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

// cdktfCLI is the project's cdktf CLI (node_modules/.bin/cdktf).
func cdktfCLI(t *testing.T) string {
	t.Helper()
	cli, err := filepath.Abs("../node_modules/.bin/cdktf")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("the cdktf CLI is not installed (run: make setup): %v", err)
	}
	return cli
}

// command runs in dir (the project root when "") with the environment of a
// quiet synth that names no config file, plus env.
func command(t *testing.T, dir string, env []string, args ...string) *exec.Cmd {
	t.Helper()
	if dir == "" {
		root, err := filepath.Abs("..")
		if err != nil {
			t.Fatal(err)
		}
		dir = root
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20", "ALB_PRIVATELINK_CONFIG=", "CDKTF_CONTEXT_JSON=")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// In a project whose cdktf.json names the config in its context, `cdktf
// synth` (and so deploy, diff and destroy, which synthesize the same way)
// and the app run directly (go run . builds and runs it) read that config,
// load the bindings lazily, write the same stacks and print each warning
// once.
func TestCdktfSynthWritesWhatGoRunWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the cdktf CLI")
	}
	t.Parallel()
	cli := cdktfCLI(t)
	three, err := os.ReadFile("../examples/config/three-consumers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bin := buildApp(t)
	dir := project(t, "", map[string]string{"conf/app.yaml": string(three)})
	testutil.WriteFile(t, filepath.Join(dir, "cdktf.json"), fmt.Sprintf(`{"language": "go", "app": %q, "context": {"albPrivatelinkConfig": "conf/app.yaml"}}`, bin))
	reports := t.TempDir()
	outdir := map[string]string{"cdktf synth": filepath.Join(dir, "cdktf.out"), "the app": filepath.Join(dir, "app.out")}
	for what, cmd := range map[string]*exec.Cmd{
		"cdktf synth": command(t, dir, []string{jsiilazy.ReportEnv + "=" + filepath.Join(reports, "cli.jsonl")}, cli, "synth"),
		"the app":     command(t, dir, []string{jsiilazy.ReportEnv + "=" + filepath.Join(reports, "app.jsonl"), "CDKTF_OUTDIR=" + outdir["the app"]}, bin),
	} {
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", what, err, out)
		}
		for _, once := range []string{"config: conf/app.yaml (cdktf.json context.albPrivatelinkConfig)", "no certificateArn configured, so the demo ALB listens on plain HTTP"} {
			if n := strings.Count(string(out), once); n != 1 {
				t.Errorf("%s printed %q %d times, want once:\n%s", what, once, n, out)
			}
		}
	}
	expectLazy(t, "cdktf synth", filepath.Join(reports, "cli.jsonl"))
	expectLazy(t, "the app", filepath.Join(reports, "app.jsonl"))

	stacks, _ := filepath.Glob(filepath.Join(outdir["cdktf synth"], "stacks", "*", "cdk.tf.json"))
	if len(stacks) != 6 {
		t.Fatalf("cdktf synth wrote %d stacks, want three-consumers.yaml's 6: %v", len(stacks), stacks)
	}
	for _, a := range stacks {
		rel, _ := filepath.Rel(outdir["cdktf synth"], a)
		b, err := os.ReadFile(filepath.Join(outdir["the app"], rel))
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if raw, _ := os.ReadFile(a); !bytes.Equal(raw, b) {
			t.Errorf("%s differs between cdktf synth and the app", rel)
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
	cmd := command(t, "", []string{jsiilazy.SwitchEnv + "=off", jsiilazy.ReportEnv + "=" + report},
		"go", "test", "-count=1", "-v", "-run", "^TestGoldenSynths$", "./__tests__")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestGoldenSynths") {
		t.Fatalf("golden synths with %s=off: %v\n%s", jsiilazy.SwitchEnv, err, out)
	}
	if reports, _ := jsiilazy.ReadReports(report); len(reports) != 0 {
		t.Errorf("switched off, yet a kernel rewrote the barrel: %+v", reports)
	}
}

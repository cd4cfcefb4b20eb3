package tests

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/internal/jsiilazy"
)

// lazyReport reads what the jsii kernels of a run appended to a
// jsiilazy.ReportEnv file: one line per process that compiled the barrel.
type lazyReport struct {
	File       string `json:"file"`
	Applied    bool   `json:"applied"`
	Reason     string `json:"reason"`
	Submodules int    `json:"submodules"`
	Loaded     int    `json:"loaded"`
}

func readLazyReports(t *testing.T, path string) []lazyReport {
	t.Helper()
	raw, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []lazyReport
	for s := bufio.NewScanner(bytes.NewReader(raw)); s.Scan(); {
		var r lazyReport
		if err := json.Unmarshal(s.Bytes(), &r); err != nil {
			t.Fatalf("report line %q: %v", s.Text(), err)
		}
		out = append(out, r)
	}
	return out
}

// expectLazy fails unless every kernel of a run loaded the pinned bindings
// lazily: the barrel was rewritten and only a few of its ~2,000 submodules
// were loaded. This is what fails if lazy loading silently stops applying.
func expectLazy(t *testing.T, what string, reports []lazyReport) {
	t.Helper()
	if len(reports) == 0 {
		t.Errorf("%s: no jsii kernel reported lazy loading (was the preload installed? %s)", what, jsiilazy.Status())
	}
	for _, r := range reports {
		if !r.Applied || r.Submodules < 2000 || r.Loaded == 0 || r.Loaded > 100 {
			t.Errorf("%s: %+v; want applied, ~2,000 submodules, a few dozen loaded", what, r)
		}
	}
}

// The golden snapshots of the demo and every example config come out the
// same whether the kernel loads the AWS bindings lazily or eagerly, and this
// test binary (like every jsii test package) runs lazily by default.
func TestLazyLoadingKeepsEveryGoldenSynth(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the golden tests twice in child processes")
	}
	if !strings.HasPrefix(jsiilazy.Status(), "on: ") {
		t.Fatalf("this test binary does not load lazily: %s", jsiilazy.Status())
	}
	for _, mode := range []struct {
		name, switchValue string
		lazy              bool
	}{{"lazy", "", true}, {"eager", "off", false}} {
		t.Run(mode.name, func(t *testing.T) {
			report := filepath.Join(t.TempDir(), "lazy.jsonl")
			cmd := exec.Command(os.Args[0], "-test.run=^TestGoldenSynths$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), jsiilazy.ReportEnv+"="+report, jsiilazy.SwitchEnv+"="+mode.switchValue)
			out, err := cmd.CombinedOutput()
			if err != nil || !bytes.Contains(out, []byte("--- PASS: TestGoldenSynths")) {
				t.Fatalf("golden synths with %s=%q: %v\n%s", jsiilazy.SwitchEnv, mode.switchValue, err, out)
			}
			reports := readLazyReports(t, report)
			if mode.lazy {
				expectLazy(t, "go test", reports)
			} else if len(reports) != 0 {
				t.Errorf("switched off, yet a kernel rewrote the barrel: %+v", reports)
			}
		})
	}
}

// `cdktf synth` and `go run .` both load lazily and write the same stacks,
// so `go run .` is a faithful quick synth while iterating.
func TestCdktfSynthWritesWhatGoRunWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the cdktf CLI")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	cli := filepath.Join(root, "node_modules", ".bin", "cdktf")
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("the cdktf CLI is not installed (run: make setup): %v", err)
	}
	dir := t.TempDir()
	run := func(name string, env []string, args ...string) (string, []lazyReport) {
		t.Helper()
		out := filepath.Join(dir, name)
		report := filepath.Join(dir, name+".jsonl")
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), append(env, jsiilazy.ReportEnv+"="+report, "CHECKPOINT_DISABLE=1",
			"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20", "ALB_PRIVATELINK_CONFIG=")...)
		if name == "go-run" {
			cmd.Env = append(cmd.Env, "CDKTF_OUTDIR="+out)
		} else {
			cmd.Args = append(cmd.Args, "--output", out)
		}
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, msg)
		}
		return out, readLazyReports(t, report)
	}
	viaCLI, cliReports := run("cdktf-synth", nil, cli, "synth")
	viaGo, goReports := run("go-run", nil, "go", "run", ".")
	expectLazy(t, "cdktf synth", cliReports)
	expectLazy(t, "go run .", goReports)

	for _, stack := range []string{"provider", "consumer"} {
		rel := filepath.Join("stacks", stack, "cdk.tf.json")
		a, errA := os.ReadFile(filepath.Join(viaCLI, rel))
		b, errB := os.ReadFile(filepath.Join(viaGo, rel))
		if errA != nil || errB != nil {
			t.Fatalf("%s: cdktf synth: %v; go run: %v", rel, errA, errB)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between cdktf synth and go run .:\n%s", rel, firstDiff(string(a), string(b)))
		}
	}
}

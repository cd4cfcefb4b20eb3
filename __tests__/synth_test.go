package tests

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/internal/testutil"
	"github.com/alb-privatelink/alb-privatelink/stacks"
)

// A failed synth (unresolved config, policy error, panic inside cdktf) never costs
// the previous output; a good one replaces the stacks but keeps what
// Terraform left in the stack folders.
func TestFailedSynthLeavesPreviousOutputUntouched(t *testing.T) {
	parent := t.TempDir()
	outdir := filepath.Join(parent, "cdktf.out")
	if _, err := stacks.Synth(resolve(t, config.Config{}), outdir); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(outdir, "stacks", "provider", ".terraform", "marker")
	testutil.WriteFile(t, marker, "terraform init was here")
	before := testutil.Snapshot(t, outdir)
	isPolicy := func(err error) bool {
		var pe stacks.PolicyErrors
		return errors.As(err, &pe)
	}
	wantKind := map[string]func(error) bool{
		"unresolved config": func(err error) bool { return strings.Contains(err.Error(), "pass the result of config.Resolve") },
		"policy error":      isPolicy,
		"panic in cdktf":    func(err error) bool { return strings.HasPrefix(err.Error(), "synth failed: ") },
	}

	no := false
	// A staging folder that a dead synth left long ago is cleaned up; a
	// recent one may be another synth's, still running, and stays.
	dead, live := filepath.Join(outdir, ".staging-123-1"), filepath.Join(outdir, ".staging-456-1")
	for _, dir := range []string{dead, live} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chtimes(dead, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	failures := map[string]func() error{
		"unresolved config": func() error {
			_, err := stacks.Synth(config.Resolved{}, outdir)
			return err
		},
		"policy error": func() error {
			_, err := stacks.Synth(resolve(t, config.Config{Provider: config.Provider{Production: true, NLB: config.NLB{DeletionProtection: &no}}}), outdir)
			return err
		},
		"panic in cdktf": func() error {
			_, err := stacks.SynthWith(resolve(t, config.Config{}), outdir, func(app constructs.Construct, cfg config.Resolved) (*stacks.App, error) {
				built, err := stacks.Build(app, cfg)
				if err == nil {
					stacks.Build(app, cfg) // the same stacks twice: jsii panics on the duplicate IDs
				}
				return built, err
			})
			return err
		},
	}
	for name, fail := range failures {
		err := fail()
		if err == nil {
			t.Errorf("%s: synth succeeded", name)
			continue
		}
		if !wantKind[name](err) {
			t.Errorf("%s: wrong kind of error: %v", name, err)
		}
		if strings.Contains(err.Error(), "\n    at ") || strings.Contains(err.Error(), "goroutine ") {
			t.Errorf("%s: error carries a trace:\n%v", name, err)
		}
		if !maps.Equal(before, testutil.Snapshot(t, outdir)) {
			t.Errorf("%s changed the previous output", name)
		}
	}
	if err := failures["panic in cdktf"](); err == nil || !strings.HasPrefix(err.Error(), "synth failed: ") || !strings.Contains(err.Error(), "provider") {
		t.Errorf("panic error = %v, want one line starting with 'synth failed:' naming the duplicate", err)
	}

	// Only stack folders of stacks that are gone are removed from stacks/.
	notes := filepath.Join(outdir, "stacks", "notes", "todo.txt")
	testutil.WriteFile(t, notes, "not a stack")
	stale := filepath.Join(outdir, "stacks", "consumer-gone", "cdk.tf.json")
	testutil.WriteFile(t, stale, "{}")
	cert := "arn:aws:acm:ap-northeast-1:111122223333:certificate/0a1b2c3d-0000-1111-2222-333344445555"
	if _, err := stacks.Synth(resolve(t, config.Config{Provider: config.Provider{CertificateARN: cert}}), outdir); err != nil {
		t.Fatal(err)
	}
	after := testutil.Snapshot(t, outdir)
	if after["/stacks/notes/todo.txt"] == "" || after["/stacks/consumer-gone/cdk.tf.json"] != "" {
		t.Errorf("after a good synth: notes kept %v (want true), stale stack kept %v (want false)", after["/stacks/notes/todo.txt"] != "", after["/stacks/consumer-gone/cdk.tf.json"] != "")
	}
	if after["/stacks/provider/.terraform/marker"] == "" {
		t.Error("a good synth deleted what terraform init left in the stack folder")
	}
	if after["/stacks/provider/cdk.tf.json"] == before["/stacks/provider/cdk.tf.json"] {
		t.Error("a good synth did not replace the stack")
	}
	leftovers, _ := filepath.Glob(filepath.Join(outdir, ".staging-*"))
	if !slices.Equal(leftovers, []string{live}) {
		t.Errorf("staging folders %v; want only the other synth's %s (ours and the dead one's removed)", leftovers, live)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("synth wrote beside the output folder: %v", entries)
	}
}

func TestSynthCreatesNoOutputFolderOnFailure(t *testing.T) {
	outdir := filepath.Join(t.TempDir(), "fresh", "cdktf.out")
	no := false
	_, err := stacks.Synth(resolve(t, config.Config{Provider: config.Provider{Production: true, NLB: config.NLB{DeletionProtection: &no}}}), outdir)
	if err == nil {
		t.Fatal("policy error expected")
	}
	if _, statErr := os.Stat(outdir); !os.IsNotExist(statErr) {
		t.Errorf("a failed first synth left %s behind (%v)", outdir, statErr)
	}
}

func TestSynthRefusesHCLOutput(t *testing.T) {
	t.Setenv("SYNTH_HCL_OUTPUT", "true")
	_, err := stacks.Synth(resolve(t, config.Config{}), filepath.Join(t.TempDir(), "cdktf.out"))
	if err == nil || !strings.Contains(err.Error(), "cdktf synth --hcl") {
		t.Errorf("HCL output: %v, want a clear refusal", err)
	}
}

// A Go bug inside the build keeps its panic and trace; only jsii's errors
// are flattened into one line.
func TestSynthDoesNotHideGoBugs(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("a nil dereference in the build was swallowed")
		}
	}()
	stacks.SynthWith(resolve(t, config.Config{}), filepath.Join(t.TempDir(), "cdktf.out"), func(constructs.Construct, config.Resolved) (*stacks.App, error) {
		var app *stacks.App
		_ = app.Provider.Notes // nil dereference
		return app, nil
	})
}

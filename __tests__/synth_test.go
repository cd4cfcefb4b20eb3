package tests

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/internal/testutil"
	"github.com/alb-privatelink/alb-privatelink/stacks"
	"github.com/alb-privatelink/alb-privatelink/synth"
)

// A failed synth (unresolved config, policy error, panic inside cdktf) never costs
// the previous output; a good one replaces the stacks but keeps what
// Terraform left in the stack folders.
func TestFailedSynthLeavesPreviousOutputUntouched(t *testing.T) {
	parent := t.TempDir()
	outdir := filepath.Join(parent, "cdktf.out")
	if _, err := synth.Run(resolve(t, config.Config{}), outdir); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(outdir, "stacks", "provider", ".terraform", "marker")
	testutil.WriteFile(t, marker, "terraform init was here")
	before := testutil.Snapshot(t, outdir)
	isPolicy := func(err error) bool {
		var pe synth.PolicyErrors
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
			_, err := synth.Run(config.Resolved{}, outdir)
			return err
		},
		"policy error": func() error {
			_, err := synth.Run(resolve(t, config.Config{Provider: config.Provider{Production: true, NLB: config.NLB{DeletionProtection: &no}}}), outdir)
			return err
		},
		"panic in cdktf": func() error {
			_, err := synth.RunWith(resolve(t, config.Config{}), outdir, func(app constructs.Construct, cfg config.Resolved) (*stacks.App, error) {
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
	if _, err := synth.Run(resolve(t, config.Config{Provider: config.Provider{CertificateARN: cert}}), outdir); err != nil {
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
	_, err := synth.Run(resolve(t, config.Config{Provider: config.Provider{Production: true, NLB: config.NLB{DeletionProtection: &no}}}), outdir)
	if err == nil {
		t.Fatal("policy error expected")
	}
	if _, statErr := os.Stat(outdir); !os.IsNotExist(statErr) {
		t.Errorf("a failed first synth left %s behind (%v)", outdir, statErr)
	}
}

// cdktf synth --hcl (SYNTH_HCL_OUTPUT=true): every stack comes out as
// cdk.tf, with the same blocks as the JSON synth, the metadata.json the
// cdktf CLI reads, and a manifest that points at them.
func TestHCLSynthWritesEveryStackAsHCL(t *testing.T) {
	cfg := resolve(t, config.Config{})
	jsonDir := filepath.Join(t.TempDir(), "cdktf.out")
	if _, err := synth.Run(cfg, jsonDir); err != nil {
		t.Fatal(err)
	}
	docs := readOutdir(t, jsonDir)

	t.Setenv("SYNTH_HCL_OUTPUT", "true")
	hclDir := filepath.Join(t.TempDir(), "cdktf.out")
	if _, err := synth.Run(cfg, hclDir); err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Stacks map[string]struct{ SynthesizedStackPath, StackMetadataPath string }
	}
	parseJSONFile(t, filepath.Join(hclDir, "manifest.json"), &manifest)
	if got, want := slices.Sorted(maps.Keys(manifest.Stacks)), slices.Sorted(maps.Keys(docs)); !slices.Equal(got, want) {
		t.Fatalf("HCL synth stacks %v, JSON synth %v", got, want)
	}
	for name, m := range manifest.Stacks {
		if m.SynthesizedStackPath != "stacks/"+name+"/cdk.tf" || m.StackMetadataPath != "stacks/"+name+"/metadata.json" {
			t.Errorf("%s: manifest paths %q, %q", name, m.SynthesizedStackPath, m.StackMetadataPath)
		}
		if _, err := os.Stat(filepath.Join(hclDir, "stacks", name, "cdk.tf.json")); !os.IsNotExist(err) {
			t.Errorf("%s: cdk.tf.json beside cdk.tf (Terraform would read both)", name)
		}
		var meta map[string]any
		parseJSONFile(t, filepath.Join(hclDir, m.StackMetadataPath), &meta)
		if _, ok := meta["terraform"].(map[string]any)["required_providers"]; !ok {
			t.Errorf("%s: metadata.json lacks terraform.required_providers (the cdktf CLI reads it)", name)
		}
		src, err := os.ReadFile(filepath.Join(hclDir, m.SynthesizedStackPath))
		if err != nil {
			t.Fatal(err)
		}
		f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: cdk.tf does not parse: %s", name, diags.Error())
		}
		var got []string
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			switch b.Type {
			case "resource":
				got = append(got, b.Labels[0]+"."+b.Labels[1])
			case "data":
				got = append(got, "data."+b.Labels[0]+"."+b.Labels[1])
			}
		}
		slices.Sort(got)
		if want := addresses(docs[name]); !slices.Equal(got, want) {
			t.Errorf("%s: HCL addresses\n%v\nJSON addresses\n%v", name, got, want)
		}
	}
}

// A policy error fails an HCL synth as it fails a JSON one, before
// anything is written; switching formats leaves one format per stack
// folder and keeps what Terraform left there.
func TestHCLSynthEnforcesPolicyAndSwitchesFormatsCleanly(t *testing.T) {
	outdir := filepath.Join(t.TempDir(), "cdktf.out")
	cfg := resolve(t, config.Config{})
	if _, err := synth.Run(cfg, outdir); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(outdir, "stacks", "provider", ".terraform", "marker")
	testutil.WriteFile(t, marker, "terraform init was here")
	before := testutil.Snapshot(t, outdir)

	t.Setenv("SYNTH_HCL_OUTPUT", "true")
	no := false
	_, err := synth.Run(resolve(t, config.Config{Provider: config.Provider{Production: true, NLB: config.NLB{DeletionProtection: &no}}}), outdir)
	var pe synth.PolicyErrors
	if !errors.As(err, &pe) {
		t.Fatalf("HCL synth with a policy error: %v, want the policy errors", err)
	}
	if after := testutil.Snapshot(t, outdir); !maps.Equal(before, after) {
		t.Errorf("a failed HCL synth changed the output folder")
	}

	formats := func() map[string][]string {
		out := map[string][]string{}
		for _, stack := range []string{"provider", "consumer"} {
			for _, f := range []string{"cdk.tf.json", "cdk.tf", "metadata.json"} {
				if _, err := os.Stat(filepath.Join(outdir, "stacks", stack, f)); err == nil {
					out[stack] = append(out[stack], f)
				}
			}
		}
		return out
	}
	for _, step := range []struct {
		env  string
		want []string
	}{{"true", []string{"cdk.tf", "metadata.json"}}, {"", []string{"cdk.tf.json"}}, {"true", []string{"cdk.tf", "metadata.json"}}} {
		t.Setenv("SYNTH_HCL_OUTPUT", step.env)
		if _, err := synth.Run(cfg, outdir); err != nil {
			t.Fatal(err)
		}
		for stack, files := range formats() {
			if !slices.Equal(files, step.want) {
				t.Errorf("SYNTH_HCL_OUTPUT=%q: stacks/%s holds %v, want %v", step.env, stack, files, step.want)
			}
		}
		if _, err := os.Stat(marker); err != nil {
			t.Errorf("SYNTH_HCL_OUTPUT=%q: the .terraform folder was lost", step.env)
		}
	}

	t.Setenv("SYNTH_HCL_OUTPUT", "1")
	if _, err := synth.Run(cfg, outdir); err == nil || !strings.Contains(err.Error(), "cdktf synth --hcl") {
		t.Errorf("SYNTH_HCL_OUTPUT=1: %v, want a clear error", err)
	}
}

func parseJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
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
	synth.RunWith(resolve(t, config.Config{}), filepath.Join(t.TempDir(), "cdktf.out"), func(constructs.Construct, config.Resolved) (*stacks.App, error) {
		var app *stacks.App
		_ = app.Provider.Notes // nil dereference
		return app, nil
	})
}

// A Synthesizer keeps its state to itself: aborting one (as the app does
// on a signal) leaves another free to synthesize and publish.
func TestAbortOfOneSynthesizerLeavesAnotherFree(t *testing.T) {
	dir := t.TempDir()
	aborted := &synth.Synthesizer{Outdir: filepath.Join(dir, "aborted")}
	if aborted.Abort() {
		t.Fatal("Abort says a synthesizer that never ran had published")
	}
	other := &synth.Synthesizer{Outdir: filepath.Join(dir, "other")}
	if _, err := other.Run(resolve(t, config.Config{})); err != nil {
		t.Fatalf("a second synthesizer after another's Abort: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "other", "manifest.json")); err != nil {
		t.Errorf("the second synthesizer published nothing: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "aborted")); !os.IsNotExist(err) {
		t.Errorf("the aborted synthesizer's folder exists: %v", err)
	}
}

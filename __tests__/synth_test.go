package tests

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/alb-privatelink/alb-privatelink/stacks"
)

// snapshot hashes every file under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		out[strings.TrimPrefix(path, dir)] = fmt.Sprintf("%x", sha256.Sum256(raw))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameSnapshot(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A failed synth (bad config, policy error, panic inside cdktf) never costs
// the previous output; a good one replaces the stacks but keeps what
// Terraform left in the stack folders.
func TestFailedSynthLeavesPreviousOutputUntouched(t *testing.T) {
	parent := t.TempDir()
	outdir := filepath.Join(parent, "cdktf.out")
	if _, err := stacks.Synth(stacks.AppConfig{}, outdir); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(outdir, "stacks", "provider", ".terraform", "marker")
	write2(t, marker, "terraform init was here")
	before := snapshot(t, outdir)

	no := false
	failures := map[string]func() error{
		"config error": func() error {
			_, err := stacks.Synth(stacks.AppConfig{Provider: stacks.ProviderConfig{AZIDs: []string{"apne1-az1"}}}, outdir)
			return err
		},
		"policy error": func() error {
			_, err := stacks.Synth(stacks.AppConfig{Provider: stacks.ProviderConfig{Production: true, NLB: stacks.NLBConfig{DeletionProtection: &no}}}, outdir)
			return err
		},
		"panic in cdktf": func() error {
			_, err := stacks.SynthWith(stacks.AppConfig{}, outdir, func(app constructs.Construct, cfg stacks.AppConfig) (*stacks.App, error) {
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
		if strings.Contains(err.Error(), "\n    at ") || strings.Contains(err.Error(), "goroutine ") {
			t.Errorf("%s: error carries a trace:\n%v", name, err)
		}
		if !sameSnapshot(before, snapshot(t, outdir)) {
			t.Errorf("%s changed the previous output", name)
		}
	}
	if err := failures["panic in cdktf"](); err == nil || !strings.HasPrefix(err.Error(), "synth failed: ") || !strings.Contains(err.Error(), "provider") {
		t.Errorf("panic error = %v, want one line starting with 'synth failed:' naming the duplicate", err)
	}

	cert := "arn:aws:acm:ap-northeast-1:111122223333:certificate/0a1b2c3d-0000-1111-2222-333344445555"
	if _, err := stacks.Synth(stacks.AppConfig{Provider: stacks.ProviderConfig{CertificateARN: cert}}, outdir); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, outdir)
	if after["/stacks/provider/.terraform/marker"] == "" {
		t.Error("a good synth deleted what terraform init left in the stack folder")
	}
	if after["/stacks/provider/cdk.tf.json"] == before["/stacks/provider/cdk.tf.json"] {
		t.Error("a good synth did not replace the stack")
	}
	leftovers, _ := filepath.Glob(filepath.Join(parent, ".cdktf.out.staging-*"))
	if len(leftovers) != 0 {
		t.Errorf("staging folders left behind: %v", leftovers)
	}
}

func write2(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, path, content)
}

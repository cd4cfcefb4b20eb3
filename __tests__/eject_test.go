package tests

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/eject"
	"github.com/alb-privatelink/alb-privatelink/internal/testutil"
	"github.com/alb-privatelink/alb-privatelink/synth"
)

// Eject writes one root module per stack with every resource address of
// the JSON synth, local state paths that name the same files cdktf uses,
// and the lock file of a deploy; it never overwrites, and a failed synth
// writes nothing.
func TestEjectWritesOneRootModulePerStack(t *testing.T) {
	cfg, err := config.Load("../examples/config/three-consumers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cdktfOut := filepath.Join(t.TempDir(), "cdktf.out")
	if _, err := synth.Run(cfg, cdktfOut); err != nil {
		t.Fatal(err)
	}
	docs := readOutdir(t, cdktfOut)
	lock := "# the lock file of a deploy\nprovider \"registry.terraform.io/hashicorp/aws\" {\n  version = \"5.100.0\"\n}\n"
	testutil.WriteFile(t, filepath.Join(cdktfOut, "stacks", "provider", ".terraform.lock.hcl"), lock)

	dir := filepath.Join(t.TempDir(), "infra", "terraform")
	// Nothing was deployed from this test's folder: no state files.
	if _, err := eject.Run(cfg, cdktfOut, dir, eject.Options{}); err == nil || !strings.Contains(err.Error(), "no state where these stacks say it is") {
		t.Fatalf("eject with no state files: %v, want a refusal", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("a refused eject wrote %s", dir)
	}
	res, err := eject.Run(cfg, cdktfOut, dir, eject.Options{AllowMissingState: true})
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o755 {
		t.Errorf("%s: mode %v, want 0755 (%v)", dir, info.Mode().Perm(), err)
	}
	if ignore, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); !strings.Contains(string(ignore), "!.terraform.lock.hcl") {
		t.Errorf(".gitignore does not keep the lock files: %q", ignore)
	}
	want := []string{"provider", "consumer", "consumer-analytics", "consumer-virginia", "accept-consumer-analytics", "accept-consumer-virginia"}
	if !slices.Equal(res.Stacks, want) {
		t.Errorf("stacks %v, want %v in apply order", res.Stacks, want)
	}
	if !slices.Equal(res.Locked, []string{"provider"}) {
		t.Errorf("locked %v, want the provider's", res.Locked)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "provider", ".terraform.lock.hcl")); string(got) != lock {
		t.Errorf("the provider's lock file was not copied: %q", got)
	}
	readme, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	if !strings.Contains(string(readme), "1. `provider`\n2. `consumer`\n") {
		t.Errorf("README.md lacks the apply order:\n%s", readme)
	}

	for _, name := range res.Stacks {
		files, _ := filepath.Glob(filepath.Join(dir, name, "*.tf"))
		var got []string
		for _, f := range files {
			got = append(got, filepath.Base(f))
		}
		wantFiles := []string{"main.tf", "outputs.tf", "providers.tf", "versions.tf"}
		if name != "provider" {
			wantFiles = []string{"main.tf", "providers.tf", "remote_state.tf", "versions.tf"}
			if strings.HasPrefix(name, "consumer") {
				wantFiles = []string{"main.tf", "outputs.tf", "providers.tf", "remote_state.tf", "versions.tf"}
			}
		}
		if !slices.Equal(got, wantFiles) {
			t.Errorf("%s: files %v, want %v", name, got, wantFiles)
		}

		var addrs []string
		var backendPath string
		remote := map[string]string{}
		for _, f := range files {
			src, _ := os.ReadFile(f)
			file, diags := hclsyntax.ParseConfig(src, f, hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatalf("%s: %s", f, diags.Error())
			}
			for _, b := range file.Body.(*hclsyntax.Body).Blocks {
				switch b.Type {
				case "resource":
					addrs = append(addrs, b.Labels[0]+"."+b.Labels[1])
				case "data":
					addrs = append(addrs, "data."+b.Labels[0]+"."+b.Labels[1])
					if b.Labels[0] == "terraform_remote_state" {
						remote[b.Labels[1]] = stringIn(t, b.Body.Attributes["config"].Expr, "path")
					}
				case "terraform":
					for _, tb := range b.Body.Blocks {
						if tb.Type == "backend" && tb.Labels[0] == "local" {
							v, _ := tb.Body.Attributes["path"].Expr.Value(nil)
							backendPath = v.AsString()
						}
					}
				}
			}
		}
		slices.Sort(addrs)
		if want := addresses(docs[name]); !slices.Equal(addrs, want) {
			t.Errorf("%s: ejected addresses\n%v\nJSON synth\n%v", name, addrs, want)
		}
		// The same state files as cdktf: resolve both paths.
		jsonBackend := docs[name]["terraform"].(map[string]any)["backend"].(map[string]any)["local"].(map[string]any)["path"].(string)
		if a, b := filepath.Join(cdktfOut, "stacks", name, jsonBackend), filepath.Join(dir, name, backendPath); a != b {
			t.Errorf("%s: the ejected backend names %s, cdktf's %s", name, b, a)
		}
		for read, path := range remote {
			cdktfPath := docs[name]["data"].(map[string]any)["terraform_remote_state"].(map[string]any)[read].(map[string]any)["config"].(map[string]any)["path"].(string)
			if a, b := filepath.Join(cdktfOut, "stacks", name, cdktfPath), filepath.Join(dir, name, path); a != b {
				t.Errorf("%s: remote state %s names %s, cdktf's %s", name, read, b, a)
			}
		}
	}

	// never overwrites
	before := testutil.Snapshot(t, dir)
	if _, err := eject.Run(cfg, cdktfOut, dir, eject.Options{AllowMissingState: true}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("eject into a non-empty folder: %v", err)
	}
	if after := testutil.Snapshot(t, dir); len(after) != len(before) {
		t.Errorf("a refused eject changed %s", dir)
	}
	// a policy error writes nothing
	no := false
	bad := filepath.Join(t.TempDir(), "out")
	if _, err := eject.Run(resolve(t, config.Config{Provider: config.Provider{Production: true, NLB: config.NLB{DeletionProtection: &no}}}), cdktfOut, bad, eject.Options{AllowMissingState: true}); err == nil {
		t.Error("eject with a policy error succeeded")
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a failed eject left %s", bad)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(bad), ".out-*")); len(leftovers) > 0 {
		t.Errorf("a failed eject left its staging folder: %v", leftovers)
	}
}

// stringIn reads key of an object expression as a string.
func stringIn(t *testing.T, e hcl.Expression, key string) string {
	t.Helper()
	v, diags := e.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("%s", diags.Error())
	}
	return v.GetAttr(key).AsString()
}

// The probe's function is a file the module names by relative path: it
// comes along, where main.tf says it is.
func TestEjectCarriesTheProbesFunction(t *testing.T) {
	cfg, err := config.Load("../examples/config/https-demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "terraform")
	res, err := eject.Run(cfg, filepath.Join(t.TempDir(), "cdktf.out"), dir, eject.Options{AllowMissingState: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Assets, []string{"consumer"}) {
		t.Errorf("assets copied for %v, want the consumer's", res.Assets)
	}
	src, _ := os.ReadFile(filepath.Join(dir, "consumer", "main.tf"))
	file, diags := hclsyntax.ParseConfig(src, "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var filename string
	for _, b := range file.Body.(*hclsyntax.Body).Blocks {
		if b.Type == "resource" && b.Labels[0] == "aws_lambda_function" {
			v, _ := b.Body.Attributes["filename"].Expr.Value(nil)
			filename = v.AsString()
		}
	}
	if info, err := os.Stat(filepath.Join(dir, "consumer", filename)); filename == "" || err != nil || info.Size() == 0 {
		t.Errorf("main.tf names the function %q, which the ejected module lacks (%v)", filename, err)
	}
	readme, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	if !strings.Contains(string(readme), "`assets/` in consumer holds the connectivity probe's function") {
		t.Errorf("README.md does not explain assets/:\n%s", readme)
	}
}

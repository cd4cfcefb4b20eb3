package eject

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/internal/tfhcl"
)

func TestRelocateKeepsTheSameStateFiles(t *testing.T) {
	doc := map[string]any{
		"terraform": map[string]any{"backend": map[string]any{"local": map[string]any{"path": "../../../terraform.consumer.tfstate"}}},
		"data": map[string]any{"terraform_remote_state": map[string]any{
			"local-read": map[string]any{"backend": "local", "config": map[string]any{"path": "../../../terraform.provider.tfstate"}},
			"abs-read":   map[string]any{"backend": "local", "config": map[string]any{"path": "/srv/state/x.tfstate"}},
			"s3-read":    map[string]any{"backend": "s3", "config": map[string]any{"bucket": "b", "key": "k"}},
		}},
	}
	from := filepath.FromSlash("/proj/cdktf.out/stacks/consumer")
	to := filepath.FromSlash("/proj/infra/terraform/consumer")
	moved, err := relocate(doc, from, to)
	if err != nil {
		t.Fatal(err)
	}
	backend := doc["terraform"].(map[string]any)["backend"].(map[string]any)["local"].(map[string]any)["path"]
	if backend != "../../../terraform.consumer.tfstate" {
		t.Errorf("backend path %v", backend)
	}
	// the same file seen from both folders
	if a, b := filepath.Join(from, "../../../terraform.consumer.tfstate"), filepath.Join(to, backend.(string)); a != b {
		t.Errorf("backend path names %s, cdktf used %s", b, a)
	}
	reads := doc["data"].(map[string]any)["terraform_remote_state"].(map[string]any)
	cfg := func(name string) map[string]any { return reads[name].(map[string]any)["config"].(map[string]any) }
	if got := filepath.Join(to, cfg("local-read")["path"].(string)); got != filepath.FromSlash("/proj/terraform.provider.tfstate") {
		t.Errorf("remote state path names %s", got)
	}
	if cfg("abs-read")["path"] != "/srv/state/x.tfstate" {
		t.Errorf("an absolute path was moved: %v", cfg("abs-read")["path"])
	}
	if _, ok := cfg("s3-read")["path"]; ok || cfg("s3-read")["key"] != "k" {
		t.Errorf("an S3 read was touched: %v", cfg("s3-read"))
	}
	if len(moved) != 3 || moved[1].file != filepath.FromSlash("/srv/state/x.tfstate") {
		t.Errorf("moved %v, want the backend and both local remote states (to check they exist)", moved)
	}

	// deeper target: the path gets longer, the file stays the same
	doc2 := map[string]any{"terraform": map[string]any{"backend": map[string]any{"local": map[string]any{"path": "../../../terraform.provider.tfstate"}}}}
	if _, err := relocate(doc2, filepath.FromSlash("/proj/cdktf.out/stacks/provider"), filepath.FromSlash("/proj/a/b/c/provider")); err != nil {
		t.Fatal(err)
	}
	if got := doc2["terraform"].(map[string]any)["backend"].(map[string]any)["local"].(map[string]any)["path"]; got != "../../../../terraform.provider.tfstate" {
		t.Errorf("deeper target: %v", got)
	}

	bad := map[string]any{"terraform": map[string]any{"backend": map[string]any{"local": map[string]any{"path": "${var.dir}/x"}}}}
	if _, err := relocate(bad, from, to); err == nil || !strings.Contains(err.Error(), "expression") {
		t.Errorf("an expression path: %v", err)
	}
	// a local read without a path means terraform.tfstate in the working
	// folder: nothing eject can point at
	noPath := map[string]any{"data": map[string]any{"terraform_remote_state": map[string]any{"r": map[string]any{"backend": "local", "config": map[string]any{}}}}}
	if _, err := relocate(noPath, from, to); err == nil || !strings.Contains(err.Error(), "no path") {
		t.Errorf("a local read without a path: %v", err)
	}
}

func TestWriteModuleSplitsByRole(t *testing.T) {
	doc, err := tfhcl.Parse([]byte(`{
	  "terraform": {"required_providers": {"aws": {"source": "aws"}}},
	  "provider": {"aws": [{"region": "eu-west-1"}]},
	  "data": {"terraform_remote_state": {"r": {"backend": "local", "config": {"path": "p"}}},
	           "aws_region": {"here": {}}},
	  "resource": {"aws_vpc": {"v": {"cidr_block": "10.0.0.0/16"}}},
	  "output": {"o": {"value": "${aws_vpc.v.id}", "description": "d"}}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "s")
	if err := writeModule(dir, "s", doc); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Error(err)
		}
		return string(b)
	}
	for file, want := range map[string]string{
		"versions.tf":     "required_providers",
		"providers.tf":    `provider "aws"`,
		"remote_state.tf": `data "terraform_remote_state" "r"`,
		"main.tf":         `resource "aws_vpc" "v"`,
		"outputs.tf":      "value       = aws_vpc.v.id",
	} {
		got := read(file)
		if !strings.Contains(got, want) {
			t.Errorf("%s:\n%s\nwant it to contain %q", file, got, want)
		}
		if header := "# " + strings.ReplaceAll(moduleFiles[kindOf(file)].header, "\n", "\n# ") + "\n\n"; file != "versions.tf" && !strings.HasPrefix(got, header) {
			t.Errorf("%s:\n%s\nwant it to open with %q", file, got, header)
		}
	}
	if got := read("main.tf"); !strings.Contains(got, `data "aws_region" "here"`) {
		t.Errorf("main.tf lacks the data source:\n%s", got)
	}
	if got := read("versions.tf"); !strings.HasPrefix(got, "# Stack s, ejected from the alb-privatelink CDKTF app") ||
		!strings.Contains(got, "would undo each other.\n\n# Terraform and provider versions, and where the state is kept.\n\nterraform {\n") {
		t.Errorf("versions.tf does not open with the stack's header, then its own:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "variables.tf")); !os.IsNotExist(err) {
		t.Errorf("variables.tf written with no variables (%v)", err)
	}
}

func kindOf(file string) tfhcl.Kind {
	for k, f := range moduleFiles {
		if f.name == file {
			return k
		}
	}
	return -1
}

// Package tests synthesizes the constructs and stacks through the real cdktf
// runtime (jsii) and asserts on the Terraform JSON they produce. Every test
// that touches jsii lives here, so the ~6 s runtime start is paid once.
package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/internal/jsiitest"
	"github.com/alb-privatelink/alb-privatelink/stacks"
)

func TestMain(m *testing.M) { jsiitest.Main(m) }

// tfDoc is one stack's synthesized Terraform JSON.
type tfDoc map[string]any

// resource is one resource (or data source) body.
type resource map[string]any

func parseDoc(t testing.TB, raw string) tfDoc {
	t.Helper()
	var d tfDoc
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatalf("synth output is not JSON: %v\n%s", err, raw)
	}
	return d
}

// newStack returns an empty stack with an AWS provider, on a testing app.
func newStack(t testing.TB) cdktf.TerraformStack {
	t.Helper()
	stack := cdktf.NewTerraformStack(cdktf.Testing_App(nil), jsii.String("test"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("ap-northeast-1")})
	return stack
}

// synth synthesizes one stack with validations on.
func synthStack(t testing.TB, stack cdktf.TerraformStack) tfDoc {
	t.Helper()
	return parseDoc(t, *cdktf.Testing_Synth(stack, jsii.Bool(true)))
}

// resolve is config.Resolve for a config a test expects to be valid.
func resolve(t testing.TB, cfg config.Config) config.Resolved {
	t.Helper()
	r, err := config.Resolve(cfg)
	if err != nil {
		t.Fatalf("config.Resolve: %v", err)
	}
	return r
}

// synthApp builds the whole app from cfg with stacks.Build and synthesizes
// it for real (cross-stack references need a full app synth), returning
// each stack's document by name.
func synthApp(t testing.TB, cfg config.Config) (map[string]tfDoc, *stacks.App) {
	t.Helper()
	dir := t.TempDir()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(dir)})
	built, err := stacks.Build(app, resolve(t, cfg))
	if err != nil {
		t.Fatalf("stacks.Build: %v", err)
	}
	app.Synth()
	return readOutdir(t, dir), built
}

func readOutdir(t testing.TB, dir string) map[string]tfDoc {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "stacks", "*", "cdk.tf.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no stacks synthesized in %s (%v)", dir, err)
	}
	out := map[string]tfDoc{}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(filepath.Dir(p))] = parseDoc(t, string(raw))
	}
	return out
}

func (d tfDoc) block(kind, typ string) map[string]resource {
	out := map[string]resource{}
	byType, _ := d[kind].(map[string]any)
	all, _ := byType[typ].(map[string]any)
	for name, body := range all {
		m, _ := body.(map[string]any)
		out[name] = m
	}
	return out
}

// resources of one type, by logical ID.
func (d tfDoc) resources(typ string) map[string]resource { return d.block("resource", typ) }

// data sources of one type, by logical ID.
func (d tfDoc) data(typ string) map[string]resource { return d.block("data", typ) }

// one returns the only resource of typ, failing (with the types present)
// when there is not exactly one.
func (d tfDoc) one(t testing.TB, typ string) (string, resource) {
	t.Helper()
	rs := d.resources(typ)
	if len(rs) != 1 {
		t.Fatalf("want exactly one %s, got %d; resource types present: %v", typ, len(rs), d.types())
	}
	for name, r := range rs {
		return name, r
	}
	return "", nil
}

func (d tfDoc) types() []string {
	var out []string
	byType, _ := d["resource"].(map[string]any)
	for typ := range byType {
		out = append(out, typ)
	}
	sort.Strings(out)
	return out
}

// ref is the Terraform interpolation of a resource attribute.
func ref(typ, name, attr string) string { return fmt.Sprintf("${%s.%s.%s}", typ, name, attr) }

// get reads a dotted path such as "health_check.protocol" or
// "default_action.0.type" from r.
func get(r any, path string) (any, bool) {
	cur := r
	if rr, ok := r.(resource); ok {
		cur = map[string]any(rr)
	}
	for _, part := range strings.Split(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			var ok bool
			if cur, ok = v[part]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i >= len(v) {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// expect asserts r's field at path equals want (compared as JSON values) and
// prints the whole resource on failure.
func expect(t testing.TB, name string, r resource, path string, want any) {
	t.Helper()
	got, ok := get(r, path)
	if !ok {
		t.Errorf("%s: %s is not set; resource:\n%s", name, path, pretty(r))
		return
	}
	if !reflect.DeepEqual(jsonValue(got), jsonValue(want)) {
		t.Errorf("%s: %s = %s, want %s; resource:\n%s", name, path, compact(got), compact(want), pretty(r))
	}
}

// expectUnset asserts r has no field at path.
func expectUnset(t testing.TB, name string, r resource, path string) {
	t.Helper()
	if got, ok := get(r, path); ok {
		t.Errorf("%s: %s = %s, want it unset; resource:\n%s", name, path, compact(got), pretty(r))
	}
}

func jsonValue(v any) any {
	raw, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(raw, &out)
	return out
}

func pretty(v any) string {
	raw, _ := json.MarshalIndent(v, "", "  ")
	return string(raw)
}

func compact(v any) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}

package e2e

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/alb-privatelink/alb-privatelink"

// layers are README's Layout drawing as data: each package of the module
// by its layer, lowest first. A package imports only packages of lower
// layers (leaves may import other leaves). A new package must be placed
// here, and in the README's drawing, before the test passes.
var layers = []struct {
	name     string
	packages []string
}{
	{"leaves", []string{
		"internal/validate", "internal/validate/regionsgen", "internal/tfhcl", "internal/tfhcl/gen",
		"internal/jsiitest", "internal/testutil",
		"constructs/privatelink/rules", "policy/rules", "policy/rules/gen", "probe", "probe/bootstrap", "jsiilazy", "jsiilazy/enable",
	}},
	{"config", []string{"config"}},
	{"constructs", []string{"constructs/privatelink", "policy"}},
	{"stacks", []string{"stacks"}},
	{"synth", []string{"synth"}},
	{"tools", []string{"doctor", "cost", "diagram", "eject"}},
	{"commands", []string{"cli"}},
	{"programs", []string{"", "examples/importing"}},
}

// jsiiFree are the packages that must build and test without the AWS
// bindings: the config is data, and the tools read it.
var jsiiFree = []string{"config", "doctor", "cost", "diagram", "constructs/privatelink/rules"}

type listed struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// goList lists every package of the module with its imports and deps.
func goList(t *testing.T) map[string]listed {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps=false", "-json", "../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	all := map[string]listed{}
	for dec := json.NewDecoder(strings.NewReader(string(out))); ; {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		all[rel] = p
	}
	return all
}

func TestLayersMatchTheREADME(t *testing.T) {
	layerOf := map[string]int{}
	for i, l := range layers {
		for _, p := range l.packages {
			layerOf[p] = i
		}
	}
	for rel, p := range goList(t) {
		if strings.HasPrefix(rel, "e2e") || strings.HasPrefix(rel, "__tests__") {
			continue
		}
		from, ok := layerOf[rel]
		if !ok {
			t.Errorf("package %q is in no layer: add it to layers here and to README's Layout", rel)
			continue
		}
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			dep := strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")
			to, ok := layerOf[dep]
			switch {
			case !ok:
				// reported as a package in no layer
			case to > from || (to == from && from != 0):
				t.Errorf("%s (%s) imports %s (%s): a package imports only lower layers", rel, layers[from].name, dep, layers[to].name)
			}
		}
		if strings.HasPrefix(rel, "internal/") && from != 0 {
			t.Errorf("%s is under internal/ but not a leaf", rel)
		}
	}
}

func TestToolsBuildWithoutTheAWSBindings(t *testing.T) {
	for _, rel := range jsiiFree {
		out, err := exec.Command("go", "list", "-deps", "../"+rel).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", rel, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.Contains(dep, "jsii") || strings.Contains(dep, "cdktf") || strings.Contains(dep, "constructs-go") {
				t.Errorf("%s depends on %s: it must build without jsii and the AWS bindings", rel, dep)
				break
			}
		}
	}
}

package e2e

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/alb-privatelink/alb-privatelink"

// layers are the Layout drawing of docs/contributing.md as data: each
// package of the module by its layer, lowest first. A package imports only
// packages of lower layers (leaves may import other leaves). A new package
// must be placed here, and in that drawing, before the tests pass.
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

func TestLayersMatchTheCode(t *testing.T) {
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
			t.Errorf("package %q is in no layer: add it to layers here and to the Layout drawing of %s", rel, layoutDoc)
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

// layoutDoc draws the layers, in the first code block after "## Layout".
const layoutDoc = "docs/contributing.md"

// The drawing in layoutDoc shows the layers as they are here: one group
// per layer, lowest first, separated by lines holding only "^", and each
// package named in its group (main.go for the root package).
func TestLayersMatchTheDocs(t *testing.T) {
	raw, err := os.ReadFile("../" + layoutDoc)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := layoutGroups(string(raw))
	if err != nil {
		t.Fatalf("%s: %v", layoutDoc, err)
	}
	if len(groups) != len(layers) {
		t.Fatalf("%s's Layout drawing has %d layers, layers here %d", layoutDoc, len(groups), len(layers))
	}
	layerOf := map[string]int{}
	for i, l := range layers {
		for _, p := range l.packages {
			layerOf[p] = i
		}
	}
	for i, g := range groups {
		for word := range g {
			if p, ok := strings.CutSuffix(word, "/"); ok {
				if j, known := layerOf[p]; known && j != i {
					t.Errorf("%s's Layout drawing shows %s in group %d from the bottom, but it is in layer %q", layoutDoc, word, i+1, layers[j].name)
				}
			}
		}
	}
	for i, l := range layers {
		for _, p := range l.packages {
			name := p
			if p == "" {
				name = "main.go"
			}
			if !groups[i][name] {
				t.Errorf("%s's Layout drawing does not show %s in its layer %q (group %d from the bottom)", layoutDoc, name, l.name, i+1)
			}
		}
	}
}

// layoutGroups reads the drawing: per group, the words it holds, without
// a trailing "," ";" or ":", and without a trailing "/" (a word that had
// one, a package's folder, is there with it too).
func layoutGroups(doc string) ([]map[string]bool, error) {
	_, rest, ok := strings.Cut(doc, "\n## Layout\n")
	if !ok {
		return nil, errors.New(`no "## Layout" section`)
	}
	_, rest, ok = strings.Cut(rest, "```\n")
	drawing, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		return nil, errors.New("no code block in the Layout section")
	}
	groups := []map[string]bool{{}}
	for _, line := range strings.Split(drawing, "\n") {
		if strings.TrimSpace(line) == "^" {
			groups = append(groups, map[string]bool{})
			continue
		}
		for _, word := range strings.Fields(line) {
			word = strings.TrimRight(word, ",;:")
			// "stacks/" names a package; "stacks" may be a word of prose
			groups[len(groups)-1][strings.TrimSuffix(word, "/")] = true
			if strings.HasSuffix(word, "/") {
				groups[len(groups)-1][word] = true
			}
		}
	}
	return groups, nil
}

func TestLayoutGroupsReadTheDrawing(t *testing.T) {
	doc := "# x\n\n## Layout\n\n```\nleaves  a/, b/c, d\n   ^\ntop     main.go   synth by default\n```\n"
	groups, err := layoutGroups(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2 || !groups[0]["a"] || !groups[0]["a/"] || !groups[0]["b/c"] || !groups[0]["d"] || groups[0]["d/"] || groups[0]["main.go"] || !groups[1]["main.go"] {
		t.Errorf("groups = %v", groups)
	}
	if _, err := layoutGroups("## Layout\nno drawing\n"); err == nil {
		t.Error("a page without a drawing read as one")
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

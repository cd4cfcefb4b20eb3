package rules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Every registered rule says what it checks, why and how to fix it, has a
// known severity and a unique ID, and runs a check.
func TestRegistryIsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All() {
		if !regexp.MustCompile(`^PL\d{3}$`).MatchString(r.ID) {
			t.Errorf("rule ID %q: want PL and three digits", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("%s registered twice", r.ID)
		}
		seen[r.ID] = true
		if r.Severity != Error && r.Severity != Warning {
			t.Errorf("%s: severity %q", r.ID, r.Severity)
		}
		if r.Title == "" || r.When == "" || r.Why == "" || r.Fix == "" || r.check == nil {
			t.Errorf("%s: title %q, when %q, why %q, fix %q, check set %v", r.ID, r.Title, r.When, r.Why, r.Fix, r.check != nil)
		}
	}
	if !slices.IsSorted(IDs()) {
		t.Errorf("rules are not registered in ID order: %v", IDs())
	}
	if r, ok := ByID("PL004"); !ok || r.ID != "PL004" {
		t.Errorf("ByID(PL004) = %v, %v", r.ID, ok)
	}
	if _, ok := ByID("PL999"); ok {
		t.Error("ByID found an unknown rule")
	}
}

// Each rule lives in its own file, named after its ID (plNNN_*.go), and
// every such file defines exactly the rule its name says, registered.
func TestRuleFilesMatchIDs(t *testing.T) {
	files, err := filepath.Glob("pl[0-9][0-9][0-9]_*.go")
	if err != nil {
		t.Fatal(err)
	}
	var defined []string
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		want := strings.ToUpper(file[:5])
		ids := ruleIDsIn(t, file)
		if len(ids) != 1 || ids[0] != want {
			t.Errorf("%s defines rules %v, want only %s", file, ids, want)
		}
		defined = append(defined, ids...)
	}
	slices.Sort(defined)
	if !slices.Equal(defined, IDs()) {
		t.Errorf("rule files define %v, the registry holds %v", defined, IDs())
	}
}

// ruleIDsIn lists the ID fields of the Rule literals in a Go file.
func ruleIDsIn(t *testing.T, file string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		if typ, ok := lit.Type.(*ast.Ident); !ok || typ.Name != "Rule" {
			return true
		}
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key, isIdent := kv.Key.(*ast.Ident)
			val, isLit := kv.Value.(*ast.BasicLit)
			if isIdent && isLit && key.Name == "ID" {
				id, _ := strconv.Unquote(val.Value)
				ids = append(ids, id)
			}
		}
		return true
	})
	return ids
}

// The rules run without jsii: nothing of cdktf, constructs or jsii is
// linked into this package.
func TestNoJsii(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "jsii") || strings.Contains(dep, "cdktf") || strings.Contains(dep, "constructs") {
			t.Errorf("policy/rules depends on %s", dep)
		}
	}
}

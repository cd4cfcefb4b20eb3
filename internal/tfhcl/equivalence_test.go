package tfhcl

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// TestGoldenStacksRenderToTheSameConfiguration renders every golden stack
// (the reviewed JSON of the demo and every example config) and checks,
// block by block and argument by argument, that the HCL parses to the same
// configuration as the JSON: both sides are parsed with the HCL library
// (the JSON strings as templates, the way Terraform reads them) and their
// syntax trees are compared in a canonical form. The renderer builds
// hclwrite tokens; this check parses the text they make, so it catches
// escaping, quoting and token mistakes the renderer cannot see.
func TestGoldenStacksRenderToTheSameConfiguration(t *testing.T) {
	files, _ := filepath.Glob("../../__tests__/testdata/golden/*/*.json")
	if len(files) < 10 {
		t.Fatalf("found %d golden stacks, want the demo's and every example config's", len(files))
	}
	for _, file := range files {
		name := filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Render(doc)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			f, diags := hclsyntax.ParseConfig(out, name, hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatalf("rendered HCL does not parse: %s", diags.Error())
			}
			var problems []string
			compareTop(doc, f.Body.(*hclsyntax.Body), func(format string, args ...any) {
				problems = append(problems, fmt.Sprintf(format, args...))
			})
			for _, p := range problems {
				t.Error(p)
			}
		})
	}
}

// TestCheckerSeesDifferences makes sure the comparison can fail: each
// rendering below is subtly wrong and must be reported.
func TestCheckerSeesDifferences(t *testing.T) {
	doc, _ := Parse([]byte(`{"resource": {"aws_vpc": {"v": {
	  "cidr_block": "10.0.0.0/16", "tags": {"a\"b": "x\\y"},
	  "enable_dns_support": true, "depends_on": ["aws_x.y"],
	  "lifecycle": {"precondition": [{"condition": "${a.b == 1}", "error_message": "m"}]}}}}}`))
	for _, wrong := range []string{
		// a literal string where the JSON had an escaped quote in a key
		`resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags = { "a\\b" = "x\\y" }
  enable_dns_support = true
  depends_on = [aws_x.y]
  lifecycle {
    precondition {
      condition = a.b == 1
      error_message = "m"
    }
  }
}`,
		// a backslash lost
		`resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags = { "a\"b" = "xy" }
  enable_dns_support = true
  depends_on = [aws_x.y]
  lifecycle {
    precondition {
      condition = a.b == 1
      error_message = "m"
    }
  }
}`,
		// a string instead of a bool
		`resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags = { "a\"b" = "x\\y" }
  enable_dns_support = "true"
  depends_on = [aws_x.y]
  lifecycle {
    precondition {
      condition = a.b == 1
      error_message = "m"
    }
  }
}`,
		// the condition as a string, not an expression
		`resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags = { "a\"b" = "x\\y" }
  enable_dns_support = true
  depends_on = [aws_x.y]
  lifecycle {
    precondition {
      condition = "a.b == 1"
      error_message = "m"
    }
  }
}`,
		// the precondition as an argument, as cdktf's renderer writes it
		`resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags = { "a\"b" = "x\\y" }
  enable_dns_support = true
  depends_on = [aws_x.y]
  lifecycle {
    precondition = [{ condition = a.b == 1, error_message = "m" }]
  }
}`,
		// a missing argument
		`resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags = { "a\"b" = "x\\y" }
  depends_on = [aws_x.y]
  lifecycle {
    precondition {
      condition = a.b == 1
      error_message = "m"
    }
  }
}`,
	} {
		f, diags := hclsyntax.ParseConfig([]byte(wrong), "wrong.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("test input does not parse: %s\n%s", diags.Error(), wrong)
		}
		var problems []string
		compareTop(doc, f.Body.(*hclsyntax.Body), func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf(format, args...))
		})
		if len(problems) == 0 {
			t.Errorf("no difference found for:\n%s", wrong)
		}
	}
	// and the right rendering passes
	out, err := Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := hclsyntax.ParseConfig(out, "right.tf", hcl.InitialPos)
	compareTop(doc, f.Body.(*hclsyntax.Body), func(format string, args ...any) {
		t.Errorf("the right rendering: "+format, args...)
	})
}

type report func(format string, args ...any)

// compareTop compares the top-level blocks of a JSON document with an
// HCL body.
func compareTop(doc map[string]any, body *hclsyntax.Body, fail report) {
	type want struct {
		typ    string
		labels []string
		body   map[string]any
		schema schema
	}
	var wants []want
	for _, key := range slices.Sorted(maps.Keys(doc)) {
		switch key {
		case "//":
		case "terraform":
			wants = append(wants, want{"terraform", nil, doc[key].(map[string]any), schema{}})
		case "provider":
			for name, v := range doc[key].(map[string]any) {
				s := schema{blocks: set(blockPaths["provider "+name]...)}
				for _, cfg := range objects(v) {
					wants = append(wants, want{"provider", []string{name}, cfg, s})
				}
			}
		case "resource", "data":
			for typ, byName := range doc[key].(map[string]any) {
				for name, b := range byName.(map[string]any) {
					wants = append(wants, want{key, []string{typ, name}, b.(map[string]any), resourceSchema(key, typ)})
				}
			}
		case "output":
			for name, b := range doc[key].(map[string]any) {
				wants = append(wants, want{"output", []string{name}, b.(map[string]any), outputSchema})
			}
		default:
			fail("top-level %q is not covered by this check", key)
		}
	}
	if len(body.Attributes) > 0 {
		fail("top-level arguments in the HCL: %v", slices.Collect(maps.Keys(body.Attributes)))
	}
	if len(body.Blocks) != len(wants) {
		fail("HCL has %d top-level blocks, JSON %d", len(body.Blocks), len(wants))
	}
	for _, w := range wants {
		var found []*hclsyntax.Block
		for _, b := range body.Blocks {
			if b.Type == w.typ && slices.Equal(b.Labels, w.labels) {
				found = append(found, b)
			}
		}
		where := strings.Join(append([]string{w.typ}, w.labels...), ".")
		if w.typ == "provider" {
			// several configurations of one provider: match by alias
			found = slices.DeleteFunc(found, func(b *hclsyntax.Block) bool {
				a, ok := b.Body.Attributes["alias"]
				alias, _ := w.body["alias"].(string)
				if !ok {
					return alias != ""
				}
				return canonExpr(a.Expr) != canonJSON(alias, false)
			})
		}
		if len(found) != 1 {
			fail("%s: %d matching HCL blocks, want 1", where, len(found))
			continue
		}
		if w.typ == "terraform" {
			compareTerraform(w.body, found[0].Body, fail)
			continue
		}
		compareBody(where, w.body, found[0].Body, w.schema, "", fail)
	}
}

func compareTerraform(j map[string]any, h *hclsyntax.Body, fail report) {
	blocks := 0
	for key, v := range j {
		switch key {
		case "required_providers":
			b := onlyBlock(h, key, nil, fail)
			if b != nil {
				compareBody("terraform.required_providers", v.(map[string]any), b.Body, schema{}, "", fail)
			}
			blocks++
		case "backend":
			for typ, cfg := range v.(map[string]any) {
				if b := onlyBlock(h, key, []string{typ}, fail); b != nil {
					compareBody("terraform.backend."+typ, cfg.(map[string]any), b.Body, schema{}, "", fail)
				}
				blocks++
			}
		case "cloud":
			if b := onlyBlock(h, key, nil, fail); b != nil {
				compareBody("terraform.cloud", v.(map[string]any), b.Body, schema{blocks: set("workspaces")}, "", fail)
			}
			blocks++
		default:
			compareAttr("terraform."+key, v, h.Attributes[key], false, fail)
		}
	}
	if len(h.Blocks) != blocks {
		fail("terraform: HCL has %d blocks, JSON %d", len(h.Blocks), blocks)
	}
}

func onlyBlock(h *hclsyntax.Body, typ string, labels []string, fail report) *hclsyntax.Block {
	var found []*hclsyntax.Block
	for _, b := range h.Blocks {
		if b.Type == typ && slices.Equal(b.Labels, labels) {
			found = append(found, b)
		}
	}
	if len(found) != 1 {
		fail("terraform: %d %s %v blocks, want 1", len(found), typ, labels)
		return nil
	}
	return found[0]
}

// compareBody compares a JSON block body with an HCL one.
func compareBody(where string, j map[string]any, h *hclsyntax.Body, s schema, path string, fail report) {
	attrs, blocks := 0, 0
	for _, key := range slices.Sorted(maps.Keys(j)) {
		if key == "//" {
			continue
		}
		at := where + "." + key
		if s.blocks[path+key] {
			items := objects(j[key])
			var found []*hclsyntax.Block
			for _, b := range h.Blocks {
				if b.Type == key {
					found = append(found, b)
				}
			}
			if len(found) != len(items) {
				fail("%s: %d HCL blocks, JSON has %d", at, len(found), len(items))
				continue
			}
			for i := range items {
				compareBody(at, items[i], found[i].Body, s, path+key+".", fail)
			}
			blocks += len(items)
			continue
		}
		attrs++
		compareAttr(at, j[key], h.Attributes[key], s.raw[path+key], fail)
	}
	if len(h.Attributes) != attrs {
		fail("%s: HCL has %d arguments, JSON %d", where, len(h.Attributes), attrs)
	}
	if len(h.Blocks) != blocks {
		fail("%s: HCL has %d nested blocks, JSON %d", where, len(h.Blocks), blocks)
	}
}

func compareAttr(at string, j any, h *hclsyntax.Attribute, raw bool, fail report) {
	if h == nil {
		fail("%s: missing in the HCL", at)
		return
	}
	want, got := canonJSON(j, raw), canonExpr(h.Expr)
	if want != got {
		fail("%s differs:\n  JSON: %s\n  HCL:  %s", at, want, got)
	}
}

func objects(v any) []map[string]any {
	switch v := v.(type) {
	case map[string]any:
		return []map[string]any{v}
	case []any:
		var out []map[string]any
		for _, item := range v {
			out = append(out, item.(map[string]any))
		}
		return out
	}
	return nil
}

// canonJSON is the canonical form of a JSON value as Terraform reads it:
// strings are templates, except where raw says they are expressions.
func canonJSON(v any, raw bool) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("bool(%t)", v)
	case json.Number:
		n, err := cty.ParseNumberVal(v.String())
		if err != nil {
			return "badnum(" + v.String() + ")"
		}
		return canonValue(n)
	case string:
		var e hclsyntax.Expression
		var diags hcl.Diagnostics
		if raw {
			src := v
			if strings.HasPrefix(src, "${") && strings.HasSuffix(src, "}") {
				src = src[2 : len(src)-1]
			}
			e, diags = hclsyntax.ParseExpression([]byte(src), "json", hcl.InitialPos)
		} else {
			e, diags = hclsyntax.ParseTemplate([]byte(v), "json", hcl.InitialPos)
		}
		if diags.HasErrors() {
			return "unparsable(" + v + ")"
		}
		return canonExpr(e)
	case []any:
		parts := make([]string, len(v))
		for i, item := range v {
			parts[i] = canonJSON(item, raw)
		}
		return "tuple(" + strings.Join(parts, ", ") + ")"
	case map[string]any:
		// Terraform reads the keys of a JSON object value as templates.
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(v)) {
			key, diags := hclsyntax.ParseTemplate([]byte(k), "json", hcl.InitialPos)
			if diags.HasErrors() {
				return "unparsable-key(" + k + ")"
			}
			parts = append(parts, canonExpr(key)+"="+canonJSON(v[k], raw))
		}
		slices.Sort(parts)
		return "object(" + strings.Join(parts, ", ") + ")"
	}
	return fmt.Sprintf("?%T", v)
}

func canonValue(v cty.Value) string {
	switch {
	case v.IsNull():
		return "null"
	case v.Type() == cty.String:
		return fmt.Sprintf("str(%q)", v.AsString())
	case v.Type() == cty.Number:
		return "num(" + v.AsBigFloat().Text('g', -1) + ")"
	case v.Type() == cty.Bool:
		return fmt.Sprintf("bool(%t)", v.True())
	}
	return "?" + v.GoString()
}

// canonExpr is the canonical form of a parsed expression: the same
// meaning gives the same string, whatever the syntax (a template made of
// one literal is that string, "${x}" is x, parentheses and spacing go).
func canonExpr(e hclsyntax.Expression) string {
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return canonValue(e.Val)
	case *hclsyntax.TemplateWrapExpr:
		return canonExpr(e.Wrapped)
	case *hclsyntax.TemplateExpr:
		// adjacent literal parts merged: the lexer splits them at will
		var parts []string
		lit, hasLit := "", false
		flush := func() {
			if hasLit {
				parts = append(parts, fmt.Sprintf("str(%q)", lit))
				lit, hasLit = "", false
			}
		}
		for _, p := range e.Parts {
			if l, ok := p.(*hclsyntax.LiteralValueExpr); ok && l.Val.Type() == cty.String {
				lit += l.Val.AsString()
				hasLit = true
				continue
			}
			flush()
			parts = append(parts, canonExpr(p))
		}
		flush()
		if len(parts) == 0 {
			return `str("")`
		}
		if len(parts) == 1 && strings.HasPrefix(parts[0], "str(") {
			return parts[0]
		}
		return "template(" + strings.Join(parts, ", ") + ")"
	case *hclsyntax.ScopeTraversalExpr:
		return "ref(" + canonTraversal(e.Traversal) + ")"
	case *hclsyntax.RelativeTraversalExpr:
		return "rel(" + canonExpr(e.Source) + canonTraversal(e.Traversal) + ")"
	case *hclsyntax.FunctionCallExpr:
		args := make([]string, len(e.Args))
		for i, a := range e.Args {
			args[i] = canonExpr(a)
		}
		return fmt.Sprintf("call(%s, %s, expand=%t)", e.Name, strings.Join(args, ", "), e.ExpandFinal)
	case *hclsyntax.TupleConsExpr:
		parts := make([]string, len(e.Exprs))
		for i, x := range e.Exprs {
			parts[i] = canonExpr(x)
		}
		return "tuple(" + strings.Join(parts, ", ") + ")"
	case *hclsyntax.ObjectConsExpr:
		var parts []string
		for _, item := range e.Items {
			parts = append(parts, canonKey(item.KeyExpr)+"="+canonExpr(item.ValueExpr))
		}
		slices.Sort(parts)
		return "object(" + strings.Join(parts, ", ") + ")"
	case *hclsyntax.IndexExpr:
		return "index(" + canonExpr(e.Collection) + ", " + canonExpr(e.Key) + ")"
	case *hclsyntax.ParenthesesExpr:
		return canonExpr(e.Expression)
	case *hclsyntax.ConditionalExpr:
		return "cond(" + canonExpr(e.Condition) + ", " + canonExpr(e.TrueResult) + ", " + canonExpr(e.FalseResult) + ")"
	case *hclsyntax.BinaryOpExpr:
		return fmt.Sprintf("op(%p, %s, %s)", e.Op, canonExpr(e.LHS), canonExpr(e.RHS))
	case *hclsyntax.UnaryOpExpr:
		return fmt.Sprintf("unary(%p, %s)", e.Op, canonExpr(e.Val))
	}
	return fmt.Sprintf("unsupported(%T)", e)
}

// canonKey: a bare name as an object key is that string; a parenthesized
// or quoted key is its expression.
func canonKey(k hclsyntax.Expression) string {
	if ok, isKey := k.(*hclsyntax.ObjectConsKeyExpr); isKey {
		if !ok.ForceNonLiteral {
			if name := hcl.ExprAsKeyword(ok.Wrapped); name != "" {
				return fmt.Sprintf("str(%q)", name)
			}
		}
		k = ok.Wrapped
	}
	return canonExpr(k)
}

func canonTraversal(tr hcl.Traversal) string {
	var b strings.Builder
	for _, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			b.WriteString("[" + canonValue(s.Key) + "]")
		case hcl.TraverseSplat:
			b.WriteString("[*]")
		default:
			fmt.Fprintf(&b, "?%T", s)
		}
	}
	return b.String()
}

// A template key written as a literal one is a difference the check sees.
func TestCheckerSeesKeyMeaning(t *testing.T) {
	doc, _ := Parse([]byte(`{"resource": {"aws_vpc": {"v": {"tags": {"${a.b}": "1"}}}}}`))
	wrong := "resource \"aws_vpc\" \"v\" {\n  tags = { \"$${a.b}\" = \"1\" }\n}\n"
	f, diags := hclsyntax.ParseConfig([]byte(wrong), "wrong.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var problems []string
	compareTop(doc, f.Body.(*hclsyntax.Body), func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) })
	if len(problems) == 0 {
		t.Error("a literal key for a template key went unnoticed")
	}
	out, err := Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	f, _ = hclsyntax.ParseConfig(out, "right.tf", hcl.InitialPos)
	compareTop(doc, f.Body.(*hclsyntax.Body), func(format string, args ...any) { t.Errorf("right rendering: "+format, args...) })
}

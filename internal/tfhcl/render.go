// Package tfhcl renders a stack's Terraform JSON (what cdktf synthesizes)
// as HCL, for `cdktf synth --hcl` and for ejecting to plain Terraform.
//
// cdktf has an HCL renderer of its own, but in 0.20.11 it writes invalid
// HCL for these stacks (a JSON policy document with references in it is
// not escaped, a lifecycle precondition comes out as an argument; see
// hashicorp/terraform-cdk#3911, left open when the project was archived).
// So the JSON, which the policy rules checked and which cdktf's tested path
// writes, is the source, and this package writes the same configuration in
// the native syntax:
//   - a JSON string is a template in both syntaxes: "${x}" alone becomes
//     the expression x; other strings keep their ${...} parts and have
//     their literal parts escaped for a quoted string;
//   - an object under a key is a nested block or an object argument,
//     which JSON does not tell apart: blockPaths (generated from the AWS
//     provider's schema) and Terraform's own block types decide, and a key
//     neither knows is an error, never a guess;
//   - depends_on, provider, ignore_changes and the like are references,
//     written bare.
//
// The output is formatted and parsed again before it is returned: a
// rendering bug is an error, not a broken file.
package tfhcl

//go:generate bash ../../scripts/gen-block-schema.sh

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// Parse decodes a stack's Terraform JSON, keeping numbers exact.
func Parse(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("terraform JSON: %w", err)
	}
	return doc, nil
}

// The files of a root module, in the order Render puts their blocks in.
const (
	FileVersions    = "versions.tf"
	FileProviders   = "providers.tf"
	FileVariables   = "variables.tf"
	FileRemoteState = "remote_state.tf"
	FileMain        = "main.tf"
	FileOutputs     = "outputs.tf"
)

var fileOrder = []string{FileVersions, FileProviders, FileVariables, FileRemoteState, FileMain, FileOutputs}

// fileHeaders open each file of a split module.
var fileHeaders = map[string]string{
	FileVersions:    "# Terraform and provider versions, and where the state is kept.",
	FileProviders:   "# Provider configurations.",
	FileVariables:   "# Input variables and locals.",
	FileRemoteState: "# Cross-stack reads: outputs of the stacks this one depends on.",
	FileMain:        "# Resources and data sources. Each block's name is the logical ID it was\n# deployed with (its Terraform address): renaming one makes Terraform\n# destroy and recreate it. The comment above a block is its construct path.",
	FileOutputs:     "# Outputs (other stacks read some of them by name: keep the names).",
}

// Render writes doc as one HCL file.
func Render(doc map[string]any) ([]byte, error) {
	files, err := RenderFiles(doc)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	for _, name := range fileOrder {
		if body, ok := files[name]; ok {
			if buf.Len() > 0 {
				buf.WriteString("\n")
			}
			buf.Write(body)
		}
	}
	return buf.Bytes(), nil
}

// RenderFiles writes doc as a root module's files (versions.tf,
// providers.tf, remote_state.tf, main.tf, outputs.tf, and variables.tf
// when it has any), each formatted and parsed again.
func RenderFiles(doc map[string]any) (map[string][]byte, error) {
	r := &renderer{}
	blocks := map[string][]string{}
	for _, key := range slices.Sorted(maps.Keys(doc)) {
		val := doc[key]
		switch key {
		case "//":
			// cdktf's metadata about the stack: not configuration.
		case "terraform":
			body, err := asObject(val, "terraform")
			if err != nil {
				return nil, err
			}
			text, err := r.terraformBlock(body)
			if err != nil {
				return nil, err
			}
			blocks[FileVersions] = append(blocks[FileVersions], text)
		case "provider":
			texts, err := r.providers(val)
			if err != nil {
				return nil, err
			}
			blocks[FileProviders] = append(blocks[FileProviders], texts...)
		case "resource", "data":
			byFile, err := r.resources(key, val)
			if err != nil {
				return nil, err
			}
			for file, texts := range byFile {
				blocks[file] = append(blocks[file], texts...)
			}
		case "output":
			texts, err := r.named("output", val, outputSchema)
			if err != nil {
				return nil, err
			}
			blocks[FileOutputs] = append(blocks[FileOutputs], texts...)
		case "variable":
			texts, err := r.named("variable", val, variableSchema)
			if err != nil {
				return nil, err
			}
			blocks[FileVariables] = append(blocks[FileVariables], texts...)
		case "locals":
			body, err := asObject(val, "locals")
			if err != nil {
				return nil, err
			}
			var b strings.Builder
			b.WriteString("locals {\n")
			for _, name := range slices.Sorted(maps.Keys(body)) {
				v, err := r.value(body[name], "locals."+name)
				if err != nil {
					return nil, err
				}
				fmt.Fprintf(&b, "%s = %s\n", name, v)
			}
			b.WriteString("}\n")
			blocks[FileVariables] = append(blocks[FileVariables], b.String())
		default:
			return nil, fmt.Errorf("%s: not supported by the HCL rendering (only terraform, provider, variable, locals, data, resource and output are)", key)
		}
	}
	files := map[string][]byte{}
	for file, texts := range blocks {
		src := fileHeaders[file] + "\n\n" + strings.Join(texts, "\n")
		out := hclwrite.Format([]byte(src))
		if _, diags := hclsyntax.ParseConfig(out, file, hcl.InitialPos); diags.HasErrors() {
			return nil, fmt.Errorf("HCL rendering produced invalid %s (a bug; synth without --hcl): %s", file, diags.Error())
		}
		files[file] = out
	}
	return files, nil
}

type renderer struct{}

// schema says which keys of a body are nested blocks.
type schema struct {
	blocks map[string]bool
	// raw names the arguments whose strings are references, not templates.
	raw map[string]bool
	// known says the schema is complete: an object-valued key not in
	// blocks is an argument. Without it, such a key is an error.
	known bool
	// unsupported are the block types the rendering refuses.
	unsupported map[string]bool
}

func (s schema) isBlock(path string) bool { return s.blocks[path] }

var (
	lifecycleBlocks = []string{"lifecycle", "lifecycle.precondition", "lifecycle.postcondition"}
	resourceRaw     = map[string]bool{"depends_on": true, "provider": true, "lifecycle.ignore_changes": true, "lifecycle.replace_triggered_by": true}
	outputSchema    = schema{blocks: set("precondition"), raw: set("depends_on"), known: true}
	variableSchema  = schema{blocks: set("validation"), raw: set("type"), known: true}
)

func set(keys ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// resourceSchema is the block schema of a resource or data source type.
func resourceSchema(kind, typ string) schema {
	// provisioner, connection and dynamic blocks: cdktf writes them in
	// shapes this rendering does not map; refused rather than guessed.
	s := schema{blocks: set(lifecycleBlocks...), raw: resourceRaw, unsupported: set("provisioner", "connection", "dynamic")}
	if kind == "data" && typ == "terraform_remote_state" {
		s.known = true // backend, config, defaults, workspace: all arguments
		return s
	}
	if paths, ok := blockPaths[kind+" "+typ]; ok {
		for _, p := range paths {
			s.blocks[p] = true
		}
		s.known = true
	}
	return s
}

func (r *renderer) terraformBlock(body map[string]any) (string, error) {
	var b strings.Builder
	b.WriteString("terraform {\n")
	for _, key := range slices.Sorted(maps.Keys(body)) {
		val := body[key]
		switch key {
		case "required_providers":
			providers, err := asObject(val, "terraform.required_providers")
			if err != nil {
				return "", err
			}
			b.WriteString("required_providers {\n")
			for _, name := range slices.Sorted(maps.Keys(providers)) {
				v, err := r.value(providers[name], "terraform.required_providers."+name)
				if err != nil {
					return "", err
				}
				fmt.Fprintf(&b, "%s = %s\n", name, v)
			}
			b.WriteString("}\n")
		case "backend":
			backends, err := asObject(val, "terraform.backend")
			if err != nil {
				return "", err
			}
			for _, typ := range slices.Sorted(maps.Keys(backends)) {
				cfg, err := asObject(backends[typ], "terraform.backend."+typ)
				if err != nil {
					return "", err
				}
				// A backend's settings are all arguments (S3's
				// assume_role is an object argument).
				text, err := r.body(cfg, "terraform.backend."+typ, "", schema{known: true})
				if err != nil {
					return "", err
				}
				fmt.Fprintf(&b, "backend %s {\n%s}\n", quote(typ), text)
			}
		case "cloud":
			cfg, err := asObject(val, "terraform.cloud")
			if err != nil {
				return "", err
			}
			text, err := r.body(cfg, "terraform.cloud", "", schema{blocks: set("workspaces"), known: true})
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "cloud {\n%s}\n", text)
		default:
			if isObjectLike(val) {
				return "", fmt.Errorf("terraform.%s: not supported by the HCL rendering", key)
			}
			v, err := r.value(val, "terraform."+key)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "%s = %s\n", key, v)
		}
	}
	b.WriteString("}\n")
	return b.String(), nil
}

func (r *renderer) providers(val any) ([]string, error) {
	all, err := asObject(val, "provider")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(all)) {
		s := schema{blocks: map[string]bool{}}
		if paths, ok := blockPaths["provider "+name]; ok {
			for _, p := range paths {
				s.blocks[p] = true
			}
			s.known = true
		}
		configs, err := asObjects(all[name], "provider."+name)
		if err != nil {
			return nil, err
		}
		for _, cfg := range configs {
			text, err := r.body(cfg, "provider."+name, "", s)
			if err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprintf("provider %s {\n%s}\n", quote(name), text))
		}
	}
	return out, nil
}

// resources renders every block of kind (resource or data), ordered by
// construct path so that what one construct made stays together; the
// cross-stack reads go to their own file.
func (r *renderer) resources(kind string, val any) (map[string][]string, error) {
	byType, err := asObject(val, kind)
	if err != nil {
		return nil, err
	}
	type entry struct{ file, order, text string }
	var entries []entry
	for _, typ := range slices.Sorted(maps.Keys(byType)) {
		byName, err := asObject(byType[typ], kind+"."+typ)
		if err != nil {
			return nil, err
		}
		s := resourceSchema(kind, typ)
		for _, name := range slices.Sorted(maps.Keys(byName)) {
			where := kind + "." + typ + "." + name
			if kind == "resource" {
				where = typ + "." + name
			}
			body, err := asObject(byName[name], where)
			if err != nil {
				return nil, err
			}
			text, err := r.body(body, where, "", s)
			if err != nil {
				return nil, err
			}
			path := constructPath(body)
			var b strings.Builder
			if path != "" {
				fmt.Fprintf(&b, "# %s\n", path)
			}
			fmt.Fprintf(&b, "%s %s %s {\n%s}\n", kind, quote(typ), quote(name), text)
			e := entry{file: FileMain, order: path + "\x00" + where, text: b.String()}
			if kind == "data" && typ == "terraform_remote_state" {
				e.file = FileRemoteState
			}
			entries = append(entries, e)
		}
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return strings.Compare(a.order, b.order) })
	out := map[string][]string{}
	for _, e := range entries {
		out[e.file] = append(out[e.file], e.text)
	}
	return out, nil
}

// named renders output or variable blocks.
func (r *renderer) named(kind string, val any, s schema) ([]string, error) {
	all, err := asObject(val, kind)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(all)) {
		body, err := asObject(all[name], kind+"."+name)
		if err != nil {
			return nil, err
		}
		text, err := r.body(body, kind+"."+name, "", s)
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s %s {\n%s}\n", kind, quote(name), text))
	}
	return out, nil
}

// metaFirst are the meta-arguments written first in a block, and
// metaLast those written after its arguments and nested blocks, as
// Terraform's style guide orders them.
var (
	metaFirst = []string{"count", "for_each", "provider"}
	metaLast  = []string{"depends_on", "lifecycle"}
)

// body renders the inside of a block: arguments, then nested blocks.
// where names it in errors; path is its position below the top block,
// for the schema ("" at the top, "health_check." below it).
func (r *renderer) body(body map[string]any, where, path string, s schema) (string, error) {
	rank := func(k string) int {
		if path == "" {
			if i := slices.Index(metaFirst, k); i >= 0 {
				return i - len(metaFirst)
			}
			if i := slices.Index(metaLast, k); i >= 0 {
				return 1000 + i
			}
		}
		if s.isBlock(path + k) {
			return 500
		}
		return 0
	}
	keys := slices.Sorted(maps.Keys(body))
	slices.SortStableFunc(keys, func(a, b string) int { return rank(a) - rank(b) })
	var b strings.Builder
	for _, key := range keys {
		if key == "//" {
			continue
		}
		val, at := body[key], where+"."+key
		if path == "" && s.unsupported[key] {
			return "", fmt.Errorf("%s: %s blocks are not supported by the HCL rendering", where, key)
		}
		switch {
		case s.isBlock(path + key):
			items, err := asObjects(val, at)
			if err != nil {
				return "", err
			}
			for _, item := range items {
				text, err := r.body(item, at, path+key+".", s)
				if err != nil {
					return "", err
				}
				fmt.Fprintf(&b, "%s {\n%s}\n", key, text)
			}
		case s.raw[path+key]:
			v, err := r.reference(val, at)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "%s = %s\n", key, v)
		default:
			if !s.known && isObjectLike(val) {
				return "", fmt.Errorf("%s: no schema says whether %q is a nested block or an argument (add the type to internal/tfhcl/gen and run scripts/gen-block-schema.sh)", where, key)
			}
			if !hclsyntax.ValidIdentifier(key) {
				return "", fmt.Errorf("%s: %q is not a valid argument name", where, key)
			}
			v, err := r.value(val, at)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "%s = %s\n", key, v)
		}
	}
	return b.String(), nil
}

// value renders an argument's JSON value as an HCL expression.
func (r *renderer) value(v any, at string) (string, error) {
	switch v := v.(type) {
	case nil:
		return "null", nil
	case bool:
		if v {
			return "true", nil
		}
		return "false", nil
	case json.Number:
		return v.String(), nil
	case float64: // a document decoded without UseNumber
		return string(hclwrite.TokensForValue(cty.NumberFloatVal(v)).Bytes()), nil
	case string:
		return template(v, at)
	case []any:
		if len(v) == 0 {
			return "[]", nil
		}
		parts := make([]string, len(v))
		for i, item := range v {
			s, err := r.value(item, fmt.Sprintf("%s[%d]", at, i))
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "[\n" + strings.Join(parts, ",\n") + ",\n]", nil
	case map[string]any:
		if len(v) == 0 {
			return "{}", nil
		}
		var b strings.Builder
		b.WriteString("{\n")
		for _, k := range slices.Sorted(maps.Keys(v)) {
			s, err := r.value(v[k], at+"."+k)
			if err != nil {
				return "", err
			}
			key, err := objectKey(k, at)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "%s = %s\n", key, s)
		}
		b.WriteString("}")
		return b.String(), nil
	}
	return "", fmt.Errorf("%s: unexpected JSON value %T", at, v)
}

// reference renders a meta-argument whose JSON strings are expressions
// (depends_on, provider, ignore_changes, a variable's type).
func (r *renderer) reference(v any, at string) (string, error) {
	switch v := v.(type) {
	case string:
		src := v
		if inner, ok := wholeInterpolation(v); ok {
			src = inner
		}
		if _, diags := hclsyntax.ParseExpression([]byte(src), at, hcl.InitialPos); diags.HasErrors() {
			return "", fmt.Errorf("%s: %q is not an expression: %s", at, v, diags.Error())
		}
		return src, nil
	case []any:
		parts := make([]string, len(v))
		for i, item := range v {
			s, err := r.reference(item, fmt.Sprintf("%s[%d]", at, i))
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		if len(parts) == 0 {
			return "[]", nil
		}
		return "[\n" + strings.Join(parts, ",\n") + ",\n]", nil
	}
	return "", fmt.Errorf("%s: expected a reference, got %T", at, v)
}

// template renders a JSON string, which Terraform reads as a template, as
// the HCL expression that means the same.
func template(s, at string) (string, error) {
	if !strings.Contains(s, "${") && !strings.Contains(s, "%{") {
		return quoteLiteral(s), nil
	}
	if inner, ok := wholeInterpolation(s); ok {
		return inner, nil
	}
	if _, diags := hclsyntax.ParseTemplate([]byte(s), at, hcl.InitialPos); diags.HasErrors() {
		return "", fmt.Errorf("%s: %q is not a valid template: %s", at, s, diags.Error())
	}
	tokens, _ := hclsyntax.LexTemplate([]byte(s), at, hcl.InitialPos)
	var b strings.Builder
	b.WriteByte('"')
	depth, done := 0, 0 // done: the bytes of s written so far
	for _, t := range tokens {
		start, end := t.Range.Start.Byte, t.Range.End.Byte
		switch {
		case t.Type == hclsyntax.TokenEOF:
		case depth == 0 && t.Type != hclsyntax.TokenTemplateInterp && t.Type != hclsyntax.TokenTemplateControl:
			b.WriteString(escapeLiteral(s[start:end]))
		default:
			// ${, %{ and everything up to their closing brace, spaces
			// included, as written: this is expression syntax, the same
			// in both.
			if strings.ContainsAny(s[done:end], "\r\n") {
				return "", fmt.Errorf("%s: a line break inside ${...} cannot be written in a quoted HCL string", at)
			}
			b.WriteString(s[done:end])
			switch t.Type {
			case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
				depth++
			case hclsyntax.TokenTemplateSeqEnd:
				depth--
			}
		}
		done = end
	}
	b.WriteByte('"')
	out := b.String()
	if _, diags := hclsyntax.ParseExpression([]byte(out), at, hcl.InitialPos); diags.HasErrors() {
		return "", fmt.Errorf("%s: rendering %q gave invalid HCL %s: %s", at, s, out, diags.Error())
	}
	return out, nil
}

// wholeInterpolation reports whether s is exactly one "${...}" (without
// strip markers), and returns what is inside.
func wholeInterpolation(s string) (string, bool) {
	if !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") || strings.HasPrefix(s, "${~") || strings.HasSuffix(s, "~}") {
		return "", false
	}
	tokens, diags := hclsyntax.LexTemplate([]byte(s), "", hcl.InitialPos)
	if diags.HasErrors() {
		return "", false
	}
	depth := 0
	for i, t := range tokens {
		switch t.Type {
		case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			if i > 0 && depth == 0 {
				return "", false
			}
			depth++
		case hclsyntax.TokenTemplateSeqEnd:
			depth--
			if depth == 0 && t.Range.End.Byte != len(s) {
				return "", false
			}
		case hclsyntax.TokenEOF:
		default:
			if depth == 0 {
				return "", false
			}
		}
	}
	if tokens[0].Type != hclsyntax.TokenTemplateInterp {
		return "", false
	}
	inner := strings.TrimSpace(s[2 : len(s)-1])
	if _, diags := hclsyntax.ParseExpression([]byte(inner), "", hcl.InitialPos); diags.HasErrors() {
		return "", false
	}
	if strings.ContainsAny(inner, "\r\n") {
		return "(" + inner + ")", true
	}
	return inner, true
}

// escapeLiteral escapes the literal part of a template for a quoted HCL
// string. Template escapes ($${ and %%{) mean the same in both syntaxes
// and stay as they are.
func escapeLiteral(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// quoteLiteral renders a string with no template sequences.
func quoteLiteral(s string) string { return `"` + escapeLiteral(s) + `"` }

// quote renders a block label.
func quote(s string) string {
	return strings.TrimSpace(string(hclwrite.TokensForValue(cty.StringVal(s)).Bytes()))
}

// objectKey renders a key of an object argument. Terraform reads the keys
// of a JSON object value as templates, like its strings: a plain name is
// written bare (HCL reads a bare key as that string; keywords are quoted),
// a whole "${x}" becomes (x), anything else a quoted template.
func objectKey(k, at string) (string, error) {
	if plainName.MatchString(k) && !slices.Contains(keywords, k) {
		return k, nil
	}
	t, err := template(k, at+" key")
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(t, `"`) {
		return "(" + t + ")", nil
	}
	return t, nil
}

// keywords mean something else as a bare object key.
var keywords = []string{"null", "true", "false", "for", "in", "if"}

var plainName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func constructPath(body map[string]any) string {
	meta, _ := body["//"].(map[string]any)
	md, _ := meta["metadata"].(map[string]any)
	p, _ := md["path"].(string)
	return strings.ReplaceAll(p, "\n", " ")
}

func isObjectLike(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		return true
	case []any:
		for _, item := range v {
			if _, ok := item.(map[string]any); ok {
				return true
			}
		}
	}
	return false
}

func asObject(v any, at string) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: expected an object, got %T", at, v)
	}
	return m, nil
}

// asObjects reads a nested block's value: one object, or a list of them.
func asObjects(v any, at string) ([]map[string]any, error) {
	switch v := v.(type) {
	case map[string]any:
		return []map[string]any{v}, nil
	case []any:
		out := make([]map[string]any, len(v))
		for i, item := range v {
			m, err := asObject(item, fmt.Sprintf("%s[%d]", at, i))
			if err != nil {
				return nil, err
			}
			out[i] = m
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s: expected a block (an object or a list of objects), got %T", at, v)
}

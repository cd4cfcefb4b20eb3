package tfhcl

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Kind is a section of a configuration: the top-level blocks of one role.
type Kind int

// The sections, in the order Render writes them.
const (
	Terraform   Kind = iota // the terraform block: versions, backend
	Providers               // provider blocks
	Variables               // variable and locals blocks
	RemoteState             // data "terraform_remote_state": cross-stack reads
	Resources               // resource blocks and the other data sources
	Outputs                 // output blocks
)

var kindNames = []string{"terraform", "providers", "variables", "remote state", "resources", "outputs"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// Section holds the top-level blocks of one kind, in the order they are
// written, a blank line between two.
type Section struct {
	Kind Kind
	file *hclwrite.File
	n    int // blocks in file
}

// Bytes writes the section's blocks under comments (each written as #
// lines, then a blank line), formatted and parsed again.
func (s Section) Bytes(comments ...string) ([]byte, error) {
	var toks hclwrite.Tokens
	for _, c := range comments {
		for _, line := range strings.Split(c, "\n") {
			toks = append(toks, commentToken(line))
		}
		toks = append(toks, newToken(hclsyntax.TokenNewline, "\n"))
	}
	toks = append(toks, s.file.BuildTokens(nil)...)
	out := hclwrite.Format(toks.Bytes())
	if _, diags := hclsyntax.ParseConfig(out, s.Kind.String(), hcl.InitialPos); diags.HasErrors() {
		return nil, fmt.Errorf("HCL rendering produced invalid %s (a bug; synth without --hcl): %s", s.Kind, diags.Error())
	}
	return out, nil
}

// commentToken is a # comment line (its token holds the line break).
func commentToken(line string) *hclwrite.Token {
	if line == "" {
		return newToken(hclsyntax.TokenComment, "#\n")
	}
	return newToken(hclsyntax.TokenComment, "# "+line+"\n")
}

// topBlock is a top-level block and the section it goes in.
type topBlock struct {
	kind    Kind
	comment string // written above it (a resource's construct path)
	block   *hclwrite.Block
}

// Sections renders doc's top-level blocks and groups them by kind: the
// sections doc has, in Kind order. A section holds blocks in the order
// of the keys of doc, except resources and data sources (ordered by
// construct path, so that what one construct made stays together).
func Sections(doc map[string]any) ([]Section, error) {
	found := map[Kind]*Section{}
	section := func(k Kind) *Section {
		if found[k] == nil {
			found[k] = &Section{Kind: k, file: hclwrite.NewEmptyFile()}
		}
		return found[k]
	}
	for _, key := range slices.Sorted(maps.Keys(doc)) {
		blocks, err := topBlocks(key, doc[key], section)
		if err != nil {
			return nil, err
		}
		for _, b := range blocks {
			section(b.kind).add(b)
		}
	}
	var out []Section
	for _, k := range slices.Sorted(maps.Keys(found)) {
		out = append(out, *found[k])
	}
	return out, nil
}

// topBlocks renders the blocks under one top-level key of the document.
// A provider, variable or output key makes its section even with no
// block in it.
func topBlocks(key string, val any, section func(Kind) *Section) ([]topBlock, error) {
	switch key {
	case "//":
		// cdktf's metadata about the stack: not configuration.
		return nil, nil
	case "terraform":
		return terraformBlock(val)
	case "provider":
		section(Providers)
		return providers(val)
	case "resource", "data":
		return resources(key, val)
	case "output":
		section(Outputs)
		return named("output", val, outputSchema, Outputs)
	case "variable":
		section(Variables)
		return named("variable", val, variableSchema, Variables)
	case "locals":
		return locals(val)
	}
	return nil, fmt.Errorf("%s: not supported by the HCL rendering (only terraform, provider, variable, locals, data, resource and output are)", key)
}

func (s *Section) add(b topBlock) {
	body := s.file.Body()
	if s.n > 0 {
		body.AppendNewline()
	}
	s.n++
	if b.comment != "" {
		body.AppendUnstructuredTokens(hclwrite.Tokens{commentToken(b.comment)})
	}
	body.AppendBlock(b.block)
}

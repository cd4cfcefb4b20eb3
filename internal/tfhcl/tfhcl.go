// Package tfhcl renders a stack's Terraform JSON (what cdktf synthesizes)
// as HCL, for `cdktf synth --hcl` and for ejecting to plain Terraform.
//
// cdktf has an HCL renderer of its own, but in 0.20.11 it writes invalid
// HCL for these stacks (a JSON policy document with references in it is
// not escaped, a lifecycle precondition comes out as an argument; see
// hashicorp/terraform-cdk#3911, left open when the project was archived).
// So the JSON, which the policy rules checked and which cdktf's tested path
// writes, is the source, and this package writes the same configuration in
// the native syntax, as an hclwrite syntax tree (the library quotes and
// escapes every literal, from its cty value):
//   - a JSON string is a template in both syntaxes: "${x}" alone becomes
//     the expression x; other strings become a quoted template, their
//     ${...} parts kept token for token and their literal parts escaped
//     (template.go);
//   - an object under a key is a nested block or an object argument,
//     which JSON does not tell apart: blockPaths (generated from the AWS
//     provider's schema) and Terraform's own block types decide, and a key
//     neither knows is an error, never a guess (schema.go);
//   - depends_on, provider, ignore_changes and the like are references,
//     written bare (values.go).
//
// Sections groups the top-level blocks by kind (sections.go); Render
// writes them as one file, and package eject as a root module's files.
// Every rendering is formatted and parsed again before it is returned: a
// rendering bug is an error, not a broken file.
package tfhcl

//go:generate bash ../../scripts/gen-block-schema.sh

import (
	"bytes"
	"encoding/json"
	"fmt"
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

// oneFile are the comments over each section of Render's single file.
var oneFile = map[Kind]string{
	Terraform:   "Terraform and provider versions, and where the state is kept.",
	Providers:   "Provider configurations.",
	Variables:   "Input variables and locals.",
	RemoteState: "Cross-stack reads: outputs of the stacks this one depends on.",
	Resources:   "Resources and data sources. Each block's name is the logical ID it was\ndeployed with (its Terraform address): renaming one makes Terraform\ndestroy and recreate it. The comment above a block is its construct path.",
	Outputs:     "Outputs (other stacks read some of them by name: keep the names).",
}

// Render writes doc as one HCL file: its sections in Kind order, each
// under a comment saying what it holds, a blank line between them.
func Render(doc map[string]any) ([]byte, error) {
	sections, err := Sections(doc)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	for i, s := range sections {
		out, err := s.Bytes(oneFile[s.Kind])
		if err != nil {
			return nil, err
		}
		if i > 0 {
			buf.WriteString("\n")
		}
		buf.Write(out)
	}
	return buf.Bytes(), nil
}

package tfhcl

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// template renders a JSON string, which Terraform reads as a template, as
// the tokens of the HCL expression that means the same: a quoted string
// when it has no template sequence, the expression when it is one whole
// "${...}", otherwise a quoted template.
func template(s, at string) (hclwrite.Tokens, error) {
	if !strings.Contains(s, "${") && !strings.Contains(s, "%{") {
		return hclwrite.TokensForValue(cty.StringVal(s)), nil
	}
	if toks, ok := interpolation(s); ok {
		return toks, nil
	}
	if _, diags := hclsyntax.ParseTemplate([]byte(s), at, hcl.InitialPos); diags.HasErrors() {
		return nil, fmt.Errorf("%s: %q is not a valid template: %s", at, s, diags.Error())
	}
	toks, err := quotedTemplate(s, at)
	if err != nil {
		return nil, err
	}
	if _, diags := hclsyntax.ParseExpression(toks.Bytes(), at, hcl.InitialPos); diags.HasErrors() {
		return nil, fmt.Errorf("%s: rendering %q gave invalid HCL %s: %s", at, s, toks.Bytes(), diags.Error())
	}
	return toks, nil
}

// quotedTemplate writes the template s (valid) as a quoted one. Its ${...}
// and %{...} sequences are expression syntax, the same in both: their
// tokens are kept as lexed. The literal text between them is decoded and
// escaped again for a quoted string by hclwrite (which also writes the
// template escapes $${ and %%{ again).
func quotedTemplate(s, at string) (hclwrite.Tokens, error) {
	lexed, _ := hclsyntax.LexTemplate([]byte(s), at, hcl.InitialPos)
	out := hclwrite.Tokens{newToken(hclsyntax.TokenOQuote, `"`)}
	var literal strings.Builder // the literal source not yet written
	flush := func() error {
		if literal.Len() == 0 {
			return nil
		}
		lit, err := literalTokens(literal.String(), at)
		out = append(out, lit...)
		literal.Reset()
		return err
	}
	depth, done := 0, 0 // done: the bytes of s lexed so far
	for _, t := range lexed {
		start, end := t.Range.Start.Byte, t.Range.End.Byte
		switch {
		case t.Type == hclsyntax.TokenEOF:
		case depth == 0 && t.Type != hclsyntax.TokenTemplateInterp && t.Type != hclsyntax.TokenTemplateControl:
			literal.WriteString(s[start:end])
		default:
			if err := flush(); err != nil {
				return nil, err
			}
			if strings.ContainsAny(s[done:end], "\r\n") {
				return nil, fmt.Errorf("%s: a line break inside ${...} cannot be written in a quoted HCL string", at)
			}
			out = append(out, writerToken(t, start-done))
			switch t.Type {
			case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
				depth++
			case hclsyntax.TokenTemplateSeqEnd:
				depth--
			}
		}
		done = end
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return append(out, newToken(hclsyntax.TokenCQuote, `"`)), nil
}

// literalTokens renders src, literal template text (no ${ or %{ but its
// escapes), as the inside of a quoted string.
func literalTokens(src, at string) (hclwrite.Tokens, error) {
	expr, diags := hclsyntax.ParseTemplate([]byte(src), at, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: literal text %q: %s", at, src, diags.Error())
	}
	val, diags := expr.Value(nil)
	if diags.HasErrors() || val.Type() != cty.String || !val.IsKnown() || val.IsNull() {
		return nil, fmt.Errorf("%s: literal text %q is not a string (a bug): %s", at, src, diags.Error())
	}
	quoted := hclwrite.TokensForValue(val)
	return quoted[1 : len(quoted)-1], nil // without the quotes
}

// interpolation returns the tokens of the expression that s holds when s
// is exactly one "${...}".
func interpolation(s string) (hclwrite.Tokens, bool) {
	inner, ok := wholeInterpolation(s)
	if !ok {
		return nil, false
	}
	toks := expressionTokens(inner)
	if strings.ContainsAny(inner, "\r\n") {
		// An argument ends at a line break; in parentheses, an
		// expression spans lines.
		toks = parenthesized(toks)
	}
	return toks, true
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
	return inner, true
}

// expressionTokens are the tokens of src, a valid expression, as lexed.
func expressionTokens(src string) hclwrite.Tokens {
	lexed, _ := hclsyntax.LexExpression([]byte(src), "", hcl.InitialPos)
	var out hclwrite.Tokens
	done := 0
	for _, t := range lexed {
		if t.Type == hclsyntax.TokenEOF {
			break
		}
		out = append(out, writerToken(t, t.Range.Start.Byte-done))
		done = t.Range.End.Byte
	}
	return out
}

// writerToken is a lexed token as hclwrite holds it, after spaces
// (the gap to the previous token: only spaces separate tokens).
func writerToken(t hclsyntax.Token, spaces int) *hclwrite.Token {
	return &hclwrite.Token{Type: t.Type, Bytes: append([]byte(nil), t.Bytes...), SpacesBefore: spaces}
}

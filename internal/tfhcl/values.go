package tfhcl

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// value renders an argument's JSON value as the tokens of an HCL
// expression. Literals are cty values, written by hclwrite.
func value(v any, at string) (hclwrite.Tokens, error) {
	switch v := v.(type) {
	case nil:
		return hclwrite.TokensForValue(cty.NullVal(cty.DynamicPseudoType)), nil
	case bool:
		return hclwrite.TokensForValue(cty.BoolVal(v)), nil
	case json.Number:
		n, err := cty.ParseNumberVal(v.String())
		if err != nil {
			return nil, fmt.Errorf("%s: %s is not a number: %w", at, v, err)
		}
		return hclwrite.TokensForValue(n), nil
	case float64: // a document decoded without UseNumber
		return hclwrite.TokensForValue(cty.NumberFloatVal(v)), nil
	case string:
		return template(v, at)
	case []any:
		elems := make([]hclwrite.Tokens, len(v))
		for i, item := range v {
			e, err := value(item, fmt.Sprintf("%s[%d]", at, i))
			if err != nil {
				return nil, err
			}
			elems[i] = e
		}
		return tupleTokens(elems), nil
	case map[string]any:
		return objectTokens(v, at)
	}
	return nil, fmt.Errorf("%s: unexpected JSON value %T", at, v)
}

// objectTokens renders an object argument, one key per line, by key.
func objectTokens(v map[string]any, at string) (hclwrite.Tokens, error) {
	attrs := make([]hclwrite.ObjectAttrTokens, 0, len(v))
	for _, k := range slices.Sorted(maps.Keys(v)) {
		val, err := value(v[k], at+"."+k)
		if err != nil {
			return nil, err
		}
		key, err := objectKey(k, at)
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: key, Value: val})
	}
	return hclwrite.TokensForObject(attrs), nil
}

// tupleTokens is a list of expressions, one per line, each followed by a
// comma (hclwrite.TokensForTuple writes them on one line).
func tupleTokens(elems []hclwrite.Tokens) hclwrite.Tokens {
	toks := hclwrite.Tokens{newToken(hclsyntax.TokenOBrack, "[")}
	if len(elems) > 0 {
		toks = append(toks, newToken(hclsyntax.TokenNewline, "\n"))
	}
	for _, e := range elems {
		toks = append(toks, e...)
		toks = append(toks, newToken(hclsyntax.TokenComma, ","), newToken(hclsyntax.TokenNewline, "\n"))
	}
	return append(toks, newToken(hclsyntax.TokenCBrack, "]"))
}

// reference renders a meta-argument whose JSON strings are expressions
// (depends_on, provider, ignore_changes, a variable's type).
func reference(v any, at string) (hclwrite.Tokens, error) {
	switch v := v.(type) {
	case string:
		if toks, ok := interpolation(v); ok {
			return toks, nil
		}
		if _, diags := hclsyntax.ParseExpression([]byte(v), at, hcl.InitialPos); diags.HasErrors() {
			return nil, fmt.Errorf("%s: %q is not an expression: %s", at, v, diags.Error())
		}
		return expressionTokens(v), nil
	case []any:
		elems := make([]hclwrite.Tokens, len(v))
		for i, item := range v {
			e, err := reference(item, fmt.Sprintf("%s[%d]", at, i))
			if err != nil {
				return nil, err
			}
			elems[i] = e
		}
		return tupleTokens(elems), nil
	}
	return nil, fmt.Errorf("%s: expected a reference, got %T", at, v)
}

// objectKey renders a key of an object argument. Terraform reads the keys
// of a JSON object value as templates, like its strings: a plain name is
// written bare (HCL reads a bare key as that string; keywords are quoted),
// a whole "${x}" becomes (x), anything else a quoted template.
func objectKey(k, at string) (hclwrite.Tokens, error) {
	if plainName.MatchString(k) && !slices.Contains(keywords, k) {
		return hclwrite.TokensForIdentifier(k), nil
	}
	t, err := template(k, at+" key")
	if err != nil {
		return nil, err
	}
	if t[0].Type != hclsyntax.TokenOQuote {
		return parenthesized(t), nil
	}
	return t, nil
}

// keywords mean something else as a bare object key.
var keywords = []string{"null", "true", "false", "for", "in", "if"}

var plainName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func parenthesized(toks hclwrite.Tokens) hclwrite.Tokens {
	out := hclwrite.Tokens{newToken(hclsyntax.TokenOParen, "(")}
	out = append(out, toks...)
	return append(out, newToken(hclsyntax.TokenCParen, ")"))
}

func newToken(typ hclsyntax.TokenType, src string) *hclwrite.Token {
	return &hclwrite.Token{Type: typ, Bytes: []byte(src)}
}

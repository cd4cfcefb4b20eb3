package tfhcl

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// metaFirst are the meta-arguments written first in a block, and
// metaLast those written after its arguments and nested blocks, as
// Terraform's style guide orders them.
var (
	metaFirst = []string{"count", "for_each", "provider"}
	metaLast  = []string{"depends_on", "lifecycle"}
)

// bodyOrder orders the keys of a block body: the leading meta-arguments,
// the arguments, the nested blocks, the trailing meta-arguments; by name
// within each.
func bodyOrder(body map[string]any, path string, s schema) []string {
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
	return keys
}

// writeBody writes the inside of a block into out: arguments, then
// nested blocks. where names it in errors; path is its position below
// the top block, for the schema ("" at the top, "health_check." below it).
func writeBody(out *hclwrite.Body, body map[string]any, where, path string, s schema) error {
	for _, key := range bodyOrder(body, path, s) {
		if key == "//" {
			continue
		}
		val, at := body[key], where+"."+key
		if path == "" && s.unsupported[key] {
			return fmt.Errorf("%s: %s blocks are not supported by the HCL rendering", where, key)
		}
		switch {
		case s.isBlock(path + key):
			items, err := asObjects(val, at)
			if err != nil {
				return err
			}
			for _, item := range items {
				if err := writeBody(out.AppendNewBlock(key, nil).Body(), item, at, path+key+".", s); err != nil {
					return err
				}
			}
		case s.raw[path+key]:
			v, err := reference(val, at)
			if err != nil {
				return err
			}
			out.SetAttributeRaw(key, v)
		default:
			if !s.known && isObjectLike(val) {
				return fmt.Errorf("%s: no schema says whether %q is a nested block or an argument (add the type to internal/tfhcl/gen and run scripts/gen-block-schema.sh)", where, key)
			}
			if !hclsyntax.ValidIdentifier(key) {
				return fmt.Errorf("%s: %q is not a valid argument name", where, key)
			}
			v, err := value(val, at)
			if err != nil {
				return err
			}
			out.SetAttributeRaw(key, v)
		}
	}
	return nil
}

package tfhcl

import (
	"fmt"
	"strings"
)

// constructPath is the construct path cdktf records in a block's
// metadata, on one line.
func constructPath(body map[string]any) string {
	meta, _ := body["//"].(map[string]any)
	md, _ := meta["metadata"].(map[string]any)
	p, _ := md["path"].(string)
	return strings.ReplaceAll(p, "\n", " ")
}

// isObjectLike reports whether v is an object or a list holding one:
// a nested block or an object argument.
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

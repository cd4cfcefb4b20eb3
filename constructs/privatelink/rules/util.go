package rules

import (
	"fmt"
	"strings"
)

// boolOr is *b, or def when b is unset.
func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

// JoinInts is "80, 443".
func JoinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

package cli

import (
	"flag"
	"maps"
	"slices"
	"strings"
	"testing"
)

// help lists exactly the commands main dispatches to.
func TestHelpListsEveryCommand(t *testing.T) {
	var listed []string
	for _, c := range commandList {
		listed = append(listed, c.Name)
		if c.Summary == "" || strings.Contains(c.Summary, "\n") {
			t.Errorf("%s: want a one-line summary, got %q", c.Name, c.Summary)
		}
	}
	if have := slices.Sorted(maps.Keys(Commands)); !slices.Equal(slices.Sorted(slices.Values(listed)), have) {
		t.Errorf("help lists %v; the commands are %v", listed, have)
	}
}

// A bad value names the flag, the value and what is allowed.
func TestFlagValues(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-format", "svg"}, `invalid value "svg" for flag -format: want mermaid or dot`},
		{[]string{"-gb", "-5"}, `invalid value "-5" for flag -gb: want a number, 0 or more`},
		{[]string{"-gb", "NaN"}, `invalid value "NaN" for flag -gb: want a number, 0 or more`},
		{[]string{"-gb", "lots"}, `invalid value "lots" for flag -gb: want a number, 0 or more`},
	} {
		fs, _ := newFlags("x", "usage: x")
		format := &choice{value: "mermaid", allowed: []string{"mermaid", "dot"}}
		fs.Var(format, "format", "")
		gb := amount(100)
		fs.Var(&gb, "gb", "")
		if err := fs.Parse(tc.args); err == nil || err.Error() != tc.want {
			t.Errorf("%v: %v, want %s", tc.args, err, tc.want)
		}
	}
	fs := flag.NewFlagSet("ok", flag.ContinueOnError)
	format := &choice{value: "mermaid", allowed: []string{"mermaid", "dot"}}
	fs.Var(format, "format", "")
	gb := amount(100)
	fs.Var(&gb, "gb", "")
	if err := fs.Parse([]string{"-format", "dot", "-gb", "2.5"}); err != nil || format.value != "dot" || gb != 2.5 {
		t.Errorf("good values: %v, format %q, gb %v", err, format.value, gb)
	}
}

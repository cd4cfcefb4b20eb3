package config

import (
	"fmt"
	"strings"
	"unicode"
)

// checker collects the problems of one config.
type checker struct{ errs Errors }

// addf records a problem at path; the message starts with the path.
func (c *checker) addf(path, format string, args ...any) {
	c.errs = append(c.errs, FieldError{Path: path, Msg: path + " " + fmt.Sprintf(format, args...)})
}

// report records a problem that starts with the bad value (the form of
// package validate and of the constructs' Check methods) at path.
func (c *checker) report(path, problem string) {
	c.errs = append(c.errs, FieldError{Path: path, Msg: path + " " + problem})
}

// at returns a report function for a construct's Check that names each Go
// field by its YAML path: paths maps a top-level field ("Listeners") to
// its path ("provider.existingAlb.listeners"); the rest of the field
// ("[1].Port") follows in the file's spelling ("[1].port"). A field with no
// path here is not the user's to set in this mode (the demo creates it, or
// another key decides it) and its report is dropped: the construct checks
// it again when the stack is built.
func (c *checker) at(paths map[string]string) func(field, problem string) {
	return func(field, problem string) {
		top, rest := field, ""
		if i := strings.IndexAny(field, ".["); i >= 0 {
			top, rest = field[:i], field[i:]
		}
		path, ok := paths[top]
		if !ok {
			return
		}
		parts := strings.Split(rest, ".")
		for i := range parts {
			parts[i] = lowerFirst(parts[i])
		}
		c.report(path+strings.Join(parts, "."), problem)
	}
}

// check runs every rule of a config with its defaults applied.
func (c Config) check() Errors {
	var ck checker
	c.State.check(&ck)
	if c.ProviderEnabled() {
		c.checkProvider(&ck)
	}
	c.Policy.check(&ck)
	if !c.ProviderEnabled() && len(c.Consumers) == 0 {
		ck.addf("consumers", "is empty and provider.enabled is false: nothing to deploy; list at least one consumer")
	}
	c.checkWorkspaceNames(&ck)
	seen := map[string]int{}
	for i := range c.Consumers {
		c.checkConsumer(&ck, i)
		name := c.Consumers[i].Name
		if j, dup := seen[name]; dup {
			if name == "" {
				ck.addf(fmt.Sprintf("consumers[%d].name", i), "is required: consumers[%d] has no name already, and only one consumer can be the stack \"consumer\"; name this one (its stack becomes consumer-NAME)", j)
			} else {
				ck.addf(fmt.Sprintf("consumers[%d].name", i), "%q: already used by consumers[%d]; names must be unique (they name the stacks)", name, j)
			}
		}
		seen[name] = i
	}
	return ck.errs
}

// StackNames lists every stack the config deploys: provider, consumers,
// accept stacks.
func (c Config) StackNames() []string {
	var names []string
	if c.ProviderEnabled() {
		names = append(names, "provider")
	}
	for i := range c.Consumers {
		names = append(names, c.StackName(i))
	}
	for i := range c.Consumers {
		if c.NeedsAccepter(i) {
			names = append(names, "accept-"+c.StackName(i))
		}
	}
	return names
}

// checkWorkspaceNames checks that every stack's HCP Terraform workspace
// name (prefix + stack name) fits in 90 characters.
func (c Config) checkWorkspaceNames(ck *checker) {
	prefix := c.State.Cloud.WorkspacePrefix
	if c.State.Backend != "cloud" || !tfcNameRe.MatchString(prefix) {
		return
	}
	for _, name := range c.StackNames() {
		if n := len(prefix + name); n > 90 {
			ck.addf("state.cloud.workspacePrefix", "%q: workspace %q is %d characters; HCP Terraform allows 90: shorten the prefix or the consumer's name", prefix, prefix+name, n)
			return
		}
	}
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

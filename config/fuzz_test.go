package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds the loader arbitrary bytes: it must never panic, and
// whatever it accepts must be resolved and pass every check again (so the
// stacks never see a config the loader let through unchecked). The seed
// corpus, the example configs and a few broken ones, runs in the normal
// test command; explore with: go test ./config -run '^$' -fuzz FuzzParse -fuzztime 60s -fuzzminimizetime 5s
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("../examples/config/*.yaml")
	for _, p := range append(paths, "../config.example.yaml") {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"", "{}", "provider: null", "consumers: [{}, {}]", "provider: {aws: {region: 7}}",
		"state: {backend: s3}", "consumers:\n  - existingVpc: {}\n", "provider:\n  existingAlb:\n    listeners: [{port: -1}]\n",
		"provider: {azIds: [a, a, a, a, a, a, a, a, a]}", "\xff\xfe", "provider: &a {aws: *a}", "[1, 2]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(data)
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("an error with no message")
			}
			return
		}
		if !cfg.IsResolved() {
			t.Fatal("Parse returned a config that is not resolved")
		}
		if errs := cfg.check(); len(errs) != 0 {
			t.Fatalf("Parse accepted a config that its checks reject: %v", errs)
		}
	})
}

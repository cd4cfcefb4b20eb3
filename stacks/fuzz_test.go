package stacks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseConfig feeds the loader arbitrary bytes: it must never panic,
// and whatever it accepts must pass Validate once defaults are applied (so
// Build never sees a config the loader let through unchecked). The seed
// corpus, the example configs and a few broken ones, runs in the normal
// test command; explore with: go test ./stacks -run '^$' -fuzz FuzzParseConfig -fuzztime 60s -fuzzminimizetime 5s
func FuzzParseConfig(f *testing.F) {
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
		cfg, err := ParseConfig(data)
		if err != nil {
			if strings.TrimSpace(err.Error()) == "" {
				t.Fatal("an error with no message")
			}
			return
		}
		if err := cfg.WithDefaults().Validate(); err != nil {
			t.Fatalf("ParseConfig accepted a config that Validate rejects: %v", err)
		}
	})
}

package tests

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/stacks"
)

var update = flag.Bool("update", false, "rewrite the golden snapshots in testdata/golden from the current synth")

// TestGoldenDefaultSynth guards the zero-config synth, and with it every
// logical ID: a changed construct ID makes Terraform destroy and recreate
// the resource (a new endpoint service name for every consumer). Review the
// diff, then run `go test ./__tests__ -run Golden -update`.
func TestGoldenDefaultSynth(t *testing.T) {
	docs, _ := synthApp(t, stacks.AppConfig{})
	for _, name := range []string{"provider", "consumer"} {
		t.Run(name, func(t *testing.T) {
			got := normalize(t, docs[name])
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (create it with -update)", err)
			}
			if string(got) == string(want) {
				return
			}
			var wantDoc tfDoc
			if err := json.Unmarshal(want, &wantDoc); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			gone, added := diffAddresses(addresses(wantDoc), addresses(docs[name]))
			t.Errorf("%s synth differs from %s.\nresources removed (Terraform would destroy them): %v\nresources added: %v\nfirst difference:\n%s\nIf the change is intended, run: go test ./__tests__ -run Golden -update",
				name, path, gone, added, firstDiff(string(want), string(got)))
		})
	}
}

var statePathRe = regexp.MustCompile(`"[^"]*/(terraform\.[a-z0-9-]+\.tfstate)"`)

// normalize pretty-prints a document and strips the machine-specific
// absolute paths cdktf writes for local state.
func normalize(t *testing.T, doc tfDoc) []byte {
	t.Helper()
	raw, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(statePathRe.ReplaceAll(raw, []byte(`"$1"`)), '\n')
}

// addresses lists TYPE.NAME for every resource and data source.
func addresses(doc tfDoc) []string {
	var out []string
	for _, kind := range []string{"resource", "data"} {
		byType, _ := doc[kind].(map[string]any)
		for typ, all := range byType {
			for name := range all.(map[string]any) {
				prefix := ""
				if kind == "data" {
					prefix = "data."
				}
				out = append(out, prefix+typ+"."+name)
			}
		}
	}
	slices.Sort(out)
	return out
}

func diffAddresses(before, after []string) (gone, added []string) {
	for _, a := range before {
		if !slices.Contains(after, a) {
			gone = append(gone, a)
		}
	}
	for _, a := range after {
		if !slices.Contains(before, a) {
			added = append(added, a)
		}
	}
	return gone, added
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d\n- %s\n+ %s", i+1, wl, gl)
		}
	}
	return "(none)"
}

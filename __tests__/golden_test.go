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
	"sync"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/synth"
)

var update = flag.Bool("update", false, "rewrite the golden snapshots in testdata/golden from the current synth")

const updateHint = "if the change is intended, review it and run: make golden (go test ./__tests__ -run Golden -update)"

// goldenCases are the configs whose synth is snapshotted: the zero-config
// demo and every example config.
func goldenCases(t *testing.T) map[string]config.Resolved {
	t.Helper()
	cases := map[string]config.Resolved{"default": resolve(t, config.Config{})}
	paths, err := filepath.Glob("../examples/config/*.yaml")
	if err != nil || len(paths) < 7 {
		t.Fatalf("found %d example configs (%v); want the 7 in examples/config", len(paths), err)
	}
	for _, p := range paths {
		cfg, err := config.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		cases[strings.TrimSuffix(filepath.Base(p), ".yaml")] = cfg
	}
	return cases
}

// synthCase is one golden case synthesized once for every test that reads
// it, the way the app does it (synth.Run: build, synth, policy, publish).
type synthCase struct {
	docs   map[string]tfDoc // stack -> document
	stacks []string         // App.StackNames, in deploy order
	res    *synth.Result
	err    error
}

var (
	goldenOnce sync.Once
	goldenDocs map[string]synthCase // case -> its synth
)

func currentSynths(t *testing.T) map[string]synthCase {
	t.Helper()
	goldenOnce.Do(func() {
		all := map[string]synthCase{}
		for name, cfg := range goldenCases(t) {
			dir, err := os.MkdirTemp("", "golden-"+name+"-")
			if err != nil {
				t.Fatal(err)
			}
			res, err := synth.Run(cfg, dir)
			c := synthCase{res: res, err: err}
			if err == nil {
				c.docs, c.stacks = readOutdir(t, dir), res.App.StackNames()
			}
			os.RemoveAll(dir)
			all[name] = c
		}
		goldenDocs = all // only once every case synthesized
	})
	if goldenDocs == nil {
		t.Fatal("synthesizing the golden cases failed in an earlier test")
	}
	return goldenDocs
}

// synthCaseDocs is the synth of one golden case ("default" or an example
// config's name), failing the test if it did not synthesize.
func synthCaseDocs(t *testing.T, name string) synthCase {
	t.Helper()
	c, ok := currentSynths(t)[name]
	switch {
	case !ok:
		t.Fatalf("no golden case %q", name)
	case c.err != nil:
		t.Fatalf("%s does not synthesize: %v", name, c.err)
	}
	return c
}

// TestGoldenSynths compares the synth of the demo and every example config
// with its reviewed snapshot, so a diff in review shows what Terraform will
// change.
func TestGoldenSynths(t *testing.T) {
	for name, c := range currentSynths(t) {
		if c.err != nil {
			t.Errorf("%s does not synthesize: %v", name, c.err)
		}
		for stack, doc := range c.docs {
			path := filepath.Join("testdata", "golden", name, stack+".json")
			got := normalize(t, doc)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%s/%s: no snapshot (%v); %s", name, stack, err, updateHint)
				continue
			}
			if string(got) != string(want) {
				t.Errorf("%s/%s differs from %s; first difference:\n%s\n%s", name, stack, path, firstDiff(string(want), string(got)), updateHint)
			}
		}
	}
	if *update {
		// Drop snapshots of stacks or configs that no longer exist.
		all, _ := filepath.Glob(filepath.Join("testdata", "golden", "*", "*.json"))
		for _, p := range all {
			name, stack := filepath.Base(filepath.Dir(p)), strings.TrimSuffix(filepath.Base(p), ".json")
			if _, ok := currentSynths(t)[name].docs[stack]; !ok {
				os.Remove(p)
			}
		}
	}
}

// TestGoldenLogicalIDsStable fails when a resource of a snapshot is gone
// from the current synth: a renamed construct ID gives the resource a new
// logical ID, and Terraform destroys the old one and creates a new one (for
// the endpoint service, a new name for every consumer). Updating the
// snapshots on purpose (-update) accepts the change.
func TestGoldenLogicalIDsStable(t *testing.T) {
	if *update {
		t.Skip("snapshots are being rewritten on purpose")
	}
	current := currentSynths(t)
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*", "*.json"))
	if len(files) == 0 {
		t.Fatal("no golden snapshots found")
	}
	for _, p := range files {
		name, stack := filepath.Base(filepath.Dir(p)), strings.TrimSuffix(filepath.Base(p), ".json")
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var old tfDoc
		if err := json.Unmarshal(raw, &old); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		doc, ok := current[name].docs[stack]
		if !ok {
			t.Errorf("%s: stack %s is gone from the synth; deploying would orphan its state; %s", name, stack, updateHint)
			continue
		}
		gone, added := diffAddresses(addresses(old), addresses(doc))
		if len(gone) > 0 {
			t.Errorf("%s/%s: Terraform would destroy %v (and create %v): a construct ID changed?\nKeep construct IDs stable; %s", name, stack, gone, added, updateHint)
		}
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

package diagram

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// golden reads the reviewed synth of a config (__tests__/testdata/golden).
func golden(t *testing.T, config string) map[string]map[string]any {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("../__tests__/testdata/golden", config, "*.json"))
	if len(files) == 0 {
		t.Fatalf("no golden stacks for %s", config)
	}
	docs := map[string]map[string]any{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		docs[strings.TrimSuffix(filepath.Base(f), ".json")] = doc
	}
	return docs
}

// edges lists "FROM-LABEL -> TO-LABEL (edge label)" for reading.
func edges(g *Graph) []string {
	label := map[string]string{}
	for _, s := range g.Stacks {
		for _, n := range s.Nodes {
			label[n.ID] = s.Name + ": " + n.Label
		}
	}
	var out []string
	for _, e := range g.Edges {
		out = append(out, label[e.From]+" -> "+label[e.To]+" ("+e.Label+")")
	}
	slices.Sort(out)
	return out
}

func TestDemoDiagram(t *testing.T) {
	g := FromDocs(golden(t, "default"))
	got := edges(g)
	want := []string{
		"consumer: interface endpoint -> consumer: VPC 10.20.0.0/16 (in)",
		"consumer: interface endpoint -> provider: endpoint service (acceptance required) (PrivateLink)",
		"provider: endpoint service (acceptance required) -> provider: internal NLB (fronts)",
		"provider: internal NLB -> provider: target group TCP 80 (type alb) (TCP 80)",
		"provider: target group TCP 80 (type alb) -> provider: ALB (demo) (port 80)",
		"provider: target group TCP 80 (type alb) -> provider: VPC 10.10.0.0/16 (in)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("edges:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if g.Stacks[1].Name != "provider" || g.Stacks[1].Region != "ap-northeast-1" {
		t.Errorf("stacks %+v", g.Stacks)
	}
}

func TestCrossAccountDiagram(t *testing.T) {
	g := FromDocs(golden(t, "cross-account"))
	got := edges(g)
	for _, want := range []string{
		"accept-consumer-payments: connection accepter -> consumer-payments: interface endpoint (accepts)",
		"consumer-payments: interface endpoint -> provider: endpoint service (acceptance required) (PrivateLink)",
		"consumer-payments: private zone app.example.com -> consumer-payments: interface endpoint (alias app.example.com)",
		"consumer-payments: private zone app.example.com -> consumer-payments: VPC 10.20.0.0/16 (associated)",
		"provider: target group TCP 443 (type alb) -> provider: ALB (demo) (port 443)",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no edge %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
	accounts := map[string]string{}
	for _, s := range g.Stacks {
		accounts[s.Name] = s.Account
	}
	if accounts["provider"] != "111122223333" || accounts["consumer-payments"] != "444455556666" || accounts["accept-consumer-payments"] != "111122223333" {
		t.Errorf("accounts %v: the accept stack runs in the provider's account", accounts)
	}
	for _, out := range []string{g.Mermaid(), g.DOT()} {
		if !strings.Contains(out, "account 444455556666") {
			t.Errorf("rendering lacks the consumer's account:\n%s", out)
		}
	}
}

func TestProductionDepthDiagramShowsTheOptions(t *testing.T) {
	got := edges(FromDocs(golden(t, "production-depth")))
	for _, want := range []string{
		"provider: endpoint service api.example.com (acceptance required) -> provider: SNS topic (connection events) (connection events)",
		"provider: internal NLB -> provider: S3 bucket (NLB access logs) (access logs)",
		"consumer-payments: interface endpoint (private DNS) -> provider: endpoint service api.example.com (acceptance required) (PrivateLink)",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no edge %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
}

func TestHTTPSDemoDiagramShowsTheProbe(t *testing.T) {
	got := edges(FromDocs(golden(t, "https-demo")))
	want := "consumer: connectivity probe (Lambda) -> consumer: interface endpoint (probes)"
	if !slices.Contains(got, want) {
		t.Errorf("no edge %q in:\n%s", want, strings.Join(got, "\n"))
	}
}

// docs/privatelink.md shows the diagrams of the demo and of the
// cross-account example as this package draws them.
func TestDocsShowTheDiagrams(t *testing.T) {
	const page = "docs/privatelink.md"
	raw, err := os.ReadFile("../" + page)
	if err != nil {
		t.Fatal(err)
	}
	for _, config := range []string{"default", "cross-account"} {
		marker := "<!-- diagram: " + config + " (go run . diagram) -->\n```mermaid\n"
		_, rest, ok := strings.Cut(string(raw), marker)
		if !ok {
			t.Errorf("%s has no %q", page, marker)
			continue
		}
		shown, _, _ := strings.Cut(rest, "```")
		if want := FromDocs(golden(t, config)).Mermaid(); shown != want {
			t.Errorf("%s's %s diagram is not what diagram draws; replace it with:\n%s", page, config, want)
		}
	}
}

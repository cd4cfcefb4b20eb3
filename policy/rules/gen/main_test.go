package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/policy/rules"
)

// docs/guardrails.md is what the registry says.
func TestGuardrailsDocIsGenerated(t *testing.T) {
	got, err := os.ReadFile("../../../docs/guardrails.md")
	if err != nil {
		t.Fatalf("%v; write it with %s (or make rules-doc)", err, Command)
	}
	if want := render(rules.All()); !bytes.Equal(got, want) {
		t.Errorf("docs/guardrails.md differs from the rule registry; regenerate it with %s (or make rules-doc)", Command)
	}
}

// Every rule has its row, and plain text cannot break the table.
func TestRenderRows(t *testing.T) {
	doc := string(render(rules.All()))
	for _, r := range rules.All() {
		if !bytes.Contains([]byte(doc), []byte("| "+r.ID+" | "+string(r.Severity)+" | ")) {
			t.Errorf("no row for %s", r.ID)
		}
	}
	if got := text(`a | "*" b`); got != `a \| "\*" b` {
		t.Errorf("text() = %q", got)
	}
}

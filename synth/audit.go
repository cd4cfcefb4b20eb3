package synth

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/alb-privatelink/alb-privatelink/policy"
)

// SuppressionsFile is the file, in the output folder, that lists every
// finding a suppression exempted in the synth that wrote it, for CI to
// read or archive (an empty list when none).
const SuppressionsFile = "suppressions.json"

// SuppressedFinding is one entry of SuppressionsFile.
type SuppressedFinding struct {
	Rule    string `json:"rule"`
	Level   string `json:"level"`
	Stack   string `json:"stack"`
	Path    string `json:"path"`
	Address string `json:"address,omitempty"`
	Detail  string `json:"detail"`
	Reason  string `json:"reason"`
}

// Audit is the line a synth prints for a suppressed finding: the rule,
// where, and the reason it was suppressed with.
func Audit(f policy.Finding) string {
	return fmt.Sprintf("suppressed: %s (%s) %s (%s): %s; reason: %s", f.Rule.ID, f.Rule.Severity, f.Rule.Title, f.Where(), f.Detail, f.SuppressedBy)
}

// warning is the line a synth prints for a policy warning: one line, with
// the command that explains the rule (why it matters, how to fix it).
func warning(f policy.Finding) string {
	return fmt.Sprintf("policy %s (why and fix: go run . explain %s)", f.Summary(), f.Rule.ID)
}

// writeSuppressions writes SuppressionsFile into dir.
func writeSuppressions(dir string, findings []policy.Finding) error {
	list := make([]SuppressedFinding, len(findings))
	for i, f := range findings {
		list[i] = SuppressedFinding{
			Rule: f.Rule.ID, Level: string(f.Rule.Severity), Stack: f.Stack, Path: f.Path,
			Address: f.Address, Detail: f.Detail, Reason: f.SuppressedBy,
		}
	}
	out, err := json.MarshalIndent(map[string]any{"suppressed": list}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, SuppressionsFile), append(out, '\n'), 0o644)
}

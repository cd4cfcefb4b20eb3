package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/internal/testutil"
)

// auditedConfig pins the provider's account, leaves the Owner tag off (two
// PL006 warnings) and suppresses a production guardrail (PL005).
const auditedConfig = `provider:
  aws:
    region: eu-west-1
    accountId: "111122223333"
  production: true
  nlb:
    deletionProtection: false
policy:
  suppressions:
    - rule: PL005
      path: provider/EndpointService/Nlb
      reason: blue/green cut-over this week; ticket NET-42
consumers:
  - name: app
`

// notes are the lines a successful synth of auditedConfig prints besides
// the cdktf CLI's own: where each stack goes (and that the shell's region
// is ignored), each warning on one line with its pointer, the suppressed
// finding with its reason.
var notes = []string{
	"stacks: provider in eu-west-1 (account 111122223333), consumer-app in eu-west-1 (account unchecked); config: app.yaml ($ALB_PRIVATELINK_CONFIG); AWS_REGION=us-west-2 is ignored: each stack's region comes from the config (provider.aws.region, consumers[].aws.region)",
	"warning: provider: no certificateArn configured, so the demo ALB listens on plain HTTP port 80; set provider.certificateArn for HTTPS on 443",
	"warning: policy PL006 missing Name or Owner tag (consumer-app): no Owner tag on the stack's AWS provider (default_tags) or its resources (why and fix: go run . explain PL006)",
	"warning: policy PL006 missing Name or Owner tag (provider): no Owner tag on the stack's AWS provider (default_tags) or its resources (why and fix: go run . explain PL006)",
	"suppressed: PL005 (error) deletion protection is off in a production stack (provider/EndpointService/Nlb, aws_lb.EndpointService_Nlb_74252062): the NLB behind the endpoint service has no deletion protection; deleting it deletes the service and its name; reason: blue/green cut-over this week; ticket NET-42",
}

// ansi matches the colour and cursor codes of the cdktf CLI's output.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// quietTerraform drops this machine's TF_CLI_CONFIG_FILE, which names a
// missing file: Terraform's warning about it (printed when cdktf asks
// Terraform its version) is the machine's, not the app's.
func quietTerraform(env []string) []string {
	return append(env, "TF_CLI_CONFIG_FILE=")
}

// Under `cdktf synth`, which labels every line of the app's stderr
// [ERROR], a successful synth prints its notes as plain lines and no
// [ERROR] at all; the suppression is on record in cdktf.out for CI.
func TestCdktfSynthPrintsNoErrorLines(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the cdktf CLI")
	}
	t.Parallel()
	cli := cdktfCLI(t)
	dir := project(t, "", map[string]string{"app.yaml": auditedConfig})
	testutil.WriteFile(t, filepath.Join(dir, "cdktf.json"), fmt.Sprintf(`{"language": "go", "app": %q}`, buildApp(t)))
	cmd := command(t, dir, quietTerraform([]string{"ALB_PRIVATELINK_CONFIG=app.yaml", "AWS_REGION=us-west-2"}), cli, "synth")
	raw, err := cmd.CombinedOutput()
	out := ansi.ReplaceAllString(string(raw), "")
	if err != nil {
		t.Fatalf("cdktf synth: %v\n%s", err, out)
	}
	if strings.Contains(out, "[ERROR]") {
		t.Errorf("a successful cdktf synth printed [ERROR] lines:\n%s", out)
	}
	lines := strings.Split(out, "\n")
	for _, want := range notes {
		found := false
		for _, l := range lines {
			found = found || strings.TrimSpace(l) == want
		}
		if !found {
			t.Errorf("cdktf synth did not print, as a plain line of its own:\n%s\nin:\n%s", want, out)
		}
	}
	raw, err = os.ReadFile(filepath.Join(dir, "cdktf.out", "suppressions.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Suppressed []struct{ Rule, Path, Reason string }
	}
	if err := json.Unmarshal(raw, &file); err != nil || len(file.Suppressed) != 1 || file.Suppressed[0].Rule != "PL005" ||
		file.Suppressed[0].Path != "provider/EndpointService/Nlb" || file.Suppressed[0].Reason != "blue/green cut-over this week; ticket NET-42" {
		t.Errorf("cdktf.out/suppressions.json: %v\n%s", err, raw)
	}

	// A failing synth is still an error under cdktf: the CLI fails and
	// shows the app's error lines.
	testutil.WriteFile(t, filepath.Join(dir, "app.yaml"), strings.Replace(auditedConfig, "reason: blue/green cut-over this week; ticket NET-42", "reason: because", 1))
	raw, err = command(t, dir, quietTerraform([]string{"ALB_PRIVATELINK_CONFIG=app.yaml"}), cli, "synth").CombinedOutput()
	out = ansi.ReplaceAllString(string(raw), "")
	if err == nil || !strings.Contains(out, "[ERROR]") || !strings.Contains(out, `line 10: policy.suppressions[0] reason "because"`) {
		t.Errorf("a bad suppression under cdktf synth: %v, want a failure with its error:\n%s", err, out)
	}
}

// Run directly, the app keeps stdout empty and prints the same notes on
// stderr, as before; the demo writes an empty suppressions list.
func TestTheBinaryPrintsNotesOnStderr(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the app")
	}
	t.Parallel()
	dir := project(t, "", map[string]string{"app.yaml": auditedConfig})
	cmd := command(t, dir, []string{"ALB_PRIVATELINK_CONFIG=app.yaml", "AWS_REGION=us-west-2"}, buildApp(t))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("the app printed on stdout:\n%s", stdout.String())
	}
	if want := strings.Join(notes, "\n") + "\n"; stderr.String() != want {
		t.Errorf("stderr:\n%s\nwant exactly:\n%s", stderr.String(), want)
	}

	demo := project(t, "", nil)
	cmd = command(t, demo, []string{"AWS_DEFAULT_REGION=us-east-1"}, buildApp(t))
	var demoErr bytes.Buffer
	cmd.Stderr = &demoErr
	if err := cmd.Run(); err != nil {
		t.Fatalf("demo: %v\n%s", err, demoErr.String())
	}
	first, _, _ := strings.Cut(demoErr.String(), "\n")
	if want := "stacks: provider in ap-northeast-1 (account unchecked), consumer in ap-northeast-1 (account unchecked); config: none, so the zero-config demo"; !strings.HasPrefix(first, want) ||
		!strings.Contains(first, "AWS_DEFAULT_REGION=us-east-1 is ignored: the demo always deploys to ap-northeast-1; to choose a region, set provider.aws.region in a config file") {
		t.Errorf("the demo's first line:\n%s\nwant it to start %q and say AWS_DEFAULT_REGION is ignored", first, want)
	}
	raw, err := os.ReadFile(filepath.Join(demo, "cdktf.out", "suppressions.json"))
	if err != nil || strings.Join(strings.Fields(string(raw)), "") != `{"suppressed":[]}` {
		t.Errorf("the demo's suppressions.json: %v\n%s", err, raw)
	}
}

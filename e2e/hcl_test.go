package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/internal/testutil"
)

// `cdktf synth --hcl` writes every stack as cdk.tf, the same as the app
// writes with SYNTH_HCL_OUTPUT=true, after the same checks: a policy error
// fails it and leaves the previous output as it was.
func TestCdktfSynthHCL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the cdktf CLI")
	}
	t.Parallel()
	cli := cdktfCLI(t)
	three, err := os.ReadFile("../examples/config/three-consumers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bin := buildApp(t)
	dir := project(t, "", map[string]string{
		"app.yaml":    string(three),
		"policy.yaml": "provider:\n  production: true\n  nlb: {deletionProtection: false}\n",
	})
	testutil.WriteFile(t, filepath.Join(dir, "cdktf.json"), fmt.Sprintf(`{"language": "go", "app": %q, "context": {"albPrivatelinkConfig": "app.yaml"}}`, bin))

	if out, err := command(t, dir, nil, cli, "synth", "--hcl").CombinedOutput(); err != nil {
		t.Fatalf("cdktf synth --hcl: %v\n%s", err, out)
	}
	appOut := filepath.Join(dir, "app.out")
	if out, err := command(t, dir, []string{"SYNTH_HCL_OUTPUT=true", "CDKTF_OUTDIR=" + appOut}, bin).CombinedOutput(); err != nil {
		t.Fatalf("the app with SYNTH_HCL_OUTPUT=true: %v\n%s", err, out)
	}
	stacks, _ := filepath.Glob(filepath.Join(dir, "cdktf.out", "stacks", "*", "cdk.tf"))
	if len(stacks) != 6 {
		t.Fatalf("cdktf synth --hcl wrote %d cdk.tf, want three-consumers.yaml's 6: %v", len(stacks), stacks)
	}
	if json, _ := filepath.Glob(filepath.Join(dir, "cdktf.out", "stacks", "*", "cdk.tf.json")); len(json) > 0 {
		t.Errorf("cdk.tf.json beside cdk.tf: %v", json)
	}
	for _, a := range stacks {
		rel, _ := filepath.Rel(filepath.Join(dir, "cdktf.out"), a)
		want, err := os.ReadFile(filepath.Join(appOut, rel))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(a)
		// the CLI runs its formatter over the file: same up to spacing
		if strings.Join(strings.Fields(string(got)), " ") != strings.Join(strings.Fields(string(want)), " ") {
			t.Errorf("%s: cdktf synth --hcl and the app differ", rel)
		}
		if !bytes.Contains(got, []byte("synthesized by alb-privatelink (cdktf synth --hcl)")) {
			t.Errorf("%s: not our rendering (cdktf's own HCL is invalid for these stacks)", rel)
		}
	}

	before := testutil.Snapshot(t, filepath.Join(dir, "cdktf.out"))
	cmd := command(t, dir, []string{"ALB_PRIVATELINK_CONFIG=policy.yaml"}, cli, "synth", "--hcl")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("cdktf synth --hcl with a policy error succeeded:\n%s", out)
	}
	if !strings.Contains(string(out), "policy PL005 deletion protection is off") {
		t.Errorf("cdktf synth --hcl did not report the policy error:\n%s", out)
	}
	if !maps.Equal(before, testutil.Snapshot(t, filepath.Join(dir, "cdktf.out"))) {
		t.Errorf("a failed cdktf synth --hcl changed cdktf.out")
	}
}

// `eject -out DIR` reads the config the way synth does, writes the root
// modules and says what to run next; without -out it prints its usage.
func TestEjectCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the app")
	}
	t.Parallel()
	bin := buildApp(t)
	dir := project(t, `"albPrivatelinkConfig": "app.yaml"`, map[string]string{"app.yaml": "provider: {}\nconsumers:\n  - name: payments\n"})
	out, err := command(t, dir, nil, bin, "eject").CombinedOutput()
	if code := exitCode(err); code != 2 || !strings.Contains(string(out), "error: -out: required") || !strings.Contains(string(out), "go run . eject -h") {
		t.Errorf("eject without -out: exit %d, want 2, the missing flag and where its usage is:\n%s", code, out)
	}
	// nothing deployed: refused, naming the missing state, unless allowed
	out, err = command(t, dir, nil, bin, "eject", "-out", "terraform").CombinedOutput()
	if exitCode(err) != 1 || !strings.Contains(string(out), "terraform.provider.tfstate") || !strings.Contains(string(out), "-allow-missing-state") {
		t.Errorf("eject with no state: %v\n%s", err, out)
	}
	// the state where cdktf keeps it: accepted
	testutil.WriteFile(t, filepath.Join(dir, "terraform.provider.tfstate"), "{}")
	testutil.WriteFile(t, filepath.Join(dir, "terraform.consumer-payments.tfstate"), "{}")
	out, err = command(t, dir, nil, bin, "eject", "-out", "terraform").CombinedOutput()
	if err != nil {
		t.Fatalf("eject: %v\n%s", err, out)
	}
	for _, want := range []string{
		"config: app.yaml (cdktf.json context.albPrivatelinkConfig)",
		"ejected 2 stacks to terraform, apply in this order: provider, consumer-payments",
		"next: cd terraform/provider && terraform init && terraform plan",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("eject output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"provider/versions.tf", "provider/main.tf", "consumer-payments/remote_state.tf", "README.md"} {
		if _, err := os.Stat(filepath.Join(dir, "terraform", f)); err != nil {
			t.Errorf("eject did not write %s: %v", f, err)
		}
	}
	out, err = command(t, dir, nil, bin, "eject", "-out", "terraform", "-allow-missing-state").CombinedOutput()
	if exitCode(err) != 1 || !strings.Contains(string(out), "is not empty") {
		t.Errorf("a second eject into the same folder: %v\n%s", err, out)
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if e, ok := err.(interface{ ExitCode() int }); ok {
		return e.ExitCode()
	}
	return -1
}

// `cost` reads the config the way synth does and prints the estimate; with
// -json, for pipelines.
func TestCostCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the app")
	}
	t.Parallel()
	bin := buildApp(t)
	dir := project(t, "", nil)
	out, err := command(t, dir, nil, bin, "cost", "-json", "-gb", "100").Output()
	if err != nil {
		t.Fatalf("cost -json: %v\n%s", err, out)
	}
	var e struct {
		Total        float64 `json:"totalUsd"`
		PricesAsOf   string  `json:"pricesAsOf"`
		Alternatives []struct {
			Name string `json:"name"`
		} `json:"alternatives"`
	}
	if err := json.Unmarshal(out, &e); err != nil {
		t.Fatalf("cost -json is not JSON: %v\n%s", err, out)
	}
	if e.Total < 51.84 || e.Total > 51.86 || e.PricesAsOf == "" || len(e.Alternatives) != 2 {
		t.Errorf("cost -json for the demo: %+v, want a total of 51.85 and two alternatives", e)
	}
	text, err := command(t, dir, nil, bin, "cost").CombinedOutput()
	if err != nil || !strings.Contains(string(text), "total (USD)") || !strings.Contains(string(text), "Transit Gateway") {
		t.Errorf("cost: %v\n%s", err, text)
	}
	if _, err := command(t, dir, nil, bin, "cost", "-gb", "-1").CombinedOutput(); exitCode(err) != 2 {
		t.Errorf("cost -gb -1: %v, want the usage and exit 2", err)
	}
}

// `diagram` synthesizes the config and prints Mermaid, or DOT; stdout
// holds only the diagram.
func TestDiagramCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the app")
	}
	t.Parallel()
	bin := buildApp(t)
	dir := project(t, "", nil)
	for format, start := range map[string]string{"mermaid": "flowchart LR\n", "dot": "digraph privatelink {\n"} {
		out, err := command(t, dir, nil, bin, "diagram", "-format", format).Output()
		if err != nil {
			t.Fatalf("diagram -format %s: %v", format, err)
		}
		if !strings.HasPrefix(string(out), start) || !strings.Contains(string(out), "PrivateLink") {
			t.Errorf("diagram -format %s:\n%s", format, out)
		}
	}
	if _, err := command(t, dir, nil, bin, "diagram", "-format", "png").CombinedOutput(); exitCode(err) != 2 {
		t.Errorf("diagram -format png: %v, want the usage and exit 2", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "cdktf.out")); !os.IsNotExist(err) {
		t.Errorf("diagram wrote cdktf.out (%v); it synthesizes into a temporary folder", err)
	}
}

// `doctor` before any deploy says which stack has no state and how to
// get it, and exits 1; it needs no credentials to say so.
func TestDoctorBeforeADeploy(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the app")
	}
	t.Parallel()
	bin := buildApp(t)
	dir := project(t, "", nil)
	out, err := command(t, dir, []string{"AWS_REGION=ap-northeast-1", "AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=x"}, bin, "doctor").CombinedOutput()
	if exitCode(err) != 1 {
		t.Errorf("doctor with nothing deployed: %v, want exit 1", err)
	}
	for _, want := range []string{
		"PROBLEM: provider: the stack's outputs can be read: no state at terraform.provider.tfstate: deploy the stack first (npx cdktf deploy provider)",
		"PROBLEM: consumer: the stack's outputs can be read",
		"2 checks, 2 problems",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out)
		}
	}
}

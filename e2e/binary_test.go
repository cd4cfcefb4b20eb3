package e2e

import (
	"bytes"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/internal/testutil"
)

// buildApp compiles the real main package.
func buildApp(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "alb-privatelink")
	cmd := exec.Command("go", "build", "-o", bin, "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runApp runs the app in dir with a config file, returning exit code and stderr.
func runApp(t *testing.T, bin, dir, config string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ALB_PRIVATELINK_CONFIG="+config, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// A bad setting ends with one line per problem naming it, exit 1, no Go
// panic trace, and the previous cdktf.out untouched; so does a policy error.
func TestMainReportsFailuresWithoutATraceOrDamage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the app")
	}
	t.Parallel()
	bin := buildApp(t)
	dir := t.TempDir()

	code, stderr := runApp(t, bin, dir, "")
	if code != 0 {
		t.Fatalf("zero-config synth failed (%d):\n%s", code, stderr)
	}
	for _, want := range []string{
		"warning: provider: no certificateArn configured",
		"warning: policy PL006 missing Name or Owner tag (provider)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("zero-config stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, stack := range []string{"provider", "consumer"} {
		if _, err := os.Stat(filepath.Join(dir, "cdktf.out", "stacks", stack, "cdk.tf.json")); err != nil {
			t.Errorf("stack %s not synthesized: %v", stack, err)
		}
	}
	before := testutil.Snapshot(t, filepath.Join(dir, "cdktf.out"))

	bad := filepath.Join(dir, "bad.yaml")
	testutil.WriteFile(t, bad, "provider:\n  azIds: [apne1-az1]\n  allowedPrincipals: [\"1234\"]\nconsumers:\n  - ports: [0]\n    regoin: x\n")
	policyErr := filepath.Join(dir, "policy.yaml")
	testutil.WriteFile(t, policyErr, "provider:\n  production: true\n  nlb: {deletionProtection: false}\n")
	unknown := filepath.Join(dir, "unknown.yaml")
	testutil.WriteFile(t, unknown, "provider:\n  certificateARN: x\n")
	cases := []struct {
		config string
		want   []string
	}{
		{bad, []string{
			"error: config file " + bad + ":",
			"error: line 2: provider.azIds has 1, want at least 2",
			`error: line 3: provider.allowedPrincipals[0] "1234": want a 12-digit account ID`,
			"error: line 5: consumers[0].ports[0] 0: want a TCP port from 1 to 65535",
			"error: line 6: consumers[0].regoin: unknown key; known keys here: name, aws,",
		}},
		{unknown, []string{`error: line 2: provider.certificateARN: unknown key; did you mean "certificateArn"?`}},
		{policyErr, []string{"error: policy PL005 deletion protection is off in a production stack (provider/EndpointService/Nlb, aws_lb."}},
	}
	for _, tc := range cases {
		code, stderr := runApp(t, bin, dir, tc.config)
		if code != 1 {
			t.Errorf("%s: exit code %d, want 1; stderr:\n%s", tc.config, code, stderr)
		}
		for _, want := range append(tc.want, "error: nothing was written; the previous synth output is unchanged") {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", filepath.Base(tc.config), want, stderr)
			}
		}
		for _, trace := range []string{"goroutine ", "panic:", ".go:"} {
			if strings.Contains(stderr, trace) {
				t.Errorf("%s: stderr shows a Go trace (%q):\n%s", filepath.Base(tc.config), trace, stderr)
			}
		}
		if !maps.Equal(before, testutil.Snapshot(t, filepath.Join(dir, "cdktf.out"))) {
			t.Errorf("%s: a failed synth changed cdktf.out", filepath.Base(tc.config))
		}
	}
}

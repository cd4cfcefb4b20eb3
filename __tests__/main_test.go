package tests

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildApp compiles the real main package once per test binary.
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
// panic trace and no cdktf.out.
func TestMainReportsBadConfigWithoutATrace(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the app")
	}
	bin := buildApp(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	write(t, bad, "provider:\n  azIds: [apne1-az1]\n  allowedPrincipals: [\"1234\"]\nconsumers:\n  - ports: [0]\n    regoin: x\n")
	code, stderr := runApp(t, bin, dir, bad)
	if code != 1 {
		t.Errorf("exit code %d, want 1; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		"error: config file " + bad + ":",
		"error: line 2: provider.azIds has 1, want at least 2",
		`error: line 3: provider.allowedPrincipals[0] "1234": want a 12-digit account ID`,
		"error: line 5: consumers[0].ports[0] 0: want a TCP port from 1 to 65535",
		"error: line 6: consumers[0].regoin: unknown key; known keys here: name, aws,",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, trace := range []string{"goroutine ", "panic:", ".go:"} {
		if strings.Contains(stderr, trace) {
			t.Errorf("stderr shows a Go trace (%q):\n%s", trace, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "cdktf.out")); !os.IsNotExist(err) {
		t.Errorf("a failed synth wrote cdktf.out (%v)", err)
	}

	unknown := filepath.Join(dir, "unknown.yaml")
	write(t, unknown, "provider:\n  certificateARN: x\n")
	code, stderr = runApp(t, bin, dir, unknown)
	if code != 1 || !strings.Contains(stderr, `line 2: provider.certificateARN: unknown key; did you mean "certificateArn"?`) {
		t.Errorf("unknown key: exit %d, stderr:\n%s", code, stderr)
	}

	code, stderr = runApp(t, bin, dir, "")
	if code != 0 {
		t.Fatalf("zero-config synth failed (%d):\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "warning: provider: no certificateArn configured") {
		t.Errorf("plain-HTTP demo gave no warning:\n%s", stderr)
	}
	for _, stack := range []string{"provider", "consumer"} {
		if _, err := os.Stat(filepath.Join(dir, "cdktf.out", "stacks", stack, "cdk.tf.json")); err != nil {
			t.Errorf("stack %s not synthesized: %v", stack, err)
		}
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

package e2e

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/alb-privatelink/alb-privatelink/internal/testutil"
)

var (
	appOnce sync.Once
	appBin  string
	appErr  error
)

// TestMain removes the binary the tests share.
func TestMain(m *testing.M) {
	code := m.Run()
	if appBin != "" {
		os.RemoveAll(filepath.Dir(appBin))
	}
	os.Exit(code)
}

// buildApp compiles the real main package once for every test.
func buildApp(t *testing.T) string {
	t.Helper()
	appOnce.Do(func() {
		dir, err := os.MkdirTemp("", "alb-privatelink-e2e-")
		if err != nil {
			appErr = err
			return
		}
		appBin = filepath.Join(dir, "alb-privatelink")
		if out, err := exec.Command("go", "build", "-o", appBin, "..").CombinedOutput(); err != nil {
			appErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if appErr != nil {
		t.Fatal(appErr)
	}
	return appBin
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
		"config: none, so the zero-config demo",
		"warning: provider: no certificateArn configured",
		"warning: policy PL006 missing Name or Owner tag (provider)",
	} {
		if n := strings.Count(stderr, want); n != 1 {
			t.Errorf("zero-config stderr has %q %d times, want once:\n%s", want, n, stderr)
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
		for _, want := range append(tc.want, "config: "+tc.config+" ($ALB_PRIVATELINK_CONFIG)", "error: nothing was written; the previous synth output is unchanged") {
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

// project is a folder like a user's project: a cdktf.json (with context
// when given) and the files given.
func project(t *testing.T, context string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	testutil.WriteFile(t, filepath.Join(dir, "cdktf.json"), `{"language": "go", "app": "go run .", "context": {`+context+`}}`)
	for name, content := range files {
		testutil.WriteFile(t, filepath.Join(dir, name), content)
	}
	return dir
}

func stacksIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "cdktf.out", "stacks"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// Every way of naming the configuration is seen by the app, and a named
// file that is missing or says nothing is an error, never the demo. The
// stack folders are exactly the current config's.
func TestConfigIsFoundAndNeverSilentlyTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the app")
	}
	t.Parallel()
	bin := buildApp(t)
	three, err := os.ReadFile("../examples/config/three-consumers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := project(t, `"albPrivatelinkConfig": "conf/app.yaml"`, map[string]string{"conf/app.yaml": string(three)})
	code, stderr := runApp(t, bin, dir, "")
	want := "config: " + filepath.Join(".", "conf/app.yaml") + " (cdktf.json context.albPrivatelinkConfig)"
	if code != 0 || strings.Count(stderr, want) != 1 {
		t.Fatalf("context config: exit %d, want one %q:\n%s", code, want, stderr)
	}
	if got := stacksIn(t, dir); !slices.Equal(got, []string{"accept-consumer-analytics", "accept-consumer-virginia", "consumer", "consumer-analytics", "consumer-virginia", "provider"}) {
		t.Errorf("stacks %v, want three-consumers.yaml's", got)
	}
	marker := filepath.Join(dir, "cdktf.out", "stacks", "provider", ".terraform", "marker")
	testutil.WriteFile(t, marker, "terraform init was here")

	// alb-privatelink.yaml in the project folder, when cdktf.json names none.
	testutil.WriteFile(t, filepath.Join(dir, "cdktf.json"), `{"language": "go", "app": "go run ."}`)
	testutil.WriteFile(t, filepath.Join(dir, "alb-privatelink.yaml"), "provider: {}\n")
	code, stderr = runApp(t, bin, dir, "")
	if want := "config: alb-privatelink.yaml (found in the project folder)"; code != 0 || !strings.Contains(stderr, want) {
		t.Fatalf("default file: exit %d, want %q:\n%s", code, want, stderr)
	}
	if got := stacksIn(t, dir); !slices.Equal(got, []string{"consumer", "provider"}) {
		t.Errorf("after a synth of a smaller config, stack folders %v; want only provider and consumer", got)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("what terraform left in a current stack's folder is gone: %v", err)
	}

	before := testutil.Snapshot(t, filepath.Join(dir, "cdktf.out"))
	for name, tc := range map[string]struct{ cdktfJSON, file, want string }{
		"missing": {`"albPrivatelinkConfig": "nope.yaml"`, "", "error: config file: open nope.yaml: no such file or directory"},
		"empty":   {`"albPrivatelinkConfig": "empty.yaml"`, "# to do\n", "the file is empty"},
		"no what": {`"albPrivatelinkConfig": "state.yaml"`, "state: {backend: local}\n", "the file has neither provider nor consumers"},
	} {
		testutil.WriteFile(t, filepath.Join(dir, "cdktf.json"), `{"language": "go", "app": "go run .", "context": {`+tc.cdktfJSON+`}}`)
		if tc.file != "" {
			path := strings.Trim(strings.SplitN(tc.cdktfJSON, ":", 2)[1], ` "`)
			testutil.WriteFile(t, filepath.Join(dir, path), tc.file)
		}
		code, stderr := runApp(t, bin, dir, "")
		if code != 1 || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "config: none") {
			t.Errorf("%s config: exit %d, want 1 and %q, never the demo:\n%s", name, code, tc.want, stderr)
		}
	}
	if !maps.Equal(before, testutil.Snapshot(t, filepath.Join(dir, "cdktf.out"))) {
		t.Error("a config error changed cdktf.out")
	}
}

// Thousands of problems print the first fifty and a count; a first synth
// that fails says nothing about a previous output that never existed.
func TestErrorsAreCapped(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the app")
	}
	t.Parallel()
	bin := buildApp(t)
	var cidrs []string
	for i := range 300 {
		cidrs = append(cidrs, fmt.Sprintf("10.%d.%d.1/24", i/250, i%250))
	}
	dir := project(t, "", map[string]string{"alb-privatelink.yaml": "consumers:\n  - clientCidrs: [" + strings.Join(cidrs, ", ") + "]\n"})
	code, stderr := runApp(t, bin, dir, "")
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	var errs []string
	for _, l := range lines {
		if strings.HasPrefix(l, "error: ") {
			errs = append(errs, l)
		}
	}
	// 300 host-bit problems + the rule quota + the file name line.
	if code != 1 || len(errs) != 52 || errs[50] != "error: ... and 252 more problems" || errs[51] != "error: nothing was written" {
		t.Errorf("exit %d, %d error lines (want 50 problems, a count and the outcome); last: %q", code, len(errs), errs[max(len(errs)-2, 0):])
	}
}

// An interrupted synth (Ctrl-C, a CI timeout) removes its staging folder
// and leaves the previous output as it was.
func TestInterruptedSynthCleansUp(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the app")
	}
	t.Parallel()
	bin := buildApp(t)
	dir := t.TempDir()
	if code, stderr := runApp(t, bin, dir, ""); code != 0 {
		t.Fatalf("first synth: %d\n%s", code, stderr)
	}
	before := testutil.Snapshot(t, filepath.Join(dir, "cdktf.out"))
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ALB_PRIVATELINK_CONFIG=", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	staged := false
	for range 1000 { // wait for the staging folder, at most 10 s
		if m, _ := filepath.Glob(filepath.Join(dir, "cdktf.out", ".staging-*")); len(m) > 0 {
			staged = true
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !staged {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the synth never created its staging folder")
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	exit, _ := err.(*exec.ExitError)
	if exit == nil || exit.ExitCode() != 143 || !strings.Contains(stderr.String(), "error: interrupted (terminated); nothing was written; the previous synth output is unchanged") {
		t.Errorf("SIGTERM: %v\n%s", err, stderr.String())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "cdktf.out", ".staging-*")); len(left) != 0 {
		t.Errorf("staging folders left behind: %v", left)
	}
	if !maps.Equal(before, testutil.Snapshot(t, filepath.Join(dir, "cdktf.out"))) {
		t.Error("an interrupted synth changed cdktf.out")
	}
}

// Two synths into one folder at once (two terminals, an editor and a
// watcher) both finish: neither removes the other's staging folder.
func TestConcurrentSynthsDoNotCollide(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the app")
	}
	t.Parallel()
	bin := buildApp(t)
	dir := t.TempDir()
	type result struct {
		code   int
		stderr string
	}
	results := make(chan result, 2)
	for range 2 {
		go func() {
			code, stderr := runApp(t, bin, dir, "")
			results <- result{code, stderr}
		}()
	}
	for range 2 {
		if r := <-results; r.code != 0 {
			t.Errorf("a concurrent synth failed (%d):\n%s", r.code, r.stderr)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "cdktf.out", ".staging-*")); len(left) != 0 {
		t.Errorf("staging folders left behind: %v", left)
	}
	if got := stacksIn(t, dir); !slices.Equal(got, []string{"consumer", "provider"}) {
		t.Errorf("stacks %v", got)
	}
}

// A command after a flag, or a misspelt one, is an error: never a synth
// that exits 0 where the command's exit code was expected.
func TestAnArgumentThatIsNoCommandIsRefused(t *testing.T) {
	bin := buildApp(t)
	dir := t.TempDir()
	for _, args := range [][]string{{"-config", "x.yaml", "doctor"}, {"doktor"}} {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		exit, _ := err.(*exec.ExitError)
		want := fmt.Sprintf("error: unexpected argument %q: a command comes first (go run . COMMAND [-config FILE]); the commands are cost, diagram, doctor, eject", args[len(args)-1])
		if exit == nil || exit.ExitCode() != 2 || !strings.Contains(string(out), want) {
			t.Errorf("%v: %v, %q; want exit 2 and %q", args, err, out, want)
		}
		if _, err := os.Stat(filepath.Join(dir, "cdktf.out")); !os.IsNotExist(err) {
			t.Errorf("%v synthesized", args)
		}
	}
}

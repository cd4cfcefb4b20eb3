package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/internal/testutil"
	"github.com/alb-privatelink/alb-privatelink/jsiilazy"
)

// expectLazy fails unless every jsii kernel of a run loaded the pinned
// bindings lazily: the barrel was rewritten and only a few of its ~2,000
// submodules were loaded. This is what fails if lazy loading silently stops
// applying (a new bindings version, a changed kernel).
func expectLazy(t *testing.T, what, reportFile string) {
	t.Helper()
	reports, err := jsiilazy.ReadReports(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) == 0 {
		t.Errorf("%s: no jsii kernel reported lazy loading", what)
	}
	for _, r := range reports {
		if !r.Applied || r.Submodules < 2000 || r.Loaded == 0 || r.Loaded > 100 {
			t.Errorf("%s: %+v; want applied, ~2,000 submodules, a few dozen loaded", what, r)
		}
	}
}

// cdktfCLI is the project's cdktf CLI (node_modules/.bin/cdktf).
func cdktfCLI(t *testing.T) string {
	t.Helper()
	cli, err := filepath.Abs("../node_modules/.bin/cdktf")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("the cdktf CLI is not installed (run: make setup): %v", err)
	}
	return cli
}

// command runs in dir (the project root when "") with the environment of a
// quiet synth that names no config file, plus env.
func command(t *testing.T, dir string, env []string, args ...string) *exec.Cmd {
	t.Helper()
	if dir == "" {
		root, err := filepath.Abs("..")
		if err != nil {
			t.Fatal(err)
		}
		dir = root
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20", "ALB_PRIVATELINK_CONFIG=", "CDKTF_CONTEXT_JSON=")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// In a project whose cdktf.json names the config in its context, `cdktf
// synth` (and so deploy, diff and destroy, which synthesize the same way)
// and the app run directly (go run . builds and runs it) read that config,
// load the bindings lazily, write the same stacks and print each warning
// once.
func TestCdktfSynthWritesWhatGoRunWrites(t *testing.T) {
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
	dir := project(t, "", map[string]string{"conf/app.yaml": string(three)})
	testutil.WriteFile(t, filepath.Join(dir, "cdktf.json"), fmt.Sprintf(`{"language": "go", "app": %q, "context": {"albPrivatelinkConfig": "conf/app.yaml"}}`, bin))
	reports := t.TempDir()
	outdir := map[string]string{"cdktf synth": filepath.Join(dir, "cdktf.out"), "the app": filepath.Join(dir, "app.out")}
	for what, cmd := range map[string]*exec.Cmd{
		"cdktf synth": command(t, dir, []string{jsiilazy.ReportEnv + "=" + filepath.Join(reports, "cli.jsonl")}, cli, "synth"),
		"the app":     command(t, dir, []string{jsiilazy.ReportEnv + "=" + filepath.Join(reports, "app.jsonl"), "CDKTF_OUTDIR=" + outdir["the app"]}, bin),
	} {
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", what, err, out)
		}
		for _, once := range []string{"config: conf/app.yaml (cdktf.json context.albPrivatelinkConfig)", "no certificateArn configured, so the demo ALB listens on plain HTTP"} {
			if n := strings.Count(string(out), once); n != 1 {
				t.Errorf("%s printed %q %d times, want once:\n%s", what, once, n, out)
			}
		}
	}
	expectLazy(t, "cdktf synth", filepath.Join(reports, "cli.jsonl"))
	expectLazy(t, "the app", filepath.Join(reports, "app.jsonl"))

	stacks, _ := filepath.Glob(filepath.Join(outdir["cdktf synth"], "stacks", "*", "cdk.tf.json"))
	if len(stacks) != 6 {
		t.Fatalf("cdktf synth wrote %d stacks, want three-consumers.yaml's 6: %v", len(stacks), stacks)
	}
	for _, a := range stacks {
		rel, _ := filepath.Rel(outdir["cdktf synth"], a)
		b, err := os.ReadFile(filepath.Join(outdir["the app"], rel))
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if raw, _ := os.ReadFile(a); !bytes.Equal(raw, b) {
			t.Errorf("%s differs between cdktf synth and the app", rel)
		}
	}
}

// The golden snapshots of the demo and every example config come out the
// same with lazy loading switched off: lazy loading changes no output.
// (With it on, the same tests run in the normal test command.)
func TestGoldenSynthsWithoutLazyLoading(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the golden tests in a child go test")
	}
	t.Parallel()
	report := filepath.Join(t.TempDir(), "lazy.jsonl")
	cmd := command(t, "", []string{jsiilazy.SwitchEnv + "=off", jsiilazy.ReportEnv + "=" + report},
		"go", "test", "-count=1", "-v", "-run", "^TestGoldenSynths$", "./__tests__")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestGoldenSynths") {
		t.Fatalf("golden synths with %s=off: %v\n%s", jsiilazy.SwitchEnv, err, out)
	}
	if reports, _ := jsiilazy.ReadReports(report); len(reports) != 0 {
		t.Errorf("switched off, yet a kernel rewrote the barrel: %+v", reports)
	}
}

// envProgram is a library user's main package: unless its outdir argument
// is empty, it synthesizes one ConsumerEndpoint and closes the jsii kernel
// (which then writes its lazy report); then it starts
// `node -p process.env.NODE_OPTIONS` and prints, as JSON, jsiilazy.Status,
// its own NODE_OPTIONS and what that node printed. %s is the optional
// import line of package enable.
const envProgram = `package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
	"github.com/alb-privatelink/alb-privatelink/jsiilazy"
	%s
)

func main() {
	if os.Args[1] != "" {
		synth(os.Args[1])
	}
	node, err := exec.Command("node", "-p", "process.env.NODE_OPTIONS").Output()
	if err != nil {
		panic(err)
	}
	value, set := os.LookupEnv("NODE_OPTIONS")
	json.NewEncoder(os.Stdout).Encode(map[string]any{"status": jsiilazy.Status(), "go": value, "set": set, "node": strings.TrimSpace(string(node))})
}

func synth(outdir string) {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	stack := cdktf.NewTerraformStack(app, jsii.String("s"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("eu-west-1")})
	if _, err := privatelink.NewConsumerEndpoint(stack, "Ep", privatelink.ConsumerEndpointProps{
		VPCID:     "vpc-1b2c3d4e5f6071829",
		VPCCIDR:   "10.42.0.0/16",
		SubnetIDs: []string{"subnet-2b3c4d5e6f7081920", "subnet-3c4d5e6f708192a3b"},
		Service:   privatelink.EndpointServiceFromName("com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"),
	}); err != nil {
		panic(err)
	}
	app.Synth()
	jsii.Close()
}
`

// envRun is what envProgram printed, with the kernel's lazy reports and
// what it left in the cache folder.
type envRun struct {
	Status string `json:"status"`
	Go     string `json:"go"`
	Set    bool   `json:"set"`
	Node   string `json:"node"`
	// ReportFile holds the kernel's lazy reports, Reports what it says.
	ReportFile string
	Reports    []jsiilazy.Report
	// Cache is what the program left in its cache folder.
	Cache []string
}

// buildEnvProgram builds envProgram, with the enable import when enable.
func buildEnvProgram(t *testing.T, enable bool) string {
	t.Helper()
	imp := ""
	if enable {
		imp = `_ "` + jsiilazy.EnablePackage + `"`
	}
	dir := t.TempDir()
	testutil.WriteFile(t, filepath.Join(dir, "main.go"), fmt.Sprintf(envProgram, imp))
	bin := filepath.Join(dir, "program")
	cmd := exec.Command("go", "build", "-o", bin, filepath.Join(dir, "main.go"))
	cmd.Dir = ".." // in this module, which provides the imports
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runEnvProgram runs bin, with a synth when synth, NODE_OPTIONS set to
// *nodeOptions (unset when nil), lazy loading not switched off, and its own
// cache folder.
func runEnvProgram(t *testing.T, bin string, synth bool, nodeOptions *string) envRun {
	t.Helper()
	dir, cache := t.TempDir(), t.TempDir()
	report, outdir := filepath.Join(dir, "lazy.jsonl"), ""
	if synth {
		outdir = filepath.Join(dir, "out")
	}
	cmd := command(t, dir, []string{jsiilazy.SwitchEnv + "=", jsiilazy.ReportEnv + "=" + report, "XDG_CACHE_HOME=" + cache}, bin, outdir)
	cmd.Env = slices.DeleteFunc(cmd.Env, func(kv string) bool { return strings.HasPrefix(kv, "NODE_OPTIONS=") })
	if nodeOptions != nil {
		cmd.Env = append(cmd.Env, "NODE_OPTIONS="+*nodeOptions)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, stderr.Bytes())
	}
	var run envRun
	if err := json.Unmarshal(out, &run); err != nil {
		t.Fatalf("%s printed %q: %v", bin, out, err)
	}
	run.ReportFile = report
	if run.Reports, err = jsiilazy.ReadReports(report); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(cache, func(path string, d fs.DirEntry, err error) error {
		if err == nil && path != cache {
			run.Cache = append(run.Cache, path)
		}
		return nil
	})
	return run
}

// Importing our constructs (and package jsiilazy) changes nothing in the
// process: no NODE_OPTIONS, for it or the processes it starts, and no
// preload file, so no kernel can get one. Lazy loading is the enable
// package's alone. (The program does not synthesize: an eager kernel costs
// seconds, and the preload it could load does not exist.)
func TestImportingTheConstructsChangesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "../constructs/privatelink", "../stacks").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "/jsiilazy") {
			t.Errorf("constructs/privatelink or stacks imports %s: importing them must not change the process", dep)
		}
	}
	run := runEnvProgram(t, buildEnvProgram(t, false), false, nil)
	if run.Set || run.Node != "undefined" {
		t.Errorf("NODE_OPTIONS was unset, yet the program has %q (set %v) and its node child %q", run.Go, run.Set, run.Node)
	}
	if !strings.HasPrefix(run.Status, "eager: not enabled") || len(run.Cache) != 0 {
		t.Errorf("status %q, cache folder %v; want not enabled, nothing written", run.Status, run.Cache)
	}
}

// With the enable package, the kernel gets the preload (and loads lazily),
// while the program and every process it starts after a synth keep the
// NODE_OPTIONS the program started with: none, or the user's.
func TestLazyLoadingStaysInTheKernel(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	t.Parallel()
	bin := buildEnvProgram(t, true)
	user := "--no-deprecation --max-old-space-size=3000"
	for name, nodeOptions := range map[string]*string{"unset": nil, "set by the user": &user} {
		t.Run(name, func(t *testing.T) {
			run := runEnvProgram(t, bin, true, nodeOptions)
			want, wantNode := "", "undefined"
			if nodeOptions != nil {
				want, wantNode = *nodeOptions, *nodeOptions
			}
			if run.Set != (nodeOptions != nil) || run.Go != want || run.Node != wantNode {
				t.Errorf("after a synth the program has NODE_OPTIONS %q (set %v), its node child %q; want %q as it started", run.Go, run.Set, run.Node, wantNode)
			}
			if !strings.HasPrefix(run.Status, "on: ") || !slices.Contains(run.Cache, strings.TrimPrefix(run.Status, "on: ")) {
				t.Errorf("status %q, cache folder %v; want on, with the preload there", run.Status, run.Cache)
			}
			expectLazy(t, "the kernel", run.ReportFile)
		})
	}
}

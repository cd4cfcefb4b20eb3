package jsiilazy

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestWithPreload(t *testing.T) {
	cases := []struct {
		name, current string
		set           bool
		file, want    string
	}{
		{"unset keeps jsii's heap size", "", false, "/c/p.cjs", "--max-old-space-size=4069 --require /c/p.cjs"},
		{"user options are kept", "--max-old-space-size=8192 --trace-warnings", true, "/c/p.cjs", "--max-old-space-size=8192 --trace-warnings --require /c/p.cjs"},
		{"set but empty", "", true, "/c/p.cjs", "--require /c/p.cjs"},
		{"already there (inherited)", "--max-old-space-size=4069 --require /c/p.cjs", true, "/c/p.cjs", "--max-old-space-size=4069 --require /c/p.cjs"},
		{"spaces and quotes are quoted", "", true, `/home/a b/c"d\e.cjs`, `--require "/home/a b/c\"d\\e.cjs"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := WithPreload(tc.current, tc.set, tc.file); got != tc.want {
				t.Errorf("WithPreload(%q, %v, %q) = %q, want %q", tc.current, tc.set, tc.file, got, tc.want)
			}
		})
	}
}

func TestOff(t *testing.T) {
	for _, v := range []string{"off", "OFF", " 0", "false", "no"} {
		if !Off(v) {
			t.Errorf("Off(%q) = false, want true", v)
		}
	}
	for _, v := range []string{"", "on", "1", "yes"} {
		if Off(v) {
			t.Errorf("Off(%q) = true, want false", v)
		}
	}
}

// install writes only inside the cache folder, gives the kernel the user's
// NODE_OPTIONS plus the preload, and reuses the file it wrote; enable leaves
// this process's NODE_OPTIONS as it found it.
func TestInstallWritesOnlyTheCacheFile(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", t.TempDir()) // os.UserCacheDir prefers XDG_CACHE_HOME on Linux
	t.Setenv(SwitchEnv, "")
	t.Setenv("NODE_OPTIONS", "--trace-warnings")

	got, options, ok := install()
	entries, _ := os.ReadDir(filepath.Join(cache, "alb-privatelink"))
	if !ok || len(entries) != 1 || !strings.HasPrefix(got, "on: "+filepath.Join(cache, "alb-privatelink", entries[0].Name())) {
		t.Fatalf("install() = %q, %v; cache folder holds %v", got, ok, entries)
	}
	file := strings.TrimPrefix(got, "on: ")
	if raw, err := os.ReadFile(file); err != nil || string(raw) != string(preload) {
		t.Fatalf("cache file differs from the embedded preload (%v)", err)
	}
	if want := "--trace-warnings --require " + file; options != want {
		t.Errorf("kernel NODE_OPTIONS = %q, want %q", options, want)
	}
	if again, options2, _ := install(); again != got || options2 != options {
		t.Errorf("second install: %q, NODE_OPTIONS %q", again, options2)
	}
	if os.Getenv("NODE_OPTIONS") != "--trace-warnings" {
		t.Errorf("install changed this process's NODE_OPTIONS to %q", os.Getenv("NODE_OPTIONS"))
	}
	var seen string
	if st := enable(func() { seen = os.Getenv("NODE_OPTIONS") }); st != got || seen != options || os.Getenv("NODE_OPTIONS") != "--trace-warnings" {
		t.Errorf("enable() = %q; the kernel saw NODE_OPTIONS %q (want %q), left %q", st, seen, options, os.Getenv("NODE_OPTIONS"))
	}

	t.Setenv(SwitchEnv, "off")
	t.Setenv("NODE_OPTIONS", "--trace-warnings")
	seen = "not prepared"
	if got := enable(func() { seen = os.Getenv("NODE_OPTIONS") }); !strings.HasPrefix(got, "off:") || seen != "not prepared" || os.Getenv("NODE_OPTIONS") != "--trace-warnings" {
		t.Errorf("switched off: enable() = %q, prepared with %q, NODE_OPTIONS %q", got, seen, os.Getenv("NODE_OPTIONS"))
	}

	// An unwritable cache folder means eager loading, not a failure.
	t.Setenv(SwitchEnv, "")
	blocked := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocked, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CACHE_HOME", blocked)
	t.Setenv("NODE_OPTIONS", "--trace-warnings")
	if got := enable(func() { seen = os.Getenv("NODE_OPTIONS") }); !strings.HasPrefix(got, "eager: ") || seen != "not prepared" || os.Getenv("NODE_OPTIONS") != "--trace-warnings" {
		t.Errorf("unwritable cache: enable() = %q, prepared with %q, NODE_OPTIONS %q", got, seen, os.Getenv("NODE_OPTIONS"))
	}
}

// withNodeOptions puts NODE_OPTIONS back exactly: unset stays unset, a set
// value (even empty) comes back, also when the function panics.
func TestWithNodeOptionsRestores(t *testing.T) {
	for _, before := range []*string{nil, new(""), new("--trace-warnings")} {
		name := "unset"
		if before != nil {
			name = strconv.Quote(*before)
		}
		t.Run(name, func(t *testing.T) {
			t.Setenv("NODE_OPTIONS", "") // restored by the test framework
			if before == nil {
				os.Unsetenv("NODE_OPTIONS")
			} else {
				os.Setenv("NODE_OPTIONS", *before)
			}
			check := func(when string) {
				after, set := os.LookupEnv("NODE_OPTIONS")
				if set != (before != nil) || (set && after != *before) {
					t.Errorf("%s: NODE_OPTIONS = %q (set %v), want it as before", when, after, set)
				}
			}
			var seen string
			if err := withNodeOptions("--require /p.cjs", func() { seen = os.Getenv("NODE_OPTIONS") }); err != nil || seen != "--require /p.cjs" {
				t.Errorf("withNodeOptions: %v; fn saw %q", err, seen)
			}
			check("after")
			func() {
				defer func() { _ = recover() }()
				_ = withNodeOptions("--require /p.cjs", func() { panic("kernel") })
			}()
			check("after a panic")
		})
	}
}

// Status says lazy loading is not on until something enables it: importing
// this package alone changes nothing.
func TestStatusBeforeEnable(t *testing.T) {
	if got := Status(); !strings.HasPrefix(got, "eager: not enabled") || !strings.Contains(got, EnablePackage) {
		t.Errorf("Status() = %q, want eager: not enabled, naming %s", got, EnablePackage)
	}
}

// barrel writes a fake @cdktf/provider-aws package whose lib/index.js is
// index, with submodules a, b and c that log when they load.
func barrel(t *testing.T, index string) string {
	t.Helper()
	root := t.TempDir()
	lib := filepath.Join(root, "node_modules", "@cdktf", "provider-aws", "lib")
	if err := os.MkdirAll(lib, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"index.js": index}
	for _, name := range []string{"a", "b", "c"} {
		files[name+".js"] = "globalThis.loaded = (globalThis.loaded || []).concat('" + name + "');\n" +
			"exports.Thing = class Thing { name() { return '" + name + "'; } };\n"
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(lib, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(lib, "index.js")
}

const generatedShape = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.c = exports.b = exports.a = void 0;
exports.a = require("./a");
exports.b = require("./b");
exports.c = require("./c");
// generated by cdktf get
`

type kernelRun struct {
	Keys    []string `json:"keys"`
	Name    string   `json:"name"`
	Loaded  []string `json:"loaded"`
	Reports []Report
}

// runNode requires the barrel as the jsii kernel does, lists its keys and
// uses one class, with the preload installed the way install() does it.
func runNode(t *testing.T, index string, env ...string) kernelRun {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is required (the jsii kernel runs on it): ", err)
	}
	dir := t.TempDir()
	file, err := writePreload(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep := filepath.Join(dir, "report.jsonl")
	script := `const m = require(process.argv[1]);
const keys = Object.keys(m).filter(k => k !== '__esModule');
const name = new m.b.Thing().name();
console.log(JSON.stringify({ keys, name, loaded: globalThis.loaded }));`
	cmd := exec.Command(node, "-e", script, index)
	cmd.Env = append(os.Environ(), "NODE_OPTIONS="+WithPreload("", false, file), ReportEnv+"="+rep)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var run kernelRun
	if err := json.Unmarshal(out, &run); err != nil {
		t.Fatalf("node printed %q: %v", out, err)
	}
	if run.Reports, err = ReadReports(rep); err != nil {
		t.Fatal(err)
	}
	return run
}

func TestPreloadLoadsOnlyWhatIsUsed(t *testing.T) {
	index := barrel(t, generatedShape)
	run := runNode(t, index)
	if run.Name != "b" || !slices.Equal(run.Keys, []string{"a", "b", "c"}) {
		t.Errorf("module API changed: keys %v, b.Thing names itself %q", run.Keys, run.Name)
	}
	if !slices.Equal(run.Loaded, []string{"b"}) {
		t.Errorf("loaded %v, want only [b]", run.Loaded)
	}
	want := []Report{{File: index, Applied: true, Submodules: 3, Loaded: 1}}
	if !slices.Equal(run.Reports, want) {
		t.Errorf("report %+v, want %+v", run.Reports, want)
	}
}

// Any barrel of another shape is left eager, and still works.
func TestPreloadLeavesOtherShapesEager(t *testing.T) {
	cases := map[string]string{
		"re-export helper": "var __exportStar = (m, e) => Object.assign(e, m);\n" +
			strings.Replace(generatedShape, `exports.c = require("./c");`, `__exportStar(require("./c"), exports);`, 1),
		"other quoting": `exports.a = require("./a") ;` + "\nexports.b = require('./b');\nexports.c = require(`./c`);\n",
	}
	for name, index := range cases {
		t.Run(name, func(t *testing.T) {
			file := barrel(t, index)
			run := runNode(t, file)
			if run.Name != "b" || !slices.Equal(run.Loaded, []string{"a", "b", "c"}) {
				t.Errorf("eager fallback broken: b.Thing names itself %q, loaded %v", run.Name, run.Loaded)
			}
			if len(run.Reports) != 1 || run.Reports[0].Applied || run.Reports[0].Reason == "" {
				t.Errorf("report %+v, want one not applied, with a reason", run.Reports)
			}
		})
	}
}

// ALB_PRIVATELINK_LAZY=off wins even over a NODE_OPTIONS that a parent
// process already extended.
func TestPreloadSwitchedOff(t *testing.T) {
	run := runNode(t, barrel(t, generatedShape), SwitchEnv+"=off")
	if !slices.Equal(run.Loaded, []string{"a", "b", "c"}) || len(run.Reports) != 0 {
		t.Errorf("switched off: loaded %v, reports %+v; want eager, no report", run.Loaded, run.Reports)
	}
}

// Node reads the quoted --require that WithPreload writes for a path with
// spaces.
func TestNodeReadsQuotedPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), `a b`)
	index := barrel(t, generatedShape)
	file, err := writePreload(dir)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "-e", `require(process.argv[1]); console.log(globalThis.loaded === undefined)`, index)
	cmd.Env = append(os.Environ(), "NODE_OPTIONS="+WithPreload("", true, file))
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "true" {
		t.Errorf("node with NODE_OPTIONS=%q: %v, printed %q (want true: nothing loaded eagerly)", WithPreload("", true, file), err, out)
	}
}

// Go initializes packages in import-path order among those whose imports
// are ready. This package and package enable sort before github.com/aws/...,
// github.com/cdktf/... and github.com/hashicorp/..., so enable's init runs
// before the first binding package registers its types (and jsii captures the
// environment) only while all their imports are also imports of
// jsii-runtime-go's runtime package (or it). Guard that.
func TestInitializedBeforeTheBindings(t *testing.T) {
	deps := func(pkg string) []string {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	const self = "github.com/alb-privatelink/alb-privatelink/jsiilazy"
	runtime := deps("github.com/aws/jsii-runtime-go/runtime")
	for _, pkg := range []string{self, EnablePackage} {
		for _, d := range deps(pkg) {
			if d != self && d != EnablePackage && !slices.Contains(runtime, d) {
				t.Errorf("%s imports %s, which jsii-runtime-go/runtime does not: Go may then initialize the bindings first", pkg, d)
			}
		}
		for _, later := range []string{"github.com/aws/", "github.com/cdktf/", "github.com/hashicorp/"} {
			if pkg >= later {
				t.Errorf("%s no longer sorts before %s", pkg, later)
			}
		}
	}
}

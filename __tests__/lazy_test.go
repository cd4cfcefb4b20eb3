package tests

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/jsiilazy"
	// This test package synthesizes a lot: it turns lazy loading on, as a
	// user's main package does (only the import of enable does).
	_ "github.com/alb-privatelink/alb-privatelink/jsiilazy/enable"
)

// This test package, like every program that imports package enable, gets
// a jsii kernel with the lazy-loading preload: its Node process (a child of
// this process) carries it in NODE_OPTIONS, and this process does not. That
// the preload then applies to the pinned bindings, and that no later child
// inherits it, is checked on programs and on `go run .` and `cdktf synth`
// (e2e).
func TestThisTestBinaryLoadsLazily(t *testing.T) {
	status := jsiilazy.Status()
	if jsiilazy.Off(os.Getenv(jsiilazy.SwitchEnv)) {
		t.Skipf("switched off for this run: %s", status)
	}
	if !strings.HasPrefix(status, "on: ") {
		t.Fatalf("lazy loading is not on: %s", status)
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the kernel's environment from /proc")
	}
	synthStack(t, newStack(t)) // make sure the kernel runs
	flag := "--require " + strings.TrimPrefix(status, "on: ")
	if strings.Contains(os.Getenv("NODE_OPTIONS"), flag) {
		t.Errorf("this process kept NODE_OPTIONS=%q, which every node it starts inherits", os.Getenv("NODE_OPTIONS"))
	}
	kernels := 0
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, proc := range procs {
		stat, err := os.ReadFile(filepath.Join(proc, "stat"))
		cmdline, err2 := os.ReadFile(filepath.Join(proc, "cmdline"))
		if err != nil || err2 != nil || !strings.Contains(string(cmdline), "jsii-runtime") {
			continue
		}
		// stat: PID (COMM) STATE PPID ...
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) < 2 || fields[1] != strconv.Itoa(os.Getpid()) {
			continue
		}
		kernels++
		environ, err := os.ReadFile(filepath.Join(proc, "environ"))
		if err != nil {
			t.Fatal(err)
		}
		nodeOptions := "(unset)"
		for _, kv := range strings.Split(string(environ), "\x00") {
			if v, ok := strings.CutPrefix(kv, "NODE_OPTIONS="); ok {
				nodeOptions = v
			}
		}
		if !strings.Contains(nodeOptions, flag) {
			t.Errorf("the jsii kernel runs with NODE_OPTIONS=%q, without %q", nodeOptions, flag)
		}
	}
	if kernels == 0 {
		t.Error("found no jsii kernel process started by this test binary")
	}
}

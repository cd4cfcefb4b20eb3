package e2e

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// commands are the app's commands as a user would name them; help must
// list each with one line, and each must explain itself with -h.
var commands = []string{"cost", "diagram", "doctor", "eject", "explain", "help"}

// runBin runs the built app in a fresh folder: exit code, stdout, stderr.
func runBin(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := command(t, t.TempDir(), nil, append([]string{buildApp(t)}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		t.Fatal(err)
	}
	return exitCode(err), stdout.String(), stderr.String()
}

// `help`, `-h` and `--help` list every command, one line each, on stdout,
// and exit 0; so does `help COMMAND` and `COMMAND -h` for its flags.
func TestTheCLIExplainsItself(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help"}, {"-h"}, {"-help"}, {"--help"}} {
		code, stdout, stderr := runBin(t, args...)
		if code != 0 || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q; want 0 and nothing", args, code, stderr)
		}
		for _, c := range commands {
			if n := strings.Count(stdout, "\n  "+c+" "); n != 1 {
				t.Errorf("%v lists %q %d times, want one line:\n%s", args, c, n, stdout)
			}
		}
		if !strings.Contains(stdout, "-config FILE") || !strings.Contains(stdout, "go run . COMMAND -h") {
			t.Errorf("%v does not say how to synthesize and how to get a command's flags:\n%s", args, stdout)
		}
	}
	for _, c := range commands {
		for _, args := range [][]string{{c, "-h"}, {"help", c}} {
			code, stdout, stderr := runBin(t, args...)
			if code != 0 || stderr != "" || stdout == "" {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want the usage on stdout, exit 0", args, code, stdout, stderr)
			}
			if c != "help" && !strings.Contains(stdout, "usage: alb-privatelink "+c) {
				t.Errorf("%v: no usage line:\n%s", args, stdout)
			}
		}
	}
}

// A bad flag value names the flag, the value and what is allowed, and
// exits 2 without running the command.
func TestBadFlagValuesSayWhatIsAllowed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"diagram", "-format", "svg"}, `error: invalid value "svg" for flag -format: want mermaid or dot`},
		{[]string{"cost", "-gb", "-5"}, `error: invalid value "-5" for flag -gb: want a number, 0 or more`},
		{[]string{"cost", "-requests", "many"}, `error: invalid value "many" for flag -requests: want a number, 0 or more`},
		{[]string{"eject"}, "error: -out: required: the folder to write the root modules to, such as -out terraform"},
		{[]string{"doctor", "-jason"}, "error: flag provided but not defined: -jason"},
		{[]string{"cost", "extra"}, `error: unexpected argument "extra": cost takes only flags`},
		{[]string{"-confg", "x.yaml"}, "error: flag provided but not defined: -confg"},
		{[]string{"explain", "PL999"}, `error: explain takes one rule ID, got "PL999"; the rules are PL001, PL002, PL003, PL004, PL005, PL006, PL007`},
		{[]string{"help", "doktor"}, `error: help takes one command, got ["doktor"]`},
	} {
		code, stdout, stderr := runBin(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s\nwant exit 2 and %q", tc.args, code, stdout, stderr, tc.want)
		}
		if !strings.Contains(stderr, " -h") && !strings.Contains(stderr, "go run . help") && !strings.Contains(stderr, "the rules are") && !strings.Contains(stderr, "commands:") {
			t.Errorf("%v: no pointer to the usage:\n%s", tc.args, stderr)
		}
	}
}

// `explain RULE` says what a warning one line long only points at: when
// the rule fires, why, the fix, and how to suppress it; without a rule it
// lists every rule.
func TestExplain(t *testing.T) {
	t.Parallel()
	code, stdout, _ := runBin(t, "explain", "pl006")
	for _, want := range []string{
		"PL006: missing Name or Owner tag (warning: a finding is printed; the synth goes on)",
		"When: a resource has no Name tag, or a stack has no Owner tag",
		"Why: untagged resources cannot be told apart",
		"Fix: tag resources with Name, and set an Owner default tag",
		"      - rule: PL006",
		"cdktf.out/suppressions.json",
	} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("explain pl006: exit %d, no %q in:\n%s", code, want, stdout)
		}
	}
	code, stdout, _ = runBin(t, "explain")
	if code != 0 || strings.Count(stdout, "\nPL0") != 6 || !strings.HasPrefix(stdout, "PL001  error    ") || !strings.Contains(stdout, "PL006  warning  missing Name or Owner tag") {
		t.Errorf("explain: exit %d, want the seven rules:\n%s", code, stdout)
	}
}

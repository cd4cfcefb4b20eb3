package cli

import (
	"fmt"
	"io"
	"os"
)

// commandList says, for help, what each command of Commands does, in the
// order help lists them.
var commandList = []struct{ Name, Summary string }{
	{"cost", "the monthly cost of the configured design, beside VPC Lattice and Transit Gateway"},
	{"diagram", "draw what a synth deploys, as Mermaid or DOT"},
	{"doctor", "check the deployed stacks link by link with your AWS credentials"},
	{"eject", "write each stack as a plain Terraform root module (leave CDKTF)"},
	{"explain", "what a policy rule checks, why, and how to fix it (explain PL006); all rules without an ID"},
	{"help", "this list; help COMMAND shows a command's flags"},
}

// Help looks commands up in Commands, so it cannot be in the map's
// initializer (an initialization cycle).
func init() { Commands["help"] = Help }

// PrintUsage writes the app's usage: how to synthesize, and every command
// with one line each.
func PrintUsage(w io.Writer) {
	fmt.Fprintln(w, "alb-privatelink: private access to an Application Load Balancer in another VPC or account through AWS PrivateLink, as a CDK for Terraform app.")
	fmt.Fprintln(w, "\nusage:")
	fmt.Fprintln(w, "  go run . [-config FILE]          synthesize every stack into cdktf.out, with the policy checks (cdktf synth runs this)")
	fmt.Fprintln(w, "  go run . COMMAND [flags]         run a command")
	fmt.Fprintln(w, "  go run . COMMAND -h              a command's flags")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commandList {
		fmt.Fprintf(w, "  %-9s %s\n", c.Name, c.Summary)
	}
	fmt.Fprintln(w, "\nflags:")
	fmt.Fprintln(w, "  -config FILE   "+ConfigUsage)
	fmt.Fprintln(w, "\nDocs: README.md, and docs/ for the rest.")
}

// Help is `help [COMMAND]`: the usage, or a command's flags.
func Help(args []string) int {
	if len(args) == 0 || (len(args) == 1 && (isHelpFlag(args[0]) || args[0] == "help")) {
		PrintUsage(os.Stdout)
		return 0
	}
	command, ok := Commands[args[0]]
	if !ok || len(args) > 1 {
		fmt.Fprintf(os.Stderr, "error: help takes one command, got %q\n\n", args)
		PrintUsage(os.Stderr)
		return 2
	}
	return command([]string{"-h"})
}

// isHelpFlag tells whether arg asks for help, as the flag package reads it.
func isHelpFlag(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

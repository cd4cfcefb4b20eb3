// Command alb-privatelink synthesizes the PrivateLink stacks: private access
// to an Application Load Balancer in another VPC through AWS PrivateLink.
// Run it through `cdktf synth` (or `go run .`). The configuration comes from
// -config, $ALB_PRIVATELINK_CONFIG, cdktf.json's context.albPrivatelinkConfig
// or alb-privatelink.yaml in this folder, first match wins; none is the demo.
//
// The other commands (go run . eject|cost|diagram|doctor) live in
// cli/: eject writes plain Terraform, cost estimates the monthly
// bill, diagram draws the stacks, doctor checks a deployed connection.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/aws/jsii-runtime-go"

	"github.com/alb-privatelink/alb-privatelink/cli"
	_ "github.com/alb-privatelink/alb-privatelink/jsiilazy/enable"
	"github.com/alb-privatelink/alb-privatelink/synth"
)

func main() { os.Exit(run()) }

func run() int {
	defer jsii.Close()
	if len(os.Args) > 1 {
		if command, ok := cli.Commands[os.Args[1]]; ok {
			return command(os.Args[2:])
		}
	}
	flags := flag.NewFlagSet("alb-privatelink", flag.ContinueOnError)
	flags.Usage = func() {} // the usage and errors are printed below
	flags.SetOutput(io.Discard)
	configPath := flags.String("config", "", cli.ConfigUsage)
	if err := flags.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			cli.PrintUsage(os.Stdout) // -h, -help, --help
			return 0
		}
		fmt.Fprintf(os.Stderr, "error: %v\nrun: go run . help   (the commands and flags)\n", err)
		return 2
	}
	if flags.NArg() > 0 {
		// "go run . -config x.yaml doctor", or a typo of a command: never
		// a synth that looks like the command passed
		fmt.Fprintf(os.Stderr, "error: unexpected argument %q: a command comes first (go run . COMMAND [-config FILE]); the commands are %s; with none, the app synthesizes (go run . help)\n",
			flags.Arg(0), strings.Join(slices.Sorted(maps.Keys(cli.Commands)), ", "))
		return 2
	}
	outdir := cli.Outdir()
	_, statErr := os.Stat(filepath.Join(outdir, "manifest.json"))
	hadOutput := statErr == nil
	synthesizer := &synth.Synthesizer{Outdir: outdir}
	cleanUpOnSignal(synthesizer, hadOutput)

	cfg, err := cli.LoadConfig(*configPath)
	if err != nil {
		return fail(err, hadOutput)
	}
	res, err := synthesizer.Run(cfg)
	if err != nil {
		return fail(err, hadOutput)
	}
	for _, w := range res.Warnings {
		cli.Note("warning: %s", w)
	}
	for _, f := range res.Suppressed {
		cli.Note("%s", synth.Audit(f))
	}
	return 0
}

// cleanUpOnSignal removes the staging folder of an interrupted synth
// (Ctrl-C, or SIGTERM from CI), after any publish in progress finished, so
// that the output folder is always one synth's output or the other's.
func cleanUpOnSignal(synthesizer *synth.Synthesizer, hadOutput bool) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-signals
		outcome := unchanged(hadOutput)
		if synthesizer.Abort() {
			outcome = "the new synth output was written before the interruption"
		}
		fmt.Fprintf(os.Stderr, "error: interrupted (%v); %s\n", s, outcome)
		code := 130
		if s == syscall.SIGTERM {
			code = 143
		}
		os.Exit(code)
	}()
}

// fail prints the problems (cli.PrintErrors) and says what became of the
// output folder.
func fail(err error, hadOutput bool) int {
	cli.PrintErrors(err)
	var partial *synth.PublishError
	if !errors.As(err, &partial) {
		fmt.Fprintln(os.Stderr, "error: "+unchanged(hadOutput))
	}
	return 1
}

func unchanged(hadOutput bool) string {
	if hadOutput {
		return "nothing was written; the previous synth output is unchanged"
	}
	return "nothing was written"
}

// Command alb-privatelink synthesizes the PrivateLink stacks: private access
// to an Application Load Balancer in another VPC through AWS PrivateLink.
// Run it through `cdktf synth` (or `go run .`). The configuration comes from
// -config, $ALB_PRIVATELINK_CONFIG, cdktf.json's context.albPrivatelinkConfig
// or alb-privatelink.yaml in this folder, first match wins; none is the demo.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/aws/jsii-runtime-go"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/stacks"
)

// maxErrorLines caps the problems printed: a file with thousands of bad
// values is fixed from the first ones.
const maxErrorLines = 50

func main() { os.Exit(run()) }

func run() int {
	defer jsii.Close()
	configPath := flag.String("config", "", "config file (YAML or JSON); default: $"+config.Env+", cdktf.json's context."+config.ContextKey+", or "+config.DefaultFile+" in this folder; none for the demo")
	flag.Parse()
	outdir := os.Getenv("CDKTF_OUTDIR") // set by the cdktf CLI
	if outdir == "" {
		outdir = "cdktf.out"
	}
	_, statErr := os.Stat(filepath.Join(outdir, "manifest.json"))
	hadOutput := statErr == nil
	cleanUpOnSignal(outdir, hadOutput)

	src, err := config.Find(*configPath, os.Getenv, ".")
	if err != nil {
		return fail(err, hadOutput)
	}
	fmt.Fprintln(os.Stderr, src)
	cfg, err := config.Load(src.Path)
	if err != nil {
		return fail(err, hadOutput)
	}
	res, err := stacks.Synth(cfg, outdir)
	if err != nil {
		return fail(err, hadOutput)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(os.Stderr, "warning: "+w)
	}
	return 0
}

// cleanUpOnSignal removes the staging folder of an interrupted synth
// (Ctrl-C, or SIGTERM from CI), after any publish in progress finished, so
// that the output folder is always one synth's output or the other's.
func cleanUpOnSignal(outdir string, hadOutput bool) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-signals
		outcome := unchanged(hadOutput)
		if stacks.Abort(outdir) {
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

// fail prints each problem on its own line (the first maxErrorLines),
// prefixed so it stands out in cdktf's output, and says what became of the
// output folder.
func fail(err error, hadOutput bool) int {
	lines := strings.Split(err.Error(), "\n")
	for i, line := range lines {
		if i == maxErrorLines {
			fmt.Fprintf(os.Stderr, "error: ... and %d more problems\n", len(lines)-i)
			break
		}
		fmt.Fprintln(os.Stderr, "error: "+line)
	}
	var partial *stacks.PublishError
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

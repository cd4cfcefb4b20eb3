// Command alb-privatelink synthesizes the PrivateLink stacks: private access
// to an Application Load Balancer in another VPC through AWS PrivateLink.
// Run it through `cdktf synth`; set ALB_PRIVATELINK_CONFIG to a config file
// (see config.example.yaml), or nothing for the demo.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/aws/jsii-runtime-go"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/stacks"
)

func main() { os.Exit(run()) }

func run() int {
	defer jsii.Close()
	configPath := flag.String("config", os.Getenv(config.Env), "config file (YAML or JSON); default $"+config.Env+", or none for the demo")
	flag.Parse()
	outdir := os.Getenv("CDKTF_OUTDIR") // set by the cdktf CLI
	if outdir == "" {
		outdir = "cdktf.out"
	}

	cfg, err := config.Load(*configPath)
	if err != nil {
		return fail(err)
	}
	res, err := stacks.Synth(cfg, outdir)
	if err != nil {
		return fail(err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(os.Stderr, "warning: "+w)
	}
	return 0
}

// fail prints each problem on its own line, prefixed so it stands out in
// cdktf's output, and says whether the previous output is intact.
func fail(err error) int {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(os.Stderr, "error: "+line)
	}
	var partial *stacks.PublishError
	if !errors.As(err, &partial) {
		fmt.Fprintln(os.Stderr, "error: nothing was written; the previous synth output is unchanged")
	}
	return 1
}

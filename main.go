// Command alb-privatelink synthesizes the "provider" and "consumer" stacks:
// private access to an Application Load Balancer in another VPC through AWS
// PrivateLink. Run it through `cdktf synth`; set ALB_PRIVATELINK_CONFIG to a
// config file (see config.example.yaml), or nothing for the demo.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/stacks"
)

func main() { os.Exit(run()) }

func run() (code int) {
	defer jsii.Close()
	configPath := flag.String("config", os.Getenv(stacks.ConfigEnv), "config file (YAML or JSON); default $"+stacks.ConfigEnv+", or none for the demo")
	flag.Parse()

	// jsii reports errors from the Node side as panics; turn them into one line.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "error: synth failed: %s\n", firstLine(fmt.Sprint(r)))
			code = 1
		}
	}()

	cfg, err := stacks.LoadConfig(*configPath)
	if err == nil {
		err = cfg.WithDefaults().Validate() // before cdktf creates its output folder
	}
	if err != nil {
		return fail(err)
	}
	app := cdktf.NewApp(nil)
	built, err := stacks.Build(app, cfg)
	if err != nil {
		// cdktf made the output folder when the app was created; remove it
		// if it is still empty, and leave a previous synth untouched.
		_ = os.Remove(*app.Outdir())
		return fail(err)
	}
	for _, note := range built.Provider.Notes {
		fmt.Fprintln(os.Stderr, "warning: "+note)
	}
	app.Synth()
	return 0
}

// fail prints each configuration problem on its own line, prefixed so it is
// easy to spot in cdktf's output.
func fail(err error) int {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(os.Stderr, "error: "+line)
	}
	return 1
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

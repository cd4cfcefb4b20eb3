// Package cli holds the app's commands besides synth: eject, cost,
// diagram and doctor (main dispatches to them by their first argument),
// and what every command shares: finding and loading the config, the
// output folder, and how errors are printed.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/cost"
	"github.com/alb-privatelink/alb-privatelink/diagram"
	"github.com/alb-privatelink/alb-privatelink/doctor"
	"github.com/alb-privatelink/alb-privatelink/eject"
	"github.com/alb-privatelink/alb-privatelink/stacks"
	"github.com/alb-privatelink/alb-privatelink/synth"
)

// maxErrorLines caps the problems printed: a file with thousands of bad
// values is fixed from the first ones.
const maxErrorLines = 50

// ConfigUsage describes the -config flag every command takes.
const ConfigUsage = "config file (YAML or JSON); default: $" + config.Env + ", cdktf.json's context." + config.ContextKey + ", or " + config.DefaultFile + " in this folder; none for the demo"

// flags is a command's flag set and its usage text.
type flags struct {
	*flag.FlagSet
	usage string
}

// newFlags is a command's flag set: its usage text, and -config.
func newFlags(name, usage string) (*flags, *string) {
	fs := &flags{flag.NewFlagSet(name, flag.ContinueOnError), usage}
	// parse prints the errors and the usage itself.
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	return fs, fs.String("config", "", ConfigUsage)
}

// printUsage writes the usage text and every flag.
func (fs *flags) printUsage(w io.Writer) {
	fmt.Fprintln(w, fs.usage)
	fmt.Fprintln(w, "\nflags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// parse reads a command's flags. It returns ok when the command should
// run; otherwise the exit code: 0 for -h (the usage goes to stdout), 2
// for a bad flag or value (the flag package, or the Value types of
// flags.go, name the flag, the value and what is allowed) and for an
// argument that is no flag, since no command takes one. valid (nil for
// none) checks what one flag cannot: a required flag, say.
func (fs *flags) parse(args []string, valid func() error) (code int, ok bool) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.printUsage(os.Stdout)
		return 0, false
	}
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q: %s takes only flags", fs.Arg(0), fs.Name())
	} else if err == nil && valid != nil {
		err = valid()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\nrun: go run . %s -h   (its flags)\n", err, fs.Name())
		return 2, false
	}
	return 0, true
}

// load is LoadConfig for a command that exits 1 on a bad config.
func load(flagPath string) (config.Resolved, bool) {
	cfg, err := LoadConfig(flagPath)
	if err != nil {
		PrintErrors(err)
		return config.Resolved{}, false
	}
	return cfg, true
}

// Commands are the commands besides synth, by name; commandList (help.go)
// says what each does.
var Commands = map[string]func(args []string) int{
	"cost":    Cost,
	"diagram": Diagram,
	"doctor":  Doctor,
	"eject":   Eject,
	"explain": Explain,
	// "help" is added by init (help.go): it looks commands up in this map.
}

// Outdir is the folder cdktf synthesizes into: the CLI sets
// CDKTF_OUTDIR (cdktf.json's "output"), else cdktf.out.
func Outdir() string {
	if dir := os.Getenv("CDKTF_OUTDIR"); dir != "" {
		return dir
	}
	return "cdktf.out"
}

// LoadConfig finds the config (or the demo), loads it, and says which, and
// where each stack deploys (config.Summary); on an error it names the file
// with the errors.
func LoadConfig(flagPath string) (config.Resolved, error) {
	src, err := config.Find(flagPath, os.Getenv, ".")
	if err != nil {
		return config.Resolved{}, err
	}
	cfg, err := config.Load(src.Path)
	if err != nil {
		fmt.Fprintln(os.Stderr, src)
		return config.Resolved{}, err
	}
	Note("%s", config.Summary(src, cfg, os.Getenv))
	return cfg, nil
}

// Eject is `eject -out DIR [-config FILE]`.
func Eject(args []string) int {
	fs, configPath := newFlags("eject", "usage: alb-privatelink eject -out DIR [-config FILE] [-allow-missing-state]\n\nWrites each stack as a plain Terraform root module in DIR/STACK (see docs/leaving-cdktf.md).\nRun it in the folder you deploy from: local state paths are carried over from there.")
	out := fs.String("out", "", "folder to write the Terraform root modules to (must not exist, or be empty)")
	allowMissing := fs.Bool("allow-missing-state", false, "write the modules even where the local state files they name do not exist (nothing deployed from here yet)")
	if code, ok := fs.parse(args, func() error {
		if *out == "" {
			return errors.New("-out: required: the folder to write the root modules to, such as -out terraform")
		}
		return nil
	}); !ok {
		return code
	}
	cfg, err := LoadConfig(*configPath)
	if err != nil {
		return failEject(err)
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-signals
		eject.Abort()
		fmt.Fprintf(os.Stderr, "error: interrupted (%v); nothing was written\n", s)
		os.Exit(130)
	}()
	res, err := eject.Run(cfg, Outdir(), *out, eject.Options{AllowMissingState: *allowMissing})
	if err != nil {
		return failEject(err)
	}
	for _, w := range res.Warnings {
		Note("warning: %s", w)
	}
	for _, line := range res.Suppressed {
		Note("%s", line)
	}
	for _, m := range res.Relocated {
		fmt.Fprintln(os.Stderr, "state path: "+m)
	}
	fmt.Fprintf(os.Stderr, "ejected %d stacks to %s, apply in this order: %s\n", len(res.Stacks), res.Dir, strings.Join(res.Stacks, ", "))
	if len(res.Locked) < len(res.Stacks) {
		fmt.Fprintf(os.Stderr, "note: no lock file in %s for %d of them (not deployed from here yet?): terraform init will pick the newest hashicorp/aws %s\n", Outdir(), len(res.Stacks)-len(res.Locked), stacks.AWSProviderVersion)
	}
	fmt.Fprintf(os.Stderr, "next: cd %s && terraform init && terraform plan   (expect: No changes.)\n", filepath.Join(res.Dir, res.Stacks[0]))
	return 0
}

// Doctor is `doctor [-json] [-config FILE]`: it reads the deployed
// stacks' outputs and checks each link with the AWS API (package doctor).
func Doctor(args []string) int {
	fs, configPath := newFlags("doctor", "usage: alb-privatelink doctor [-json] [-config FILE]\n\nChecks the deployed stacks link by link with your AWS credentials (the profiles and roles of the config) and says how to fix each problem. Exit 1 on a problem.")
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := fs.parse(args, nil); !ok {
		return code
	}
	cfg, ok := load(*configPath)
	if !ok {
		return 1
	}
	ctx := context.Background()
	var early []doctor.Result
	var ports []int
	for _, l := range cfg.Listeners() {
		ports = append(ports, l.Port)
	}
	// stack reads a stack's outputs and, only then, makes its clients
	// (which fetch credentials); a failure is one early result.
	stack := func(name string, a config.AWS) (map[string]string, *doctor.Clients, bool) {
		outs, err := doctor.Outputs(cfg, ".", Outdir(), name)
		if err != nil {
			early = append(early, doctor.Result{Stack: name, Check: "the stack's outputs can be read", Detail: err.Error(),
				Fix: "run the doctor in the folder you deploy from, after deploying the stack (npx cdktf deploy " + name + ")"})
			return nil, nil, false
		}
		clients, err := doctor.NewClients(ctx, a)
		if err != nil {
			early = append(early, doctor.Result{Stack: name, Check: "AWS credentials", Detail: err.Error(),
				Fix: "use the credentials you deploy with: the stack's aws.profile or aws.assumeRole in the config, else AWS_PROFILE or the environment's"})
			return nil, nil, false
		}
		return outs, clients, true
	}
	var provider *doctor.Provider
	if cfg.ProviderEnabled() {
		if outs, clients, ok := stack("provider", cfg.Provider.AWS); ok {
			provider = &doctor.Provider{Stack: "provider", ServiceID: outs["service_id"], Ports: ports, EC2: clients.EC2, ELB: clients.ELB}
		}
	}
	var consumers []doctor.Consumer
	for i, k := range cfg.Consumers {
		name := cfg.StackName(i)
		outs, clients, ok := stack(name, k.AWS)
		if !ok {
			continue
		}
		consumers = append(consumers, doctor.Consumer{
			Stack: name, Region: k.AWS.Region, EndpointID: outs["endpoint_id"], Ports: cfg.ClientPorts(i),
			CustomDomain: k.CustomDomain, ProbeFunction: outs["probe_function_name"],
			EC2: clients.EC2, Route53: clients.Route53, Lambda: clients.Lambda,
		})
	}
	report := doctor.Run(ctx, provider, consumers)
	report.Results = append(early, report.Results...)
	if *asJSON {
		out, _ := json.MarshalIndent(map[string]any{"problems": report.Problems(), "results": report.Results}, "", "  ")
		fmt.Println(string(out))
	} else {
		for _, r := range report.Results {
			fmt.Println(r.String())
		}
		fmt.Printf("%d checks, %d problems\n", len(report.Results), report.Problems())
	}
	if report.Problems() > 0 {
		return 1
	}
	return 0
}

// Diagram is `diagram [-format mermaid|dot] [-config FILE]`: it
// synthesizes (with every check) into a temporary folder and draws that.
func Diagram(args []string) int {
	fs, configPath := newFlags("diagram", "usage: alb-privatelink diagram [-format mermaid|dot] [-config FILE]\n\nDraws what a synth of the configuration deploys: Mermaid for Markdown, or DOT for Graphviz (dot -Tsvg).")
	format := &choice{value: "mermaid", allowed: []string{"mermaid", "dot"}}
	fs.Var(format, "format", "mermaid or dot")
	if code, ok := fs.parse(args, nil); !ok {
		return code
	}
	cfg, ok := load(*configPath)
	if !ok {
		return 1
	}
	dir, err := os.MkdirTemp("", "alb-privatelink-diagram-")
	if err != nil {
		PrintErrors(err)
		return 1
	}
	defer os.RemoveAll(dir)
	if _, err := synth.Run(cfg, dir); err != nil {
		PrintErrors(err)
		return 1
	}
	g, err := diagram.FromOutdir(dir)
	if err != nil {
		PrintErrors(err)
		return 1
	}
	if format.value == "dot" {
		fmt.Print(g.DOT())
	} else {
		fmt.Print(g.Mermaid())
	}
	return 0
}

// Cost is `cost [-gb N] [-requests N] [-json] [-config FILE]`.
func Cost(args []string) int {
	fs, configPath := newFlags("cost", "usage: alb-privatelink cost [-gb 100] [-requests N] [-json] [-config FILE]\n\nThe monthly cost of the configured design for a traffic figure, beside VPC Lattice and Transit Gateway (list prices, cost/prices.go).")
	gb, requests := amount(100), amount(0)
	fs.Var(&gb, "gb", "GB a month through all endpoints, both directions")
	fs.Var(&requests, "requests", "requests a month (VPC Lattice charges per request)")
	asJSON := fs.Bool("json", false, "print JSON")
	if code, ok := fs.parse(args, nil); !ok {
		return code
	}
	cfg, ok := load(*configPath)
	if !ok {
		return 1
	}
	e := cost.Of(cfg, cost.Traffic{GBPerMonth: float64(gb), RequestsPerMonth: float64(requests)})
	if *asJSON {
		out, _ := json.MarshalIndent(e, "", "  ")
		fmt.Println(string(out))
		return 0
	}
	fmt.Printf("Monthly cost for %.0f GB/month (list prices, %s, %s):\n\n", e.GBPerMonth, e.PricesRegion, e.PricesAsOf)
	for _, it := range e.Items {
		fmt.Printf("  %-40s %9.2f  %s\n", it.Name, it.Monthly, it.Detail)
	}
	fmt.Printf("  %-40s %9.2f\n\nThe same traffic another way:\n\n", "total (USD)", e.Total)
	for _, it := range e.Alternatives {
		fmt.Printf("  %-40s %9.2f  %s\n", it.Name, it.Monthly, it.Detail)
	}
	fmt.Println()
	for _, n := range e.Notes {
		fmt.Println("note: " + n)
	}
	return 0
}

func failEject(err error) int {
	PrintErrors(err)
	fmt.Fprintln(os.Stderr, "error: nothing was written")
	return 1
}

// PrintErrors prints each problem on its own line (the first
// maxErrorLines), prefixed so it stands out in cdktf's output.
func PrintErrors(err error) {
	lines := strings.Split(err.Error(), "\n")
	for i, line := range lines {
		if i == maxErrorLines {
			fmt.Fprintf(os.Stderr, "error: ... and %d more problems\n", len(lines)-i)
			break
		}
		fmt.Fprintln(os.Stderr, "error: "+line)
	}
}

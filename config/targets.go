package config

import (
	"fmt"
	"strings"
)

// Target is where one stack deploys: its region, and the account its
// provider block pins (allowed_account_ids), "" when unchecked.
type Target struct {
	Stack     string
	Region    string
	AccountID string
}

func (t Target) String() string {
	account := "account unchecked"
	if t.AccountID != "" {
		account = "account " + t.AccountID
	}
	return fmt.Sprintf("%s in %s (%s)", t.Stack, t.Region, account)
}

// Targets lists where each stack of StackNames deploys, in that order:
// an accept stack deploys with the provider's settings.
func (c Config) Targets() []Target {
	var out []Target
	if c.ProviderEnabled() {
		out = append(out, Target{"provider", c.Provider.AWS.Region, c.Provider.AWS.AccountID})
	}
	for i, k := range c.Consumers {
		out = append(out, Target{c.StackName(i), k.AWS.Region, k.AWS.AccountID})
	}
	for i := range c.Consumers {
		if c.NeedsAccepter(i) {
			out = append(out, Target{"accept-" + c.StackName(i), c.Provider.AWS.Region, c.Provider.AWS.AccountID})
		}
	}
	return out
}

// Summary is the first line a synth prints: what each stack deploys to,
// which config said so, and whether the shell's AWS_REGION or
// AWS_DEFAULT_REGION (from getenv) names a region the stacks ignore: every
// stack's region is fixed by the config (or the demo), so that already
// deployed stacks never move with the shell.
func Summary(src Source, cfg Resolved, getenv func(string) string) string {
	targets := cfg.Targets()
	parts := make([]string, len(targets))
	regions := map[string]bool{}
	for i, t := range targets {
		parts[i] = t.String()
		regions[t.Region] = true
	}
	line := "stacks: " + strings.Join(parts, ", ") + "; " + src.String()
	for _, env := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		r := getenv(env)
		if r == "" || regions[r] {
			continue
		}
		if src.Path == "" {
			line += fmt.Sprintf("; %s=%s is ignored: the demo always deploys to %s; to choose a region, set provider.aws.region in a config file (cp config.example.yaml %s)", env, r, DefaultRegion, DefaultFile)
		} else {
			line += fmt.Sprintf("; %s=%s is ignored: each stack's region comes from the config (provider.aws.region, consumers[].aws.region)", env, r)
		}
		break
	}
	return line
}

// Package config owns the app's input: the types of the config file, their
// defaults, the loader with its line-numbered errors, and every check. One
// file per section: aws.go (accounts, regions, credentials), provider.go,
// consumers.go, state.go, flowlogs.go, network.go (demo VPCs), policy.go;
// defaults.go fills in defaults and the settings derived from the
// consumers; load.go reads YAML or JSON.
//
// Rules about the constructs' own props are not written here: the config
// builds those props (Config.ServiceProps, Config.EndpointProps) and runs
// the constructs' Check methods, naming each field by its YAML path.
//
// The only way in is Resolve (or Load and Parse, which call it): it applies
// the defaults, checks everything once and returns a Resolved that the
// stacks take as it is. Find says which file to load.
//
// Optional booleans follow the constructs' style: a plain bool when the
// default is false, a *bool when the default is true or derived from other
// settings (nil means the default).
package config

import (
	"errors"
	"fmt"
	"strings"
)

// Env names the environment variable that points at a config file.
const Env = "ALB_PRIVATELINK_CONFIG"

// Config configures the whole app. Its zero value is the demo: one provider
// stack with a demo ALB and one consumer stack, local state.
type Config struct {
	// State is where Terraform keeps each stack's state. Default: local files.
	State State `yaml:"state"`
	// Provider is the ALB side. Default: the demo in ap-northeast-1.
	Provider Provider `yaml:"provider"`
	// Consumers each get a stack named after the consumer: "consumer-NAME",
	// or "consumer" for the one consumer without a name. An empty list means
	// no consumer in this app (the provider alone). Default (no key): one
	// demo consumer.
	Consumers []Consumer `yaml:"consumers"`
	// Policy configures the synth-time policy checks. Default: every rule on.
	Policy Policy `yaml:"policy"`
}

// Resolved is a Config with every default applied, the settings derived
// from the consumers filled in, and every rule checked. Only Resolve (and
// Load and Parse) make one; the stacks take nothing else.
type Resolved struct {
	Config
	resolved bool
}

// IsResolved tells whether r came from Resolve; the zero Resolved did not.
func (r Resolved) IsResolved() bool { return r.resolved }

// Resolve applies the defaults to c, checks it as a whole and returns every
// problem at once as Errors, each naming its setting by YAML path and
// saying the fix; or the resolved configuration.
func Resolve(c Config) (Resolved, error) {
	c = c.withDefaults()
	if errs := c.check(); len(errs) > 0 {
		return Resolved{}, errs
	}
	c.derive()
	return Resolved{Config: c, resolved: true}, nil
}

// FieldError is one configuration problem. Path uses the file's keys
// ("consumers[1].existingVpc.subnetIds[0]"); Line is filled in by the
// loader when the problem's key is in the file.
type FieldError struct {
	Path string
	Line int
	Msg  string // starts with the path
}

func (e FieldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// Errors are all the problems of one config, reported together.
type Errors []FieldError

func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, fe := range e {
		lines[i] = fe.Error()
	}
	return strings.Join(lines, "\n")
}

// IsError tells whether err is a configuration problem (as opposed to a
// policy finding or a failure inside cdktf).
func IsError(err error) bool {
	var ce Errors
	return errors.As(err, &ce)
}

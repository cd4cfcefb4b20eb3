// Package stacks composes the privatelink constructs into the stacks the app
// deploys, from a resolved configuration (package config): "provider" (the
// ALB side), one stack per consumer ("consumer", "consumer-NAME") and, for
// consumers in another account or region, "accept-..." stacks that accept
// their connections with the provider's credentials.
package stacks

import (
	"errors"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
)

// App is the built app.
type App struct {
	// Provider is nil when provider.enabled is false.
	Provider *ProviderStack
	// Consumers in config order: "consumer", "consumer-NAME", ...
	Consumers []*ConsumerStack
	// Accepters accept cross-account consumers' connections ("accept-...").
	Accepters []cdktf.TerraformStack
}

// StackNames lists every stack in deploy order.
func (a *App) StackNames() []string {
	var out []string
	if a.Provider != nil {
		out = append(out, *a.Provider.Stack.Node().Id())
	}
	for _, c := range a.Consumers {
		out = append(out, *c.Stack.Node().Id())
	}
	for _, s := range a.Accepters {
		out = append(out, *s.Node().Id())
	}
	return out
}

// ErrUnresolved refuses a configuration that did not come from config.Resolve.
var ErrUnresolved = errors.New("stacks: the configuration was not resolved; pass the result of config.Resolve, config.Load or config.Parse")

// Build builds the stacks of cfg in app: "provider", one per consumer,
// and "accept-..." for consumers that cannot accept their own connection.
func Build(app constructs.Construct, cfg config.Resolved) (*App, error) {
	if !cfg.IsResolved() {
		return nil, ErrUnresolved
	}
	out := &App{}
	var service *privatelink.ProviderEndpointService
	if cfg.ProviderEnabled() {
		ps, err := NewProviderStack(app, cfg)
		if err != nil {
			return nil, err
		}
		out.Provider, service = ps, ps.Service
	}
	for i := range cfg.Consumers {
		cs, err := NewConsumerStack(app, cfg, i, service)
		if err != nil {
			return nil, err
		}
		out.Consumers = append(out.Consumers, cs)
		if cfg.NeedsAccepter(i) {
			accepter, err := NewAccepterStack(app, "accept-"+cfg.StackName(i), cfg, service, cs.Endpoint)
			if err != nil {
				return nil, err
			}
			out.Accepters = append(out.Accepters, accepter)
		}
	}
	return out, nil
}

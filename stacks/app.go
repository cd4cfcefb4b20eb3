package stacks

import (
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

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

// Build applies defaults, validates cfg (every problem at once, before any
// stack exists) and builds the stacks in app: "provider", one per
// consumer, and "accept-..." for cross-account consumers. Every consumer's
// account is allowed on the service, and every consumer region that is not
// the provider's becomes a supported region.
func Build(app constructs.Construct, cfg AppConfig) (*App, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	out := &App{}
	var service *privatelink.ProviderEndpointService
	p := cfg.Provider
	if cfg.ProviderEnabled() {
		p.AllowedPrincipals = slices.Clone(p.AllowedPrincipals)
		p.SupportedRegions = slices.Clone(p.SupportedRegions)
		for _, k := range cfg.Consumers {
			if k.ServiceName != "" {
				continue
			}
			if !cfg.sameAccount(k) {
				p.AllowedPrincipals = append(p.AllowedPrincipals, k.AWS.AccountID)
			}
			if k.AWS.Region != p.AWS.Region && !slices.Contains(p.SupportedRegions, k.AWS.Region) {
				p.SupportedRegions = append(p.SupportedRegions, k.AWS.Region)
			}
		}
		ps, err := NewProviderStack(app, "provider", p, cfg.State)
		if err != nil {
			return nil, err
		}
		out.Provider, service = ps, ps.Service
	}
	for i, k := range cfg.Consumers {
		name := cfg.StackName(i)
		var svc privatelink.EndpointService
		serviceRegion := ""
		if service != nil {
			svc = service
			if k.AWS.Region != p.AWS.Region {
				serviceRegion = p.AWS.Region
			}
		}
		cs, err := NewConsumerStack(app, name, k, svc, serviceRegion, cfg.State)
		if err != nil {
			return nil, err
		}
		out.Consumers = append(out.Consumers, cs)
		if cfg.needsAccepter(k) {
			out.Accepters = append(out.Accepters, NewAccepterStack(app, "accept-"+name, p.AWS, service, cs.Endpoint, cfg.State))
		}
	}
	return out, nil
}

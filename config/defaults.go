package config

import (
	"maps"
	"slices"
)

// withDefaults returns a copy with every unset field at its documented
// default. It never fails: check reports what defaults cannot fix.
func (c Config) withDefaults() Config {
	p := &c.Provider
	if p.AWS.Region == "" {
		p.AWS.Region = DefaultRegion
	}
	p.AWS.AccountID = accountOf(p.AWS)
	if len(p.AZIDs) == 0 {
		p.AZIDs = slices.Clone(defaultAZIDs[p.AWS.Region])
	}
	if p.VPCCIDR == "" && p.ExistingALB == nil {
		p.VPCCIDR = "10.10.0.0/16"
	}
	if p.AcceptanceRequired == nil {
		p.AcceptanceRequired = ptr(true)
	}
	if p.FlowLogs.RetentionDays == 0 && p.ExistingALB == nil {
		p.FlowLogs.RetentionDays = 90
	}
	if p.NLB.DeletionProtection == nil {
		p.NLB.DeletionProtection = ptr(p.Production)
	}
	switch c.State.Backend {
	case "":
		c.State.Backend = "local"
	case "s3":
		if c.State.S3.KeyPrefix == "" {
			c.State.S3.KeyPrefix = "alb-privatelink"
		}
		if c.State.S3.Region == "" {
			c.State.S3.Region = p.AWS.Region
		}
		if c.State.S3.Encrypt == nil {
			c.State.S3.Encrypt = ptr(true)
		}
	case "cloud":
		if c.State.Cloud.Hostname == "" {
			c.State.Cloud.Hostname = "app.terraform.io"
		}
		if c.State.Cloud.WorkspacePrefix == "" {
			c.State.Cloud.WorkspacePrefix = "alb-privatelink-"
		}
	}

	if c.Consumers == nil {
		c.Consumers = []Consumer{{}}
	} else {
		c.Consumers = slices.Clone(c.Consumers)
	}
	for i := range c.Consumers {
		k := &c.Consumers[i]
		if k.AWS.Region == "" {
			k.AWS.Region = p.AWS.Region
		}
		k.AWS.AccountID = accountOf(k.AWS)
		// Tags set once on the provider apply to every stack; a consumer's
		// own win.
		if len(p.AWS.DefaultTags) > 0 {
			tags := maps.Clone(p.AWS.DefaultTags)
			maps.Copy(tags, k.AWS.DefaultTags)
			k.AWS.DefaultTags = tags
		}
		if len(k.AZIDs) == 0 && k.ExistingVPC == nil {
			if k.AWS.Region == p.AWS.Region && c.ProviderEnabled() {
				k.AZIDs = slices.Clone(p.AZIDs)
			} else {
				k.AZIDs = slices.Clone(defaultAZIDs[k.AWS.Region])
			}
		}
		if k.VPCCIDR == "" && k.ExistingVPC == nil {
			k.VPCCIDR = "10.20.0.0/16"
		}
		if k.FlowLogs.RetentionDays == 0 && k.ExistingVPC == nil {
			k.FlowLogs.RetentionDays = 90
		}
		if k.AutoAccept == nil {
			k.AutoAccept = ptr(c.ProviderEnabled() && k.ServiceName == "" && c.sameAccount(*k) && k.AWS.Region == p.AWS.Region)
		}
	}
	return c
}

// derive fills in what the provider needs to know of its consumers in
// this app, on a checked config: every consumer account that is not the
// provider's is allowed to connect, and every consumer region that is not
// the provider's becomes a supported region (cross-region PrivateLink).
func (c *Config) derive() {
	if !c.ProviderEnabled() {
		return
	}
	p := &c.Provider
	p.AllowedPrincipals = slices.Clone(p.AllowedPrincipals)
	p.SupportedRegions = slices.Clone(p.SupportedRegions)
	for _, k := range c.Consumers {
		if k.ServiceName != "" {
			continue
		}
		if !c.sameAccount(k) && !slices.Contains(p.AllowedPrincipals, k.AWS.AccountID) {
			p.AllowedPrincipals = append(p.AllowedPrincipals, k.AWS.AccountID)
		}
		if k.AWS.Region != p.AWS.Region && !slices.Contains(p.SupportedRegions, k.AWS.Region) {
			p.SupportedRegions = append(p.SupportedRegions, k.AWS.Region)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// boolOr is *b, or def when b is unset.
func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

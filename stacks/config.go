// Package stacks composes the privatelink constructs into the stacks the app
// deploys: "provider" (the ALB side), one stack per consumer ("consumer",
// "consumer-NAME") and, for cross-account consumers, "accept-..." stacks
// that accept their connections with the provider's credentials.
package stacks

import (
	"slices"

	"github.com/alb-privatelink/alb-privatelink/constructs/policy"
	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
)

// DefaultRegion is where the zero-config demo deploys (the seed article's region).
const DefaultRegion = "ap-northeast-1"

// defaultAZIDs are Availability Zone IDs per region. AZ IDs, unlike names
// such as ap-northeast-1a, mean the same zone in every account, so provider
// and consumers land in the same zones. apne1-az2 is closed to new accounts.
var defaultAZIDs = map[string][]string{
	"ap-northeast-1": {"apne1-az1", "apne1-az4"},
	"us-east-1":      {"use1-az1", "use1-az2"},
	"us-west-2":      {"usw2-az1", "usw2-az2"},
	"eu-west-1":      {"euw1-az1", "euw1-az2"},
	"eu-central-1":   {"euc1-az1", "euc1-az2"},
}

// AppConfig configures the whole app. Its zero value is the demo: one
// provider stack with a demo ALB and one consumer stack, local state.
type AppConfig struct {
	// State is where Terraform keeps each stack's state. Default: local files.
	State StateConfig `yaml:"state"`
	// Provider is the ALB side. Default: the demo in ap-northeast-1.
	Provider ProviderConfig `yaml:"provider"`
	// Consumers each get a stack: the first is named "consumer", the others
	// "consumer-NAME". Default: one demo consumer.
	Consumers []ConsumerConfig `yaml:"consumers"`
	// Policy configures the synth-time policy checks. Default: every rule on.
	Policy PolicyConfig `yaml:"policy"`
}

// PolicyConfig configures the policy rules (constructs/policy).
type PolicyConfig struct {
	// Suppressions exempt one construct path from one rule, with a reason.
	// Default: none.
	Suppressions []policy.Suppression `yaml:"suppressions"`
}

// StateConfig selects the Terraform backend for every stack.
type StateConfig struct {
	// Backend is "local", "s3" or "cloud". Default: local.
	Backend string `yaml:"backend"`
	// S3 configures backend "s3".
	S3 S3State `yaml:"s3"`
	// Cloud configures backend "cloud" (HCP Terraform / Terraform Enterprise).
	Cloud CloudState `yaml:"cloud"`
}

// S3State keeps each stack's state at KEYPREFIX/STACK.tfstate in one bucket.
type S3State struct {
	// Bucket holds the state files. Required.
	Bucket string `yaml:"bucket"`
	// KeyPrefix comes before each stack's key. Default: alb-privatelink.
	KeyPrefix string `yaml:"keyPrefix"`
	// Region of the bucket. Default: the provider's region.
	Region string `yaml:"region"`
	// Encrypt turns on server-side encryption of the state. Default: true.
	Encrypt *bool `yaml:"encrypt"`
	// KMSKeyID encrypts the state with this KMS key. Default: S3-managed keys.
	KMSKeyID string `yaml:"kmsKeyId"`
	// DynamoDBTable locks the state while Terraform runs (deprecated by
	// Terraform 1.11 in favour of UseLockfile). Default: none.
	DynamoDBTable string `yaml:"dynamodbTable"`
	// UseLockfile locks the state with a lock file beside it in the bucket
	// (S3 native locking, Terraform 1.10 or newer). Default: false; set it
	// or DynamoDBTable whenever more than one person or pipeline deploys.
	UseLockfile bool `yaml:"useLockfile"`
	// Profile reads and writes the state (and cross-stack outputs) with this
	// AWS profile, whatever account each stack deploys to. Default: the
	// environment's credentials.
	Profile string `yaml:"profile"`
	// RoleARN is assumed to reach the bucket. Default: none.
	RoleARN string `yaml:"roleArn"`
}

// CloudState keeps each stack's state in its own HCP Terraform workspace.
type CloudState struct {
	// Organization on HCP Terraform. Required.
	Organization string `yaml:"organization"`
	// Hostname of HCP Terraform or Terraform Enterprise. Default: app.terraform.io.
	Hostname string `yaml:"hostname"`
	// WorkspacePrefix comes before each stack's name. Default: alb-privatelink-.
	WorkspacePrefix string `yaml:"workspacePrefix"`
	// Project groups the workspaces. Default: the organization's default project.
	Project string `yaml:"project"`
}

// AWSConfig configures a stack's AWS provider.
type AWSConfig struct {
	// Region to deploy to. Default: ap-northeast-1 for the provider; the
	// provider's region for consumers.
	Region string `yaml:"region"`
	// Profile from the shared AWS config. Default: the environment's credentials.
	Profile string `yaml:"profile"`
	// AccountID the stack must deploy to: Terraform refuses any other
	// (allowed_account_ids). It also lets the provider allow and accept the
	// consumer. Default: the account of AssumeRole.RoleARN, else unchecked.
	AccountID string `yaml:"accountId"`
	// AssumeRole is a role Terraform assumes for this stack. Default: none.
	AssumeRole *AssumeRole `yaml:"assumeRole"`
	// DefaultTags go on every resource of the stack, besides Project,
	// ManagedBy and Stack. Default: none.
	DefaultTags map[string]string `yaml:"defaultTags"`
}

// AssumeRole is an IAM role for Terraform to assume.
type AssumeRole struct {
	// RoleARN such as arn:aws:iam::111122223333:role/Deployer. Required.
	RoleARN string `yaml:"roleArn"`
	// ExternalID the role's trust policy demands. Default: none.
	ExternalID string `yaml:"externalId"`
	// SessionName shows in CloudTrail. Default: alb-privatelink-STACK.
	SessionName string `yaml:"sessionName"`
}

// ProviderConfig configures the "provider" stack.
type ProviderConfig struct {
	// Enabled puts the provider stack in this app. Set false when the
	// service is deployed elsewhere; every consumer then needs serviceName.
	// Default: true.
	Enabled *bool `yaml:"enabled"`
	// AWS provider settings. Default region: ap-northeast-1.
	AWS AWSConfig `yaml:"aws"`
	// AZIDs place the demo subnets, at least two. With ExistingALB, list the
	// zones of its NLB subnets: consumers default to them.
	// Default: two per region for common regions (see README); else required.
	AZIDs []string `yaml:"azIds"`
	// VPCCIDR is the demo VPC's block, /16 to /24. Default: 10.10.0.0/16.
	VPCCIDR string `yaml:"vpcCidr"`
	// SubnetCIDRs place the demo subnets, one per AZ ID.
	// Default: /20s (for a /16) carved from the VPC block.
	SubnetCIDRs SubnetCIDRs `yaml:"subnetCidrs"`
	// CertificateARN is an ACM certificate for the demo ALB: HTTPS on 443
	// with a TLS 1.3 policy. Default: none, plain HTTP on 80 (synth warns).
	CertificateARN string `yaml:"certificateArn"`
	// ALBDeletionProtection protects the demo ALB. Default: false.
	ALBDeletionProtection bool `yaml:"albDeletionProtection"`
	// FlowLogs of the demo VPC. Default: on, 90 days in CloudWatch Logs.
	FlowLogs FlowLogsConfig `yaml:"flowLogs"`
	// ExistingALB publishes an ALB that already exists instead of the demo.
	// Default: nil (demo mode).
	ExistingALB *ExistingALB `yaml:"existingAlb"`
	// AcceptanceRequired makes the provider accept each connection.
	// Default: true.
	AcceptanceRequired *bool `yaml:"acceptanceRequired"`
	// AllowedPrincipals are account IDs or IAM ARNs allowed to connect, in
	// addition to the provider's own account and every consumer's account.
	// Default: none.
	AllowedPrincipals []string `yaml:"allowedPrincipals"`
	// SupportedRegions lets consumers in other regions connect. Consumers of
	// this app in another region are added automatically. Default: none.
	SupportedRegions []string `yaml:"supportedRegions"`
	// Production marks the provider stack as production: the NLB gets
	// deletion protection and the endpoint service prevent_destroy unless
	// set otherwise, and policy rule PL005 fails the synth without them.
	// Default: false.
	Production bool `yaml:"production"`
	// NLB options.
	NLB NLBConfig `yaml:"nlb"`
	// HealthCheck tunes the NLB's checks of the ALB. Default: the
	// listener's protocol on "/", healthy on 200-399.
	HealthCheck privatelink.HealthCheck `yaml:"healthCheck"`
}

// NLBConfig tunes the PrivateLink NLB.
type NLBConfig struct {
	// Name of the NLB. Default: generated by Terraform.
	Name string `yaml:"name"`
	// DeletionProtection protects the NLB. Default: true in production, else false.
	DeletionProtection *bool `yaml:"deletionProtection"`
	// CrossZoneLoadBalancing. Default: true.
	CrossZoneLoadBalancing *bool `yaml:"crossZoneLoadBalancing"`
}

// SubnetCIDRs are explicit demo subnet blocks, one per AZ ID, in order.
type SubnetCIDRs struct {
	// Public subnets (provider only: the demo ALB). Default: carved.
	Public []string `yaml:"public"`
	// Private subnets (the NLB, the endpoint). Default: carved.
	Private []string `yaml:"private"`
}

// ExistingALB describes an ALB deployed elsewhere (another tool or team).
type ExistingALB struct {
	// ARN of the Application Load Balancer. Required.
	ARN string `yaml:"arn"`
	// Listeners of the ALB to publish: port and protocol. Required.
	Listeners []Listener `yaml:"listeners"`
	// VPCID is the ALB's VPC; the NLB is created there. Required.
	VPCID string `yaml:"vpcId"`
	// SubnetIDs are two or more private subnets of that VPC for the NLB. Required.
	SubnetIDs []string `yaml:"subnetIds"`
	// SecurityGroupID is the ALB's security group, opened to the NLB on the
	// listener ports. Default: none; the ALB's group must already admit the
	// NLB subnets.
	SecurityGroupID string `yaml:"securityGroupId"`
}

// Listener is an existing ALB listener to publish. Both fields are required.
type Listener struct {
	// Port the ALB listener listens on (1-65535).
	Port int `yaml:"port"`
	// Protocol of the ALB listener: HTTPS or HTTP.
	Protocol string `yaml:"protocol"`
}

// ConsumerConfig configures one consumer stack.
type ConsumerConfig struct {
	// Name of the consumer: lower-case letters, digits and hyphens. The
	// first consumer's stack is "consumer", the others' "consumer-NAME".
	// Default: "default" for the first; required for the others.
	Name string `yaml:"name"`
	// AWS provider settings. Default: the provider's region; the
	// environment's credentials.
	AWS AWSConfig `yaml:"aws"`
	// ServiceName connects to a service not in this app
	// (com.amazonaws.vpce.REGION.vpce-svc-ID). Default: the provider
	// stack's service, by cross-stack reference.
	ServiceName string `yaml:"serviceName"`
	// ServiceRegion is the region of a service not in this app when it
	// differs from the consumer's. Default: the provider's region when the
	// provider is in this app, else the consumer's.
	ServiceRegion string `yaml:"serviceRegion"`
	// AZIDs place the demo subnets; each must be a zone the service
	// offers. Default: the provider's AZ IDs in the same region, else the
	// region's defaults.
	AZIDs []string `yaml:"azIds"`
	// VPCCIDR is the demo consumer VPC's block, /16 to /24. It may overlap
	// the provider's. Default: 10.20.0.0/16.
	VPCCIDR string `yaml:"vpcCidr"`
	// SubnetCIDRs place the demo subnets (Private only). Default: carved.
	SubnetCIDRs SubnetCIDRs `yaml:"subnetCidrs"`
	// FlowLogs of the demo VPC. Default: on, 90 days in CloudWatch Logs.
	FlowLogs FlowLogsConfig `yaml:"flowLogs"`
	// ExistingVPC adopts a VPC instead of creating the demo one.
	// Default: nil, a demo VPC from VPCCIDR and AZIDs.
	ExistingVPC *ExistingVPC `yaml:"existingVpc"`
	// ClientCIDRs may reach the endpoint. Default: the consumer VPC's CIDR.
	ClientCIDRs []string `yaml:"clientCidrs"`
	// Ports clients use. Default: the provider's listener ports (443 with
	// serviceName).
	Ports []int `yaml:"ports"`
	// CustomDomain is the ALB certificate's name, resolved to the endpoint
	// inside the consumer VPC by a private hosted zone. Default: none.
	CustomDomain string `yaml:"customDomain"`
	// PrivateDNSEnabled uses the provider's verified private DNS name.
	// Default: false.
	PrivateDNSEnabled bool `yaml:"privateDnsEnabled"`
	// AutoAccept accepts the connection from the consumer side; only works
	// in the provider's account and region. Default: true when the provider
	// is in this app and the consumer is in its account and region; other
	// consumers get an accept-... stack.
	AutoAccept *bool `yaml:"autoAccept"`
}

// ExistingVPC is a consumer VPC created elsewhere.
type ExistingVPC struct {
	// VPCID of the consumer VPC. Required.
	VPCID string `yaml:"vpcId"`
	// SubnetIDs for the endpoint, two or more in zones the service offers. Required.
	SubnetIDs []string `yaml:"subnetIds"`
	// CIDR of the VPC, the default client range. Default: read from the VPC
	// when Terraform plans.
	CIDR string `yaml:"cidr"`
}

// ProviderEnabled tells whether the provider stack is part of this app.
func (c AppConfig) ProviderEnabled() bool {
	return c.Provider.Enabled == nil || *c.Provider.Enabled
}

// StackName is the stack of consumer i: "consumer" for the first,
// "consumer-NAME" for the others.
func (c AppConfig) StackName(i int) string {
	if i == 0 {
		return "consumer"
	}
	return "consumer-" + c.Consumers[i].Name
}

// WithDefaults returns a copy with every unset field at its documented
// default. It never fails: Validate reports what defaults cannot fix.
func (c AppConfig) WithDefaults() AppConfig {
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
	if p.FlowLogs.RetentionDays == 0 {
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

	if len(c.Consumers) == 0 {
		c.Consumers = []ConsumerConfig{{}}
	} else {
		c.Consumers = slices.Clone(c.Consumers)
	}
	for i := range c.Consumers {
		k := &c.Consumers[i]
		if k.Name == "" && i == 0 {
			k.Name = "default"
		}
		if k.AWS.Region == "" {
			k.AWS.Region = p.AWS.Region
		}
		k.AWS.AccountID = accountOf(k.AWS)
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
		if k.FlowLogs.RetentionDays == 0 {
			k.FlowLogs.RetentionDays = 90
		}
		if len(k.Ports) == 0 {
			if k.ServiceName != "" || !c.ProviderEnabled() {
				k.Ports = []int{443}
			} else {
				for _, l := range c.listeners() {
					k.Ports = append(k.Ports, l.Port)
				}
			}
		}
		if k.AutoAccept == nil {
			k.AutoAccept = ptr(c.ProviderEnabled() && k.ServiceName == "" && c.sameAccount(*k) && k.AWS.Region == p.AWS.Region)
		}
	}
	return c
}

// sameAccount tells whether a consumer deploys to the provider's account,
// as far as the config says: an unset account ID means the same one.
func (c AppConfig) sameAccount(k ConsumerConfig) bool {
	return k.AWS.AccountID == "" || k.AWS.AccountID == c.Provider.AWS.AccountID
}

// needsAccepter tells whether consumer k's connection is accepted by an
// "accept-" stack: the provider is in this app and requires acceptance,
// and k does not accept itself (auto_accept only works in the service's
// account and region: the provider looks the service up in the
// endpoint's region).
func (c AppConfig) needsAccepter(k ConsumerConfig) bool {
	return c.ProviderEnabled() && k.ServiceName == "" && boolOr(c.Provider.AcceptanceRequired, true) && !boolOr(k.AutoAccept, false)
}

// listeners are the ALB listeners the provider publishes.
func (c AppConfig) listeners() []Listener {
	if c.Provider.ExistingALB != nil {
		return c.Provider.ExistingALB.Listeners
	}
	if c.Provider.CertificateARN != "" {
		return []Listener{{Port: 443, Protocol: "HTTPS"}}
	}
	return []Listener{{Port: 80, Protocol: "HTTP"}}
}

// accountOf is the configured account ID, else the account in the
// assume-role ARN, else "".
func accountOf(a AWSConfig) string {
	if a.AccountID != "" {
		return a.AccountID
	}
	if a.AssumeRole != nil {
		if m := roleARNRe.FindStringSubmatch(a.AssumeRole.RoleARN); m != nil {
			return m[2]
		}
	}
	return ""
}

func ptr[T any](v T) *T { return &v }

// boolOr is *b, or def when b is unset.
func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

package stacks

import (
	"maps"
	"path"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/config"
)

// newAWSProvider configures a stack's AWS provider: region, credentials,
// the one account it may touch, and default tags on every resource.
func newAWSProvider(stack cdktf.TerraformStack, stackName string, a config.AWS) {
	tags := map[string]*string{
		"Project":   jsii.String("alb-privatelink"),
		"ManagedBy": jsii.String("cdktf"),
		"Stack":     jsii.String(stackName),
	}
	for _, k := range slices.Sorted(maps.Keys(a.DefaultTags)) {
		tags[k] = jsii.String(a.DefaultTags[k])
	}
	cfg := &provider.AwsProviderConfig{
		Region:      jsii.String(a.Region),
		DefaultTags: &[]*provider.AwsProviderDefaultTags{{Tags: &tags}},
	}
	if a.Profile != "" {
		cfg.Profile = jsii.String(a.Profile)
	}
	if a.AccountID != "" {
		// Terraform refuses to touch any other account: a wrong profile
		// fails at plan instead of deploying into the wrong place.
		cfg.AllowedAccountIds = jsii.Strings(a.AccountID)
	}
	if r := a.AssumeRole; r != nil {
		role := &provider.AwsProviderAssumeRole{
			RoleArn:     jsii.String(r.RoleARN),
			SessionName: jsii.String(sessionName(r.SessionName, stackName)),
		}
		if r.ExternalID != "" {
			role.ExternalId = jsii.String(r.ExternalID)
		}
		cfg.AssumeRole = &[]*provider.AwsProviderAssumeRole{role}
	}
	provider.NewAwsProvider(stack, jsii.String("aws"), cfg)
}

// newBackend puts the stack's state where config.State says. Local state
// goes in the project folder, at a path relative to the stack's folder
// (cdktf.out/stacks/STACK, where Terraform runs), so that nothing of the
// synthesizing machine is baked into the JSON and a copied project keeps
// its own state. cdktf derives cross-stack remote-state reads from these
// backends.
func newBackend(stack cdktf.TerraformStack, stackName string, s config.State) {
	switch s.Backend {
	case "local":
		cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{
			Path: jsii.String(path.Join(projectFromStack(stack), "terraform."+stackName+".tfstate")),
		})
	case "s3":
		b := s.S3
		cfg := &cdktf.S3BackendConfig{
			Bucket:  jsii.String(b.Bucket),
			Key:     jsii.String(b.KeyPrefix + "/" + stackName + ".tfstate"),
			Region:  jsii.String(b.Region),
			Encrypt: b.Encrypt,
		}
		if b.KMSKeyID != "" {
			cfg.KmsKeyId = jsii.String(b.KMSKeyID)
		}
		if b.DynamoDBTable != "" {
			cfg.DynamodbTable = jsii.String(b.DynamoDBTable)
		}
		if b.Profile != "" {
			cfg.Profile = jsii.String(b.Profile)
		}
		if b.RoleARN != "" {
			cfg.AssumeRole = &cdktf.S3BackendAssumeRoleConfig{RoleArn: jsii.String(b.RoleARN)}
		}
		backend := cdktf.NewS3Backend(stack, cfg)
		if b.UseLockfile {
			// cdktf 0.20 predates the argument; Terraform 1.10+ knows it.
			backend.AddOverride(jsii.String("use_lockfile"), jsii.Bool(true))
		}
	case "cloud":
		c := s.Cloud
		var project *string
		if c.Project != "" {
			project = jsii.String(c.Project)
		}
		cdktf.NewCloudBackend(stack, &cdktf.CloudBackendConfig{
			Organization: jsii.String(c.Organization),
			Hostname:     jsii.String(c.Hostname),
			Workspaces:   cdktf.NewNamedCloudWorkspace(jsii.String(c.WorkspacePrefix+stackName), project),
		})
	}
}

// ProjectContext is the context key where a synth (package synth) records the project folder
// relative to a stack's folder in the output folder.
const ProjectContext = "alb-privatelink:project-from-stack"

// projectFromStack is the project folder seen from a stack's folder: what
// Synth recorded for its output folder, else "../../.." (cdktf.out/stacks/STACK).
func projectFromStack(stack cdktf.TerraformStack) string {
	if v, ok := stack.Node().TryGetContext(jsii.String(ProjectContext)).(string); ok && v != "" {
		return v
	}
	return "../../.."
}

// AWSProviderVersion is the hashicorp/aws constraint every stack declares.
// The Go bindings were generated from 5.84.0, the oldest version that has
// every argument the stacks use (service_region, supported_regions); any
// later 5.x keeps them, and 5.100.0 is the last 5.x, with a year of fixes.
// The version a deploy used is recorded in the stack's .terraform.lock.hcl.
const AWSProviderVersion = "~> 5.84"

// newStack is a stack with its backend and AWS provider.
func newStack(scope constructs.Construct, name string, a config.AWS, state config.State) cdktf.TerraformStack {
	stack := cdktf.NewTerraformStack(scope, jsii.String(name))
	newBackend(stack, name, state)
	newAWSProvider(stack, name, a)
	stack.AddOverride(jsii.String("terraform.required_providers.aws.version"), jsii.String(AWSProviderVersion))
	return stack
}

// output declares a Terraform output with a description.
func output(stack cdktf.TerraformStack, name string, value *string, description string) {
	cdktf.NewTerraformOutput(stack, jsii.String(name), &cdktf.TerraformOutputConfig{
		Value:       value,
		Description: jsii.String(description),
	})
}

func nameTag(name string) *map[string]*string {
	return &map[string]*string{"Name": jsii.String(name)}
}

func derefAll(ps []*string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

// sessionName is the assume-role session name: the configured one, else
// alb-privatelink-STACK, which shows in CloudTrail.
func sessionName(configured, stackName string) string {
	if configured != "" {
		return configured
	}
	return "alb-privatelink-" + stackName
}

package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"

	"github.com/alb-privatelink/alb-privatelink/config"
)

// Outputs reads a deployed stack's outputs: from its local state file in
// the project folder (the default backend), else through
// `terraform output -json` in its folder of cdktf.out (a synth and a
// deploy from here have initialized it).
func Outputs(cfg config.Resolved, project, cdktfOut, stack string) (map[string]string, error) {
	var raw []byte
	if cfg.State.Backend == "" || cfg.State.Backend == "local" {
		file := filepath.Join(project, "terraform."+stack+".tfstate")
		b, err := os.ReadFile(file)
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("no state at %s: deploy the stack first (npx cdktf deploy %s), from this folder", file, stack)
		}
		if err != nil {
			return nil, err
		}
		var state struct {
			Outputs map[string]struct{ Value any } `json:"outputs"`
		}
		if err := json.Unmarshal(b, &state); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		out := map[string]string{}
		for k, v := range state.Outputs {
			out[k] = fmt.Sprint(v.Value)
		}
		return out, nil
	}
	cmd := exec.Command(terraformBinary(), "output", "-json")
	cmd.Dir = filepath.Join(cdktfOut, "stacks", stack)
	raw, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("terraform output in %s: %v (run npx cdktf synth and deploy from this folder first)", cmd.Dir, err)
	}
	var outs map[string]struct{ Value any }
	if err := json.Unmarshal(raw, &outs); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range outs {
		out[k] = fmt.Sprint(v.Value)
	}
	return out, nil
}

func terraformBinary() string {
	if b := os.Getenv("TERRAFORM_BINARY_NAME"); b != "" {
		return b
	}
	return "terraform"
}

// Clients are the AWS API clients of one stack.
type Clients struct {
	EC2     *ec2.Client
	ELB     *elb.Client
	Route53 *route53.Client
	Lambda  *lambda.Client
}

// NewClients makes the clients of one stack: its region, profile and
// role, as the stack's AWS provider is configured (AWS_ENDPOINT_URL and
// the other SDK settings of the environment apply).
func NewClients(ctx context.Context, a config.AWS) (*Clients, error) {
	// no SDK log lines (such as IMDS fallbacks) between the report's
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRegion(a.Region), awsconfig.WithLogger(logging.Nop{})}
	if a.Profile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(a.Profile))
	}
	c, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, err
	}
	if r := a.AssumeRole; r != nil {
		provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(c), r.RoleARN, func(o *stscreds.AssumeRoleOptions) {
			if r.ExternalID != "" {
				o.ExternalID = aws.String(r.ExternalID)
			}
			if r.SessionName != "" {
				o.RoleSessionName = r.SessionName
			}
		})
		c.Credentials = aws.NewCredentialsCache(provider)
	}
	// Missing credentials would otherwise fail every check, each with
	// its own fix; say it once.
	if _, err := c.Credentials.Retrieve(ctx); err != nil {
		return nil, fmt.Errorf("no usable AWS credentials: %w", err)
	}
	return &Clients{EC2: ec2.NewFromConfig(c), ELB: elb.NewFromConfig(c), Route53: route53.NewFromConfig(c), Lambda: lambda.NewFromConfig(c)}, nil
}

package privatelink

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lambdafunction"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/internal/validate"
	"github.com/alb-privatelink/alb-privatelink/probe"
)

// ConnectivityProbeProps configures a ConnectivityProbe.
type ConnectivityProbeProps struct {
	// Endpoint to probe: the function runs in its VPC and subnets and
	// calls its custom domain (when it has one) and its own DNS name, on
	// each of its ports. Required.
	Endpoint *ConsumerEndpoint
	// CodeDir is a folder holding only the function's executable,
	// "bootstrap", built for provided.al2023 on arm64; cdktf zips it.
	// Default: built and zipped at synth from this module's source
	// (package probe) with the go command, and cached under the user's
	// cache folder.
	CodeDir string
	// LogRetentionDays of the function's log group. Default: 30.
	LogRetentionDays int
	// Tags are added to every resource. Default: a Name tag only.
	Tags map[string]string
}

// ConnectivityProbe is a small function inside the consumer VPC that
// calls the endpoint as a client would and says what it saw (go run .
// doctor invokes it). It defines:
//
//	Lambda function "Resource" (provided.al2023, arm64, 128 MB), named probe-<endpoint ID>
//	  ├─ in the endpoint's subnets, with security group "SecurityGroup":
//	  │    egress only to the endpoint's group on its ports; the endpoint's
//	  │    group admits it (Ingress<port>FromProbe)
//	  ├─ role "Role": logs to its own group, and the network-interface
//	  │    actions every function in a VPC needs
//	  └─ log group "LogGroup" (/aws/lambda/<name>), LogRetentionDays
//
// Why: "the endpoint exists, why does my request time out?" is answered
// from inside the VPC only: the name the client calls must resolve there,
// the endpoint's group must admit it, and the certificate must name it.
// The function costs nothing while idle (no hourly charge, and the
// network interfaces of a function in a VPC are free); each invocation is
// about a second at most, at 128 MB.
type ConnectivityProbe struct {
	node     constructs.Node
	function lambdafunction.LambdaFunction
}

// NewConnectivityProbe defines the probe of props.Endpoint.
func NewConnectivityProbe(scope constructs.Construct, id string, props ConnectivityProbeProps) (*ConnectivityProbe, error) {
	if err := checkErr(props.Check); err != nil {
		return nil, err
	}
	if err := checkID(scope, id); err != nil {
		return nil, err
	}
	ep := props.Endpoint
	if ep.probe != nil {
		return nil, fmt.Errorf("endpoint %s has a connectivity probe already; one is enough (its function is named after the endpoint)", *ep.node.Path())
	}
	if problem := quotaProblem(len(ep.sources)+ep.groupSources+1, len(ep.ports)); problem != "" {
		return nil, fmt.Errorf("the connectivity probe's rules on the endpoint's security group would make %s", problem)
	}
	// The function's package: a folder cdktf zips, or by default the zip
	// Build keeps per source version (the hash of the source, not of the
	// binary: another Go toolchain does not redeploy the same source).
	code, err := probeCode(props.CodeDir)
	if err != nil {
		return nil, err
	}
	retention := props.LogRetentionDays
	if retention == 0 {
		retention = 30
	}

	c := constructs.NewConstruct(scope, jsii.String(id))
	node := c.Node()
	tags := tagger(node, props.Tags)
	name := "probe-" + *ep.EndpointID() // unique in the account: one endpoint, one probe

	logs := cloudwatchloggroup.NewCloudwatchLogGroup(c, jsii.String("LogGroup"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String("/aws/lambda/" + name),
		RetentionInDays: jsii.Number(float64(retention)),
		Tags:            tags("probe"),
	})
	role, policy := probeRole(c, tags, name, logs)

	sg := probeSecurityGroup(c, ep, tags, policy)

	hosts, ports := probeTargets(ep)
	asset := cdktf.NewTerraformAsset(c, jsii.String("Code"), code)
	fn := lambdafunction.NewLambdaFunction(c, jsii.String("Resource"), &lambdafunction.LambdaFunctionConfig{
		FunctionName:   jsii.String(name),
		Description:    jsii.String("Calls the PrivateLink endpoint from inside its VPC, as a client would (go run . doctor invokes it)"),
		Role:           role.Arn(),
		Runtime:        jsii.String("provided.al2023"),
		Handler:        jsii.String("bootstrap"),
		Architectures:  jsii.Strings(probe.Arch),
		MemorySize:     jsii.Number(128),
		Timeout:        jsii.Number(30),
		Filename:       asset.Path(),
		SourceCodeHash: asset.AssetHash(),
		VpcConfig: &lambdafunction.LambdaFunctionVpcConfig{
			SubnetIds:        jsii.Strings(ep.subnetIDs...),
			SecurityGroupIds: jsii.Strings(*sg.Id()),
		},
		Environment: &lambdafunction.LambdaFunctionEnvironment{Variables: &map[string]*string{
			"PROBE_HOSTS": jsii.String(strings.Join(hosts, ",")),
			"PROBE_PORTS": jsii.String(strings.Join(ports, ",")),
		}},
		// AWS refuses a function in a VPC whose role cannot create its
		// network interfaces yet. The log group is the one Lambda writes to
		// by default (/aws/lambda/NAME): made first, it has its retention
		// before the first log line, and Terraform owns it.
		DependsOn: &[]cdktf.ITerraformDependable{policy, logs},
		Tags:      tags("probe"),
	})
	ep.probe = &ConnectivityProbe{node: node, function: fn}
	return ep.probe, nil
}

// probeCode is the function's package: a folder cdktf zips, or by
// default the zip probe.Build keeps per source version (the hash of the
// source, not of the binary: another Go toolchain does not redeploy the
// same source).
func probeCode(codeDir string) (*cdktf.TerraformAssetConfig, error) {
	code := &cdktf.TerraformAssetConfig{Path: jsii.String(codeDir), Type: cdktf.AssetType_ARCHIVE}
	if codeDir == "" {
		cache, err := probe.DefaultCache()
		if err != nil {
			return nil, fmt.Errorf("the connectivity probe's build cache: %w", err)
		}
		zip, err := probe.Build(context.Background(), cache)
		if err != nil {
			return nil, err
		}
		code = &cdktf.TerraformAssetConfig{Path: jsii.String(zip), Type: cdktf.AssetType_FILE, AssetHash: jsii.String(probe.SourceHash()[:32])}
	}
	return code, nil
}

// probeRole is the function's role and its policy: logging to its own
// group, and the network-interface actions Lambda needs in a VPC.
func probeRole(c constructs.Construct, tags func(string) *map[string]*string, name string, logs cloudwatchloggroup.CloudwatchLogGroup) (iamrole.IamRole, iamrolepolicy.IamRolePolicy) {
	role := iamrole.NewIamRole(c, jsii.String("Role"), &iamrole.IamRoleConfig{
		NamePrefix:  jsii.String("alb-privatelink-probe-"),
		Description: jsii.String("Runs the PrivateLink connectivity probe " + name),
		AssumeRolePolicy: policyJSON(map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
			"Action":    "sts:AssumeRole",
		}),
		Tags: tags("probe"),
	})
	policy := iamrolepolicy.NewIamRolePolicy(c, jsii.String("Policy"), &iamrolepolicy.IamRolePolicyConfig{
		Role: role.Id(),
		Policy: policyJSON(map[string]any{
			"Effect":   "Allow",
			"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			"Resource": *logs.Arn() + ":*",
		}, map[string]any{
			// What AWSLambdaVPCAccessExecutionRole grants: Lambda creates
			// and deletes the function's network interfaces with the
			// function's role; these actions take no narrower resource.
			"Effect": "Allow",
			"Action": []string{"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
				"ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"},
			"Resource": "*",
		}),
	})
	return role, policy
}

// probeSecurityGroup is the function's group, with egress only to the
// endpoint's group on its ports, which admits it in turn.
func probeSecurityGroup(c constructs.Construct, ep *ConsumerEndpoint, tags func(string) *map[string]*string, policy iamrolepolicy.IamRolePolicy) securitygroup.SecurityGroup {
	sg := securitygroup.NewSecurityGroup(c, jsii.String("SecurityGroup"), &securitygroup.SecurityGroupConfig{
		VpcId:       jsii.String(ep.vpcID),
		Description: jsii.String("PrivateLink connectivity probe: egress to the endpoint on its ports only"),
		Tags:        tags("probe"),
		// After the function is deleted, Lambda removes its network
		// interfaces in the background, which can take tens of minutes;
		// the group cannot go before them (the provider waits and cleans
		// up, within this timeout), and Lambda removes them with the
		// function's role: its policy goes last.
		Timeouts:  &securitygroup.SecurityGroupTimeouts{Delete: jsii.String("45m")},
		DependsOn: &[]cdktf.ITerraformDependable{policy},
	})
	for _, port := range ep.ports {
		vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(c, jsii.String(fmt.Sprintf("Egress%dToEndpoint", port)), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			SecurityGroupId:           sg.Id(),
			IpProtocol:                jsii.String("tcp"),
			FromPort:                  jsii.Number(float64(port)),
			ToPort:                    jsii.Number(float64(port)),
			ReferencedSecurityGroupId: ep.securityGroupID,
			Description:               jsii.String(fmt.Sprintf("The probe to the PrivateLink endpoint on %d", port)),
		})
	}
	ep.allowGroup("Probe", sg.Id(), "The connectivity probe")
	return sg
}

// probeTargets are the names the probe calls (the names clients call:
// custom domain, or the service's private DNS name; then the endpoint's
// own) and the ports.
func probeTargets(ep *ConsumerEndpoint) (hosts, ports []string) {
	for _, h := range []string{ep.customDomain, ep.privateDNSName} {
		if h != "" {
			hosts = append(hosts, h)
		}
	}
	hosts = append(hosts, *ep.DNSName())
	for _, p := range ep.ports {
		ports = append(ports, fmt.Sprint(p))
	}
	return hosts, ports
}

// Check reports each problem of the props with the field it is in.
func (p ConnectivityProbeProps) Check(report func(field, problem string)) {
	if p.Endpoint == nil {
		report("Endpoint", "is required: the ConsumerEndpoint to probe")
	}
	if p.CodeDir != "" {
		if info, err := os.Stat(filepath.Join(p.CodeDir, "bootstrap")); err != nil || info.IsDir() {
			report("CodeDir", fmt.Sprintf("%q: want a folder holding the executable bootstrap (provided.al2023 runs that file)", p.CodeDir))
		}
	}
	if p.LogRetentionDays != 0 {
		if problem := validate.LogRetentionDays(p.LogRetentionDays); problem != "" {
			report("LogRetentionDays", problem)
		}
	}
}

// Node is the construct tree node.
func (p *ConnectivityProbe) Node() constructs.Node { return p.node }

// Function is the aws_lambda_function resource.
func (p *ConnectivityProbe) Function() lambdafunction.LambdaFunction { return p.function }

// FunctionName is the function's name (probe-<endpoint ID>), a
// deploy-time token.
func (p *ConnectivityProbe) FunctionName() *string { return p.function.FunctionName() }

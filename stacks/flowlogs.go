package stacks

import (
	"encoding/json"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsregion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/flowlog"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/config"
)

// newFlowLogs records every packet decision of a VPC in a CloudWatch log
// group, through a role only the flow-logs service of this account and
// region can assume, allowed to write to that one group.
func newFlowLogs(scope constructs.Construct, name string, vpcID *string, cfg config.FlowLogs) {
	c := constructs.NewConstruct(scope, jsii.String("FlowLogs"))
	group := &cloudwatchloggroup.CloudwatchLogGroupConfig{
		NamePrefix:      jsii.String("/vpc-flow-logs/" + name + "-"),
		RetentionInDays: jsii.Number(float64(cfg.RetentionDays)),
		Tags:            nameTag(name + "-flow-logs"),
	}
	if cfg.KMSKeyARN != "" {
		group.KmsKeyId = jsii.String(cfg.KMSKeyARN)
	}
	logs := cloudwatchloggroup.NewCloudwatchLogGroup(c, jsii.String("LogGroup"), group)

	partition := dataawspartition.NewDataAwsPartition(c, jsii.String("Partition"), &dataawspartition.DataAwsPartitionConfig{})
	account := dataawscalleridentity.NewDataAwsCallerIdentity(c, jsii.String("Account"), &dataawscalleridentity.DataAwsCallerIdentityConfig{})
	region := dataawsregion.NewDataAwsRegion(c, jsii.String("Region"), &dataawsregion.DataAwsRegionConfig{})
	trust := policyJSON(map[string]any{
		"Effect":    "Allow",
		"Principal": map[string]any{"Service": "vpc-flow-logs.amazonaws.com"},
		"Action":    "sts:AssumeRole",
		"Condition": map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": *account.AccountId()},
			"ArnLike": map[string]any{"aws:SourceArn": "arn:" + *partition.Partition() + ":ec2:" + *region.Name() +
				":" + *account.AccountId() + ":vpc-flow-log/*"},
		},
	})
	role := iamrole.NewIamRole(c, jsii.String("Role"), &iamrole.IamRoleConfig{
		NamePrefix:       jsii.String(rolePrefix(name)),
		Description:      jsii.String("Lets VPC flow logs of " + name + " write to their log group"),
		AssumeRolePolicy: jsii.String(trust),
		Tags:             nameTag(name + "-flow-logs"),
	})
	write := iamrolepolicy.NewIamRolePolicy(c, jsii.String("WriteLogs"), &iamrolepolicy.IamRolePolicyConfig{
		Role: role.Id(),
		Policy: jsii.String(policyJSON(map[string]any{
			"Effect":   "Allow",
			"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			"Resource": []string{*logs.Arn(), *logs.Arn() + ":log-stream:*"},
		}, map[string]any{
			// The delivery service lists groups before writing; this action
			// has no narrower resource than the account's log groups.
			"Effect":   "Allow",
			"Action":   "logs:DescribeLogGroups",
			"Resource": "arn:" + *partition.Partition() + ":logs:" + *region.Name() + ":" + *account.AccountId() + ":log-group:*",
		})),
	})
	flowlog.NewFlowLog(c, jsii.String("Resource"), &flowlog.FlowLogConfig{
		VpcId:              vpcID,
		TrafficType:        jsii.String("ALL"),
		LogDestinationType: jsii.String("cloud-watch-logs"),
		LogDestination:     logs.Arn(),
		IamRoleArn:         role.Arn(),
		Tags:               nameTag(name + "-flow-logs"),
		// The first deliveries fail if the role has no permissions yet.
		DependsOn: &[]cdktf.ITerraformDependable{write},
	})
}

// rolePrefix is an IAM role name prefix for a stack's flow logs: AWS
// allows at most 38 characters before the 26 Terraform appends.
func rolePrefix(stackName string) string {
	p := "flow-logs-" + stackName
	if len(p) > 37 {
		p = p[:37]
	}
	return p + "-"
}

// policyJSON renders an IAM policy document. Tokens in strings survive
// json.Marshal and are resolved by cdktf at synth.
func policyJSON(statements ...map[string]any) string {
	raw, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		panic(err) // only plain maps and strings: cannot fail
	}
	return string(raw)
}

package config

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestWithDefaults(t *testing.T) {
	c := Config{}.withDefaults()
	p := c.Provider
	if len(c.Consumers) != 1 {
		t.Fatalf("zero config: %d consumers, want one default consumer", len(c.Consumers))
	}
	k := c.Consumers[0]
	if p.AWS.Region != "ap-northeast-1" || k.AWS.Region != "ap-northeast-1" {
		t.Errorf("regions = %q, %q", p.AWS.Region, k.AWS.Region)
	}
	if !slices.Equal(p.AZIDs, []string{"apne1-az1", "apne1-az4"}) || !slices.Equal(k.AZIDs, p.AZIDs) {
		t.Errorf("AZ IDs = %v, %v; the consumer must default to the provider's zones", p.AZIDs, k.AZIDs)
	}
	if p.VPCCIDR != "10.10.0.0/16" || k.VPCCIDR != "10.20.0.0/16" {
		t.Errorf("CIDRs = %q, %q", p.VPCCIDR, k.VPCCIDR)
	}
	// Ports stay unset: the endpoint takes the service's listener ports.
	if k.Ports != nil || !slices.Equal(c.listeners(), []Listener{{80, "HTTP"}}) {
		t.Errorf("consumer ports %v (want unset), listeners %v (want the demo's HTTP listener)", k.Ports, c.listeners())
	}
	if !*k.AutoAccept || !*p.AcceptanceRequired || c.State.Backend != "local" || k.Name != "" {
		t.Errorf("autoAccept=%v acceptance=%v backend=%q name=%q", *k.AutoAccept, *p.AcceptanceRequired, c.State.Backend, k.Name)
	}
	if c.StackName(0) != "consumer" || !c.ProviderEnabled() {
		t.Errorf("stack name %q, provider enabled %v", c.StackName(0), c.ProviderEnabled())
	}
	if len(c.check()) != 0 {
		t.Errorf("zero config must be valid: %v", c.check())
	}

	https := Config{Provider: Provider{CertificateARN: "arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555"}}.withDefaults()
	if !slices.Equal(https.listeners(), []Listener{{443, "HTTPS"}}) {
		t.Errorf("listeners with a certificate = %v, want HTTPS 443", https.listeners())
	}
	existing := Config{Provider: Provider{ExistingALB: &ExistingALB{Listeners: []Listener{{8443, "HTTPS"}, {80, "HTTP"}}}}}.withDefaults()
	if !slices.Equal(existing.listeners(), []Listener{{8443, "HTTPS"}, {80, "HTTP"}}) || existing.Provider.VPCCIDR != "" {
		t.Errorf("existing ALB: listeners %v (want its own), provider vpcCidr %q (want none)", existing.listeners(), existing.Provider.VPCCIDR)
	}
}

func TestDefaultsAcrossAccountsRegionsAndBackends(t *testing.T) {
	c := Config{
		State:    State{Backend: "s3", S3: S3State{Bucket: "tf-state"}},
		Provider: Provider{AWS: AWS{AccountID: "111111111111"}},
		Consumers: []Consumer{
			{},
			{Name: "b", AWS: AWS{AssumeRole: &AssumeRole{RoleARN: "arn:aws:iam::222222222222:role/Deployer"}}},
			{Name: "c", AWS: AWS{Region: "us-east-1"}},
			{Name: "d", ServiceName: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0"},
		},
	}.withDefaults()
	if c.State.S3.KeyPrefix != "alb-privatelink" || c.State.S3.Region != "ap-northeast-1" || !*c.State.S3.Encrypt {
		t.Errorf("s3 defaults = %+v", c.State.S3)
	}
	b := c.Consumers[1]
	if b.AWS.AccountID != "222222222222" {
		t.Errorf("account from the role ARN = %q", b.AWS.AccountID)
	}
	if *b.AutoAccept || !c.NeedsAccepter(1) {
		t.Error("a consumer in another account cannot accept itself; the provider's accepter stack must")
	}
	if !*c.Consumers[0].AutoAccept || c.NeedsAccepter(0) {
		t.Error("a consumer without an account ID is in the provider's account and accepts itself")
	}
	if got := c.Consumers[2].AZIDs; !slices.Equal(got, []string{"use1-az1", "use1-az2"}) {
		t.Errorf("consumer in us-east-1 got AZ IDs %v, want that region's defaults", got)
	}
	if *c.Consumers[2].AutoAccept || !c.NeedsAccepter(2) {
		t.Error("a consumer in another region cannot auto-accept (the provider looks the service up in its own region); an accepter stack must")
	}
	d := c.Consumers[3]
	if *d.AutoAccept || c.NeedsAccepter(3) || d.Ports != nil {
		t.Errorf("external service: autoAccept=%v accepter=%v ports=%v", *d.AutoAccept, c.NeedsAccepter(3), d.Ports)
	}
	if c.StackName(1) != "consumer-b" {
		t.Errorf("StackName(1) = %q", c.StackName(1))
	}
	if errs := c.check(); len(errs) != 0 {
		t.Errorf("valid config rejected: %v", errs)
	}

	cloud := Config{State: State{Backend: "cloud", Cloud: CloudState{Organization: "acme"}}}.withDefaults()
	if cloud.State.Cloud.Hostname != "app.terraform.io" || cloud.State.Cloud.WorkspacePrefix != "alb-privatelink-" {
		t.Errorf("cloud defaults = %+v", cloud.State.Cloud)
	}
}

// Every validation rule, each with a bad input and the message it must give.
func TestValidateRules(t *testing.T) {
	no := false
	yes := true
	existing := func() *ExistingALB {
		return &ExistingALB{
			ARN:       "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188",
			Listeners: []Listener{{443, "HTTPS"}},
			VPCID:     "vpc-0a1b2c3d4e5f60718",
			SubnetIDs: []string{"subnet-0a1b2c3d4e5f60718", "subnet-1a2b3c4d5e6f70819"},
		}
	}
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"unknown backend", Config{State: State{Backend: "gcs"}}, `state.backend "gcs": want local, s3 or cloud`},
		{"s3 settings with local backend", Config{State: State{S3: S3State{Bucket: "b"}}}, `state.s3 is set, but state.backend is "local"`},
		{"s3 without bucket", Config{State: State{Backend: "s3"}}, "state.s3.bucket is required"},
		{"bad bucket", Config{State: State{Backend: "s3", S3: S3State{Bucket: "My_Bucket"}}}, `state.s3.bucket "My_Bucket": want 3-63 lower-case`},
		{"IP bucket", Config{State: State{Backend: "s3", S3: S3State{Bucket: "192.168.1.1"}}}, `state.s3.bucket "192.168.1.1"`},
		{"key prefix slash", Config{State: State{Backend: "s3", S3: S3State{Bucket: "tf-state", KeyPrefix: "/abs/"}}}, `state.s3.keyPrefix "/abs/"`},
		{"key prefix double slash", Config{State: State{Backend: "s3", S3: S3State{Bucket: "tf-state", KeyPrefix: "a//b"}}}, `state.s3.keyPrefix "a//b"`},
		{"key prefix braces", Config{State: State{Backend: "s3", S3: S3State{Bucket: "tf-state", KeyPrefix: "x/{env}"}}}, `state.s3.keyPrefix "x/{env}"`},
		{"duplicate client CIDR", Config{Consumers: []Consumer{{ClientCIDRs: []string{"10.20.0.0/16", "10.20.0.0/16"}}}}, `consumers[0].clientCidrs[1] "10.20.0.0/16": listed twice`},
		{"bad lock table", Config{State: State{Backend: "s3", S3: S3State{Bucket: "tf-state", DynamoDBTable: "x"}}}, `state.s3.dynamodbTable "x"`},
		{"KMS without encryption", Config{State: State{Backend: "s3", S3: S3State{Bucket: "tf-state", KMSKeyID: "alias/tf", Encrypt: &no}}}, "state.s3.kmsKeyId is set but state.s3.encrypt is false"},
		{"state role", Config{State: State{Backend: "s3", S3: S3State{Bucket: "tf-state", RoleARN: "TerraformState"}}}, `state.s3.roleArn "TerraformState"`},
		{"cloud without organization", Config{State: State{Backend: "cloud"}}, "state.cloud.organization is required"},
		{"cloud bad organization", Config{State: State{Backend: "cloud", Cloud: CloudState{Organization: "acme corp"}}}, `state.cloud.organization "acme corp"`},
		{"cloud bad prefix", Config{State: State{Backend: "cloud", Cloud: CloudState{Organization: "acme", WorkspacePrefix: "pl/"}}}, `state.cloud.workspacePrefix "pl/"`},
		{"cloud bad hostname", Config{State: State{Backend: "cloud", Cloud: CloudState{Organization: "acme", Hostname: "https://tfe.example.com"}}}, `state.cloud.hostname "https://tfe.example.com"`},
		{"bad state region", Config{State: State{Backend: "s3", S3: S3State{Bucket: "tf-state", Region: "eu"}}}, `state.s3.region "eu": want an AWS region`},
		{"bad KMS key", Config{State: State{Backend: "s3", S3: S3State{Bucket: "tf-state", KMSKeyID: "my key"}}}, `state.s3.kmsKeyId "my key": want a KMS key ARN`},
		{"state profile with spaces", Config{State: State{Backend: "s3", S3: S3State{Bucket: "tf-state", Profile: " admin"}}}, `state.s3.profile " admin"`},
		{"cloud bad project", Config{State: State{Backend: "cloud", Cloud: CloudState{Organization: "acme", Project: "x"}}}, `state.cloud.project "x": want 3-40`},
		{"cloud settings with s3 backend", Config{State: State{Backend: "s3", S3: S3State{Bucket: "tf-state"}, Cloud: CloudState{Organization: "acme"}}}, `state.cloud is set, but state.backend is "s3"`},
		{"bad region", Config{Provider: Provider{AWS: AWS{Region: "tokyo"}}}, `provider.aws.region "tokyo": want an AWS region`},
		{"long tag value", Config{Provider: Provider{AWS: AWS{DefaultTags: map[string]string{"Owner": strings.Repeat("o", 257)}}}}, "provider.aws.defaultTags.Owner is 257 characters; the limit is 256"},
		{"nine AZs", Config{Provider: Provider{AZIDs: []string{"apne1-az1", "apne1-az2", "apne1-az3", "apne1-az4", "apne1-az5", "apne1-az6", "apne1-az7", "apne1-az8", "apne1-az9"}}}, "provider.azIds has 9; the demo network supports at most 8 zones"},
		{"short account", Config{Provider: Provider{AWS: AWS{AccountID: "12345"}}}, `provider.aws.accountId "12345": want a 12-digit AWS account ID`},
		{"role without ARN", Config{Provider: Provider{AWS: AWS{AssumeRole: &AssumeRole{}}}}, "provider.aws.assumeRole.roleArn is required"},
		{"bad role ARN", Config{Provider: Provider{AWS: AWS{AssumeRole: &AssumeRole{RoleARN: "arn:aws:iam::111122223333:user/bob"}}}}, `provider.aws.assumeRole.roleArn "arn:aws:iam::111122223333:user/bob": want an IAM role ARN`},
		{"role in another account", Config{Provider: Provider{AWS: AWS{AccountID: "111111111111", AssumeRole: &AssumeRole{RoleARN: "arn:aws:iam::222222222222:role/D"}}}}, "in account 222222222222, but provider.aws.accountId is 111111111111"},
		{"bad external ID", Config{Provider: Provider{AWS: AWS{AssumeRole: &AssumeRole{RoleARN: "arn:aws:iam::111122223333:role/D", ExternalID: "x"}}}}, `provider.aws.assumeRole.externalId "x"`},
		{"bad session name", Config{Provider: Provider{AWS: AWS{AssumeRole: &AssumeRole{RoleARN: "arn:aws:iam::111122223333:role/D", SessionName: "has space"}}}}, `provider.aws.assumeRole.sessionName "has space"`},
		{"aws: tag", Config{Provider: Provider{AWS: AWS{DefaultTags: map[string]string{"aws:owner": "x"}}}}, `provider.aws.defaultTags key "aws:owner"`},
		{"no AZ default", Config{Provider: Provider{AWS: AWS{Region: "sa-east-1"}}}, "provider.azIds is required in sa-east-1"},
		{"one AZ", Config{Provider: Provider{AZIDs: []string{"apne1-az1"}}}, "provider.azIds has 1, want at least 2"},
		{"AZ names", Config{Provider: Provider{AZIDs: []string{"ap-northeast-1a", "ap-northeast-1c"}}}, `provider.azIds[0] "ap-northeast-1a": want an AZ ID`},
		{"AZ of another region", Config{Provider: Provider{AZIDs: []string{"use1-az1", "use1-az2"}}}, `provider.azIds[0] "use1-az1": not a zone of ap-northeast-1 (its AZ IDs start with apne1-)`},
		{"duplicate AZ", Config{Provider: Provider{AZIDs: []string{"apne1-az1", "apne1-az1"}}}, `provider.azIds[1] "apne1-az1": listed twice`},
		{"VPC too big", Config{Provider: Provider{VPCCIDR: "10.0.0.0/8"}}, `provider.vpcCidr "10.0.0.0/8": want a /16 to /24 block`},
		{"VPC host bits", Config{Provider: Provider{VPCCIDR: "10.10.1.0/16"}}, `provider.vpcCidr "10.10.1.0/16": host bits are set`},
		{"subnet outside VPC", Config{Provider: Provider{SubnetCIDRs: SubnetCIDRs{Private: []string{"10.10.0.0/20", "10.99.0.0/20"}}}}, `provider.subnetCidrs.private[1] "10.99.0.0/20": not inside provider.vpcCidr 10.10.0.0/16`},
		{"overlapping subnets", Config{Provider: Provider{SubnetCIDRs: SubnetCIDRs{Public: []string{"10.10.0.0/20", "10.10.16.0/20"}, Private: []string{"10.10.8.0/24", "10.10.128.0/20"}}}}, `provider.subnetCidrs.private[0] "10.10.8.0/24": overlaps provider.subnetCidrs.public[0] (10.10.0.0/20)`},
		{"subnet count", Config{Provider: Provider{SubnetCIDRs: SubnetCIDRs{Private: []string{"10.10.0.0/20"}}}}, "provider.subnetCidrs.private has 1, want one per AZ ID (2)"},
		{"tiny subnet", Config{Provider: Provider{SubnetCIDRs: SubnetCIDRs{Private: []string{"10.10.0.0/29", "10.10.1.0/24"}}}}, `"10.10.0.0/29": AWS subnets are /16 to /28`},
		{"bad certificate", Config{Provider: Provider{CertificateARN: "arn:aws:iam::123456789012:server-certificate/x"}}, `provider.certificateArn "arn:aws:iam::123456789012:server-certificate/x": want an ACM certificate ARN`},
		{"demo key with existing ALB", Config{Provider: Provider{ExistingALB: existing(), CertificateARN: "arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b"}}, "provider.certificateArn only configures the demo ALB"},
		{"existing ALB without ARN", Config{Provider: Provider{ExistingALB: &ExistingALB{}}}, "provider.existingAlb.arn is required"},
		{"existing NLB ARN", Config{Provider: Provider{ExistingALB: func() *ExistingALB {
			e := existing()
			e.ARN = strings.Replace(e.ARN, "/app/", "/net/", 1)
			return e
		}()}}, "provider.existingAlb.arn \"arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/net/web/50dc6c495c0c9188\": want an Application Load Balancer ARN"},
		{"existing ALB no listeners", Config{Provider: Provider{ExistingALB: &ExistingALB{ARN: existing().ARN}}}, "provider.existingAlb.listeners is required"},
		{"port 0", Config{Provider: Provider{ExistingALB: func() *ExistingALB { e := existing(); e.Listeners[0].Port = 0; return e }()}}, "provider.existingAlb.listeners[0].port 0: want a TCP port from 1 to 65535"},
		{"TCP listener", Config{Provider: Provider{ExistingALB: func() *ExistingALB { e := existing(); e.Listeners[0].Protocol = "TCP"; return e }()}}, `provider.existingAlb.listeners[0].protocol "TCP"`},
		{"duplicate listener", Config{Provider: Provider{ExistingALB: func() *ExistingALB {
			e := existing()
			e.Listeners = append(e.Listeners, e.Listeners[0])
			return e
		}()}}, "provider.existingAlb.listeners[1].port 443: listed twice"},
		{"existing one subnet", Config{Provider: Provider{ExistingALB: func() *ExistingALB { e := existing(); e.SubnetIDs = e.SubnetIDs[:1]; return e }()}}, "provider.existingAlb.subnetIds has 1, want at least 2"},
		{"existing subnet name", Config{Provider: Provider{ExistingALB: func() *ExistingALB { e := existing(); e.SubnetIDs[1] = "private-b"; return e }()}}, `provider.existingAlb.subnetIds[1] "private-b": want an ID such as subnet-`},
		{"existing bad VPC", Config{Provider: Provider{ExistingALB: func() *ExistingALB { e := existing(); e.VPCID = "subnet-0a1b2c3d4e5f60718"; return e }()}}, `provider.existingAlb.vpcId "subnet-0a1b2c3d4e5f60718"`},
		{"existing bad SG", Config{Provider: Provider{ExistingALB: func() *ExistingALB { e := existing(); e.SecurityGroupID = "web"; return e }()}}, `provider.existingAlb.securityGroupId "web"`},
		{"bad principal", Config{Provider: Provider{AllowedPrincipals: []string{"1234"}}}, `provider.allowedPrincipals[0] "1234": want a 12-digit account ID or an IAM ARN`},
		{"wildcard without acceptance", Config{Provider: Provider{AcceptanceRequired: &no, AllowedPrincipals: []string{"*"}}}, `provider.allowedPrincipals[0] "*": lets anyone in the partition connect`},
		{"bad supported region", Config{Provider: Provider{SupportedRegions: []string{"us-east-1a"}}}, `provider.supportedRegions[0] "us-east-1a"`},
		{"NLB name", Config{Provider: Provider{NLB: NLB{Name: "internal-api"}}}, `provider.nlb.name "internal-api": must not start with "internal-"`},
		{"NLB name length", Config{Provider: Provider{NLB: NLB{Name: strings.Repeat("a", 33)}}}, "provider.nlb.name \"" + strings.Repeat("a", 33) + "\": 33 characters, the limit is 32"},
		{"health check interval", Config{Provider: Provider{}.withHealthCheckInterval(1)}, "provider.healthCheck.intervalSeconds 1: want 5 to 300"},
		{"flow log retention", Config{Provider: Provider{FlowLogs: FlowLogs{RetentionDays: 10}}}, "provider.flowLogs.retentionDays 10: want one of CloudWatch Logs' values"},
		{"flow log key alias", Config{Consumers: []Consumer{{FlowLogs: FlowLogs{KMSKeyARN: "alias/logs"}}}}, `consumers[0].flowLogs.kmsKeyArn "alias/logs": want a KMS key ARN`},
		{"two consumers without a name", Config{Consumers: []Consumer{{Name: "a"}, {}, {}}}, `consumers[2].name is required: consumers[1] has no name already, and only one consumer can be the stack "consumer"`},
		{"port the provider does not publish", Config{Consumers: []Consumer{{Ports: []int{443}}}}, "consumers[0].ports[0] 443: the service publishes 80 only"},
		{"port the existing ALB does not publish", Config{Provider: Provider{ExistingALB: existing()}, Consumers: []Consumer{{Ports: []int{443, 8443}}}}, "consumers[0].ports[1] 8443: the service publishes 443 only"},
		{"client CIDR anywhere", Config{Consumers: []Consumer{{ClientCIDRs: []string{"0.0.0.0/0"}}}}, `consumers[0].clientCidrs[0] "0.0.0.0/0": admits the whole internet`},
		{"more client CIDRs than rules", Config{Consumers: []Consumer{{ClientCIDRs: manyCIDRs(61)}}}, "consumers[0].clientCidrs has 61 CIDRs × 1 port = 61 ingress rules, but a security group holds 60"},
		{"existing ALB in another region", Config{Provider: Provider{ExistingALB: func() *ExistingALB {
			e := existing()
			e.ARN = strings.Replace(e.ARN, "ap-northeast-1", "us-east-1", 1)
			return e
		}()}}, "provider.existingAlb.arn \"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188\": in region us-east-1, but the provider stack deploys to ap-northeast-1 (provider.aws.region); an NLB reaches only an ALB in its own region and account"},
		{"existing ALB in another account", Config{Provider: Provider{AWS: AWS{AccountID: "999988887777"}, ExistingALB: existing()}}, "in account 111122223333, but the provider stack deploys to 999988887777 (provider.aws.accountId)"},
		{"certificate in another region", Config{Provider: Provider{CertificateARN: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555"}}, "provider.certificateArn \"arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555\": in region us-east-1, but the provider stack deploys to ap-northeast-1 (provider.aws.region); an ALB takes only certificates from ACM in its own region"},
		{"consumer with other credentials and no account", Config{Consumers: []Consumer{{AWS: AWS{Profile: "payments"}}}}, `consumers[0].aws.accountId is required: this consumer deploys with profile "payments", not the provider's (the environment's credentials)`},
		{"region typo", Config{Provider: Provider{AWS: AWS{Region: "us-est-1"}}}, `provider.aws.region "us-est-1": not an AWS region; did you mean us-east-1?`},
		{"consumer region typo", Config{Consumers: []Consumer{{AWS: AWS{Region: "us-east-9"}}}}, `consumers[0].aws.region "us-east-9": not an AWS region; did you mean us-east-1?`},
		{"flow logs with an existing ALB", Config{Provider: Provider{ExistingALB: existing(), FlowLogs: FlowLogs{RetentionDays: 4}}}, "provider.flowLogs only configures the demo ALB; with provider.existingAlb remove it"},
		{"flow logs with an existing VPC", Config{Consumers: []Consumer{{ExistingVPC: &ExistingVPC{VPCID: "vpc-0a1b2c3d4e5f60718", SubnetIDs: []string{"subnet-0a1b2c3d4e5f60718", "subnet-1a2b3c4d5e6f70819"}}, FlowLogs: FlowLogs{KMSKeyARN: "x"}}}}, "consumers[0].flowLogs only configures the demo VPC; with existingVpc remove it"},
		{"long workspace name of an accept stack", Config{State: State{Backend: "cloud", Cloud: CloudState{Organization: "acme", WorkspacePrefix: strings.Repeat("p", 45)}},
			Provider: Provider{AWS: AWS{AccountID: "111111111111"}}, Consumers: []Consumer{{Name: strings.Repeat("n", 30), AWS: AWS{AccountID: "444455556666"}}}},
			`state.cloud.workspacePrefix "` + strings.Repeat("p", 45) + `": workspace "` + strings.Repeat("p", 45) + `accept-consumer-` + strings.Repeat("n", 30) + `" is 91 characters; HCP Terraform allows 90`},
		{"auto accept with no provider account", Config{Consumers: []Consumer{{AWS: AWS{AccountID: "444455556666"}, AutoAccept: &yes}}}, "consumers[0].autoAccept only works in the provider's account (provider.aws.accountId is not set), not 444455556666"},
		{"malformed certificate reported once", Config{Provider: Provider{CertificateARN: "arn:aws:acm:eu-west-1:123456789012:cert/abc"}}, `provider.certificateArn "arn:aws:acm:eu-west-1:123456789012:cert/abc": want an ACM certificate ARN`},
		{"nothing to deploy", Config{Provider: Provider{Enabled: &no}, Consumers: []Consumer{}}, "consumers is empty and provider.enabled is false: nothing to deploy"},
		{"bad consumer name", Config{Consumers: []Consumer{{Name: "Team_A"}}}, `consumers[0].name "Team_A": want 1-30 lower-case letters`},
		{"duplicate consumer names", Config{Consumers: []Consumer{{Name: "a"}, {Name: "b"}, {Name: "a"}}}, `consumers[2].name "a": already used by consumers[0]`},
		{"consumer without service, no provider", Config{Provider: Provider{Enabled: &no}}, "consumers[0].serviceName is required when provider.enabled is false"},
		{"placeholder service", Config{Consumers: []Consumer{{ServiceName: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-xxxxxxxx"}}}, `consumers[0].serviceName "com.amazonaws.vpce.ap-northeast-1.vpce-svc-xxxxxxxx": want an endpoint service name`},
		{"service region without name", Config{Consumers: []Consumer{{ServiceRegion: "us-east-1"}}}, "consumers[0].serviceRegion only applies with serviceName"},
		{"consumer AZ names", Config{Consumers: []Consumer{{AZIDs: []string{"ap-northeast-1a", "ap-northeast-1d"}}}}, `consumers[0].azIds[0] "ap-northeast-1a"`},
		{"consumer region without AZ default", Config{Consumers: []Consumer{{AWS: AWS{Region: "sa-east-1"}}}}, "consumers[0].azIds is required in sa-east-1"},
		{"consumer public subnets", Config{Consumers: []Consumer{{SubnetCIDRs: SubnetCIDRs{Public: []string{"10.20.0.0/20", "10.20.16.0/20"}}}}}, "consumers[0].subnetCidrs.public a consumer has no public subnets"},
		{"existing VPC with demo keys", Config{Consumers: []Consumer{{VPCCIDR: "10.30.0.0/16", ExistingVPC: &ExistingVPC{VPCID: "vpc-0a1b2c3d4e5f60718", SubnetIDs: []string{"subnet-0a1b2c3d4e5f60718", "subnet-1a2b3c4d5e6f70819"}}}}}, "consumers[0].vpcCidr only configures the demo VPC"},
		{"existing VPC without subnets", Config{Consumers: []Consumer{{ExistingVPC: &ExistingVPC{VPCID: "vpc-0a1b2c3d4e5f60718"}}}}, "consumers[0].existingVpc.subnetIds has 0, want at least 2"},
		{"existing VPC without ID", Config{Consumers: []Consumer{{ExistingVPC: &ExistingVPC{SubnetIDs: []string{"subnet-0a1b2c3d4e5f60718", "subnet-1a2b3c4d5e6f70819"}}}}}, "consumers[0].existingVpc.vpcId is required"},
		{"existing VPC duplicate subnet", Config{Consumers: []Consumer{{ExistingVPC: &ExistingVPC{VPCID: "vpc-0a1b2c3d4e5f60718", SubnetIDs: []string{"subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60718"}}}}}, `consumers[0].existingVpc.subnetIds[1] "subnet-0a1b2c3d4e5f60718": listed twice`},
		{"consumer subnet count", Config{Consumers: []Consumer{{SubnetCIDRs: SubnetCIDRs{Private: []string{"10.20.0.0/20", "10.20.16.0/20", "10.20.32.0/20"}}}}}, "consumers[0].subnetCidrs.private has 3, want one per AZ ID (2)"},
		{"bad service region", Config{Consumers: []Consumer{{ServiceName: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0", ServiceRegion: "Tokyo"}}}, `consumers[0].serviceRegion "Tokyo"`},
		{"consumer account", Config{Consumers: []Consumer{{AWS: AWS{AccountID: "4444-5555-6666"}}}}, `consumers[0].aws.accountId "4444-5555-6666"`},
		{"bad suppression", Config{Policy: Policy{Suppressions: []Suppression{{Rule: "PL005", Path: "provider", Reason: "ok"}}}}, `policy.suppressions[0] reason "ok": write why`},
		{"existing VPC bad CIDR", Config{Consumers: []Consumer{{ExistingVPC: &ExistingVPC{VPCID: "vpc-0a1b2c3d4e5f60718", SubnetIDs: []string{"subnet-0a1b2c3d4e5f60718", "subnet-1a2b3c4d5e6f70819"}, CIDR: "10.0.0.0"}}}}, `consumers[0].existingVpc.cidr "10.0.0.0"`},
		{"client CIDR", Config{Consumers: []Consumer{{ClientCIDRs: []string{"10.20.0.0/33"}}}}, `consumers[0].clientCidrs[0] "10.20.0.0/33"`},
		{"consumer port", Config{Consumers: []Consumer{{Ports: []int{443, 70000}}}}, "consumers[0].ports[1] 70000: want a TCP port"},
		{"consumer duplicate port", Config{Consumers: []Consumer{{Ports: []int{443, 443}}}}, "consumers[0].ports[1] 443: listed twice"},
		{"custom domain", Config{Consumers: []Consumer{{CustomDomain: "App.Example.com"}}}, `consumers[0].customDomain "App.Example.com"`},
		{"custom domain and private DNS", Config{Consumers: []Consumer{{CustomDomain: "app.example.com", PrivateDNSEnabled: true}}}, `consumers[0].customDomain "app.example.com": private DNS is enabled too, and both would claim the name`},
		{"health check protocol against the demo listener", Config{Provider: Provider{HealthCheck: HealthCheck{Protocol: "HTTPS"}}}, `provider.healthCheck.protocol "HTTPS": the ALB listener on port 80 does not speak HTTPS`},
		{"health check protocol against an existing listener", Config{Provider: Provider{ExistingALB: existing(), HealthCheck: HealthCheck{Protocol: "HTTP"}}}, `provider.healthCheck.protocol "HTTP": the ALB listener on port 443 does not speak HTTP`},
		{"auto accept external service", Config{Consumers: []Consumer{{ServiceName: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0", AutoAccept: &yes}}}, "consumers[0].autoAccept only works for the provider in this app"},
		{"auto accept cross-region", Config{Consumers: []Consumer{{AWS: AWS{Region: "us-east-1"}, AutoAccept: &yes}}}, "consumers[0].autoAccept only works in the provider's region (ap-northeast-1), not us-east-1"},
		{"auto accept cross-account", Config{Provider: Provider{AWS: AWS{AccountID: "111111111111"}}, Consumers: []Consumer{{AWS: AWS{AccountID: "222222222222"}, AutoAccept: &yes}}}, "consumers[0].autoAccept only works in the provider's account (111111111111), not 222222222222"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Resolve(tc.cfg)
			if err == nil {
				t.Fatalf("accepted; want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error does not contain %q:\n%v", tc.want, err)
			}
			if _, ok := err.(Errors); !ok || !IsError(err) {
				t.Errorf("error is %T, want Errors", err)
			}
		})
	}
}

func manyCIDRs(n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("10.20.%d.0/24", i))
	}
	return out
}

// A stack's name comes from its consumer's own name, never its place in
// the list; tags set on the provider reach every consumer stack.
func TestStackNamesAndInheritedTags(t *testing.T) {
	r, err := Resolve(Config{
		Provider:  Provider{AWS: AWS{DefaultTags: map[string]string{"Owner": "platform", "CostCenter": "42"}}},
		Consumers: []Consumer{{Name: "payments", AWS: AWS{DefaultTags: map[string]string{"Owner": "payments"}}}, {}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.StackName(0) != "consumer-payments" || r.StackName(1) != "consumer" {
		t.Errorf("stack names %q, %q; want consumer-payments, consumer", r.StackName(0), r.StackName(1))
	}
	if got := r.Consumers[0].AWS.DefaultTags; !maps.Equal(got, map[string]string{"Owner": "payments", "CostCenter": "42"}) {
		t.Errorf("named consumer's tags %v: want the provider's, its own Owner winning", got)
	}
	if got := r.Consumers[1].AWS.DefaultTags; !maps.Equal(got, map[string]string{"Owner": "platform", "CostCenter": "42"}) {
		t.Errorf("unnamed consumer's tags %v: want the provider's", got)
	}
	reordered, err := Resolve(Config{Consumers: []Consumer{{}, {Name: "payments"}}})
	if err != nil || reordered.StackName(1) != "consumer-payments" || reordered.StackName(0) != "consumer" {
		t.Errorf("reordered: %q, %q (%v)", reordered.StackName(0), reordered.StackName(1), err)
	}
	alone, err := Resolve(Config{Consumers: []Consumer{}})
	if err != nil || len(alone.Consumers) != 0 {
		t.Errorf("consumers: [] is the provider alone, got %d consumers (%v)", len(alone.Consumers), err)
	}
}

// A malformed ARN is reported as malformed, not again as being elsewhere.
func TestMalformedARNsAreReportedOnce(t *testing.T) {
	for _, c := range []Config{
		{Provider: Provider{CertificateARN: "arn:aws:acm:eu-west-1:123456789012:cert/abc"}},
		{Provider: Provider{ExistingALB: &ExistingALB{
			ARN: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/web/50dc6c495c0c9188", Listeners: []Listener{{443, "HTTPS"}},
			VPCID: "vpc-0a1b2c3d4e5f60718", SubnetIDs: []string{"subnet-0a1b2c3d4e5f60718", "subnet-1a2b3c4d5e6f70819"},
		}}},
	} {
		_, err := Resolve(c)
		if errs, _ := err.(Errors); len(errs) != 1 {
			t.Errorf("want one problem, got %v", err)
		}
	}
}

// A duplicate listener port is reported where it was written, not again
// at a consumer that only inherits the provider's ports.
func TestDuplicateListenerPortIsReportedOnce(t *testing.T) {
	_, err := Parse([]byte(`provider:
  existingAlb:
    arn: arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188
    vpcId: vpc-0a1b2c3d4e5f60718
    subnetIds: [subnet-0a1b2c3d4e5f60718, subnet-1a2b3c4d5e6f70819]
    listeners:
      - {port: 443, protocol: HTTPS}
      - {port: 443, protocol: HTTPS}
`))
	if err == nil || err.Error() != "line 8: provider.existingAlb.listeners[1].port 443: listed twice; one target group per port" {
		t.Errorf("error = %v; want only the listener's line", err)
	}
}

func (p Provider) withHealthCheckInterval(s int) Provider {
	p.HealthCheck.IntervalSeconds = s
	return p
}

func TestValidKeyPrefixes(t *testing.T) {
	for _, prefix := range []string{"alb-privatelink", "env=prod/privatelink", "teams/net work/pl", "a.b_c-d!*'()"} {
		c := Config{State: State{Backend: "s3", S3: S3State{Bucket: "tf-state", KeyPrefix: prefix}}}
		if _, err := Resolve(c); err != nil {
			t.Errorf("key prefix %q rejected: %v", prefix, err)
		}
	}
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	c := Config{
		Provider:  Provider{AZIDs: []string{"apne1-az1"}, AllowedPrincipals: []string{"x"}},
		Consumers: []Consumer{{Ports: []int{0}}, {}},
	}
	_, err := Resolve(c)
	errs, ok := err.(Errors)
	// The consumers inherit the provider's bad zones; that is reported
	// once. Port 0 is reported once, not also as a port the service lacks.
	if !ok || len(errs) != 4 {
		t.Fatalf("want 4 problems, got %d:\n%v", len(errs), errs)
	}
}

func TestAZIDPrefix(t *testing.T) {
	for region, want := range map[string]string{
		"ap-northeast-1": "apne1", "us-east-1": "use1", "us-west-2": "usw2", "eu-central-1": "euc1",
		"ap-southeast-2": "apse2", "eu-north-1": "eun1", "us-gov-west-1": "usgw1", "ca-central-1": "cac1",
		"ap-south-1": "aps1", "il-central-1": "ilc1", "weird": "", "xx-upward-1": "",
	} {
		if got := azIDPrefix(region); got != want {
			t.Errorf("azIDPrefix(%q) = %q, want %q", region, got, want)
		}
	}
}

func TestParseReadsWhatIsWritten(t *testing.T) {
	cfg, err := Parse([]byte(`
state: {backend: s3, s3: {bucket: tf-state, dynamodbTable: tf-locks}}
provider:
  aws: {region: eu-west-1, accountId: "011122223333"}
consumers:
  - ports: [80]
    aws: {assumeRole: {roleArn: "arn:aws:iam::444455556666:role/Deployer", externalId: ext-123}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Provider.AWS.Region != "eu-west-1" || cfg.Provider.AWS.AccountID != "011122223333" ||
		cfg.State.S3.DynamoDBTable != "tf-locks" || cfg.Consumers[0].AWS.AssumeRole.ExternalID != "ext-123" {
		t.Errorf("parsed %+v", cfg)
	}
	if !cfg.IsResolved() || cfg.State.S3.KeyPrefix != "alb-privatelink" {
		t.Error("Parse must return the config resolved, with its defaults")
	}
	// Derived from the consumers: the other account may connect.
	if !slices.Equal(cfg.Provider.AllowedPrincipals, []string{"444455556666"}) {
		t.Errorf("allowed principals %v, want the consumer's account", cfg.Provider.AllowedPrincipals)
	}
}

func TestParseErrorsHaveLinesPathsAndFixes(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"provider:\n  regoin: eu-west-1\n", []string{`line 2: provider.regoin: unknown key; known keys here: enabled, aws,`}},
		{"provider:\n  aws:\n    regoin: eu-west-1\n", []string{`line 3: provider.aws.regoin: unknown key; did you mean "region"?`}},
		{"provider:\n  certificateARN: x\n", []string{`line 2: provider.certificateARN: unknown key; did you mean "certificateArn"?`}},
		{"consumers:\n  - ports: \"443\"\n", []string{`line 2: consumers[0].ports: got "443", want a list of numbers`}},
		{"provider:\n  acceptanceRequired: maybe\n", []string{`line 2: provider.acceptanceRequired: got "maybe", want true or false`}},
		{"provider: {}\n---\nconsumers: []\n", []string{"more than one YAML document"}},
		{"provider: [\n", []string{"yaml:"}},
		// Type errors and semantic errors come in one run, in file order.
		{"provider:\n  azIds: [apne1-az1]\n  nlb: {name: internal-x}\nconsumers:\n  - ports: [x]\n  - name: Bad\n    vpcCidr: 10.30.0.0/8\n", []string{
			"line 2: provider.azIds has 1",
			"line 3: provider.nlb.name \"internal-x\"",
			`line 5: consumers[0].ports[0]: got "x", want a whole number`,
			`line 6: consumers[1].name "Bad"`,
			`line 7: consumers[1].vpcCidr "10.30.0.0/8": host bits are set`,
		}},
		{"provider:\n  certificateArn: [a, b]\n", []string{"line 2: provider.certificateArn: got a list, want a string"}},
		{"consumers:\n  - ports: [verylongvalue]\n", []string{`line 2: consumers[0].ports[0]: got "verylongvalue", want a whole number`}},
		{"provider: [1]\n", []string{"line 1: provider: got a list, want a mapping of keys"}},
		{"[1, 2]\n", []string{"line 1: the file must be a mapping of state, provider, consumers, policy, not a list"}},
		// A wrong type on a line hides only what it explains: the bad region
		// on the same line is still reported, once.
		{"provider: {aws: {region: tokyo}, acceptanceRequired: maybe}\n", []string{
			`line 1: provider.acceptanceRequired: got "maybe", want true or false`,
			`line 1: provider.aws.region "tokyo": want an AWS region`,
		}},
		// A missing required key points at its parent's line.
		{"state:\n  backend: s3\nprovider: {}\n", []string{"line 1: state.s3.bucket is required"}},
		// A file must say what to deploy: never the demo by accident.
		{"", []string{"the file is empty"}},
		{"# nothing but a comment\n", []string{"the file is empty"}},
		{"state: {backend: local}\n", []string{"line 1: the file has neither provider nor consumers"}},
	}
	for _, tc := range cases {
		t.Run(strings.ReplaceAll(tc.in, "\n", "/"), func(t *testing.T) {
			_, err := Parse([]byte(tc.in))
			if err == nil {
				t.Fatalf("accepted %q", tc.in)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
			if len(tc.want) > 1 {
				if lines := strings.Split(err.Error(), "\n"); len(lines) != len(tc.want) {
					t.Errorf("want %d problems, one per line, got:\n%v", len(tc.want), err)
				}
			}
		})
	}
}

func TestLoad(t *testing.T) {
	if cfg, err := Load(""); err != nil || !cfg.IsResolved() || cfg.Provider.AWS.Region != DefaultRegion {
		t.Errorf("no file: %+v, %v", cfg, err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "config file") {
		t.Errorf("missing file: %v", err)
	}
	path := filepath.Join(t.TempDir(), "c.json")
	if err := os.WriteFile(path, []byte(`{"provider": {"nlb": {"deletionProtection": true}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil || !*cfg.Provider.NLB.DeletionProtection {
		t.Errorf("JSON file: %+v, %v", cfg, err)
	}
	if err := os.WriteFile(path, []byte(`{"provider": {"nlb": {"name": "-x"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "provider.nlb.name") {
		t.Errorf("bad JSON file: %v", err)
	}
}

// Every checked-in example config loads, validates and names stacks as documented.
func TestExampleConfigsAreValid(t *testing.T) {
	paths, _ := filepath.Glob("../examples/config/*.yaml")
	paths = append(paths, "../config.example.yaml")
	if len(paths) < 7 {
		t.Fatalf("found %d example configs, want the 6 in examples/config and config.example.yaml", len(paths))
	}
	for _, p := range paths {
		if _, err := Load(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// Every key the loader accepts is documented, with its default, in
// config.example.yaml (README and docs/configuration.md point there for
// the reference).
func TestExampleConfigDocumentsEveryKey(t *testing.T) {
	raw, err := os.ReadFile("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	eachKey(reflect.TypeOf(Config{}), "", func(path, key string) {
		if !regexp.MustCompile(`(^|[\s{,#-])` + regexp.QuoteMeta(key) + `:`).MatchString(text) {
			t.Errorf("config.example.yaml does not document %s%s", path, key)
		}
	})
}

// Every key the loader accepts is named, as `key`, in the configuration
// reference docs/configuration.md.
func TestConfigurationDocNamesEveryKey(t *testing.T) {
	raw, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	eachKey(reflect.TypeOf(Config{}), "", func(path, key string) {
		if !regexp.MustCompile("`([A-Za-z.\\[\\]]*\\.)?" + regexp.QuoteMeta(key) + "[`:]").MatchString(text) {
			t.Errorf("docs/configuration.md does not name %s%s", path, key)
		}
	})
}

// eachKey calls f with every YAML key of typ, and the path above it.
func eachKey(typ reflect.Type, path string, f func(path, key string)) {
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < typ.NumField(); i++ {
		key := yamlKey(typ.Field(i))
		if key == "" {
			continue
		}
		f(path, key)
		eachKey(typ.Field(i).Type, path+key+".", f)
	}
}

// The stacks accept only a Resolved made by Resolve.
func TestZeroResolvedIsNotResolved(t *testing.T) {
	if (Resolved{}).IsResolved() {
		t.Error("the zero Resolved claims to be resolved")
	}
	r, err := Resolve(Config{})
	if err != nil || !r.IsResolved() {
		t.Errorf("Resolve(demo) = %v, %v", r.IsResolved(), err)
	}
}

// Resolving twice changes nothing: the derived principals and regions are
// added once.
func TestResolveIsIdempotent(t *testing.T) {
	c := Config{
		Provider:  Provider{AWS: AWS{AccountID: "111111111111"}},
		Consumers: []Consumer{{AWS: AWS{AccountID: "222222222222", Region: "us-east-1"}}},
	}
	once, err := Resolve(c)
	if err != nil {
		t.Fatal(err)
	}
	twice, err := Resolve(once.Config)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(once.Provider.AllowedPrincipals, []string{"222222222222"}) || !slices.Equal(once.Provider.SupportedRegions, []string{"us-east-1"}) ||
		!slices.Equal(twice.Provider.AllowedPrincipals, once.Provider.AllowedPrincipals) || !slices.Equal(twice.Provider.SupportedRegions, once.Provider.SupportedRegions) {
		t.Errorf("once %v %v, twice %v %v", once.Provider.AllowedPrincipals, once.Provider.SupportedRegions, twice.Provider.AllowedPrincipals, twice.Provider.SupportedRegions)
	}
	if len(c.Provider.AllowedPrincipals) != 0 {
		t.Error("Resolve changed its argument")
	}
}

// The doctor checks the ports the endpoint really admits: the construct's
// rule (package rules), not a copy of it.
func TestClientPortsFollowTheEndpointsRule(t *testing.T) {
	demo, err := Resolve(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if got := demo.ClientPorts(0); !slices.Equal(got, []int{80}) {
		t.Errorf("demo consumer ports = %v, want the demo listener's [80]", got)
	}
	cfg, err := Resolve(Config{Consumers: []Consumer{
		{Name: "a", Ports: []int{80}},
		{Name: "b", ServiceName: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.ClientPorts(0); !slices.Equal(got, []int{80}) {
		t.Errorf("consumer with ports = %v, want [80]", got)
	}
	if got := cfg.ClientPorts(1); !slices.Equal(got, []int{443}) {
		t.Errorf("consumer of an outside service = %v, want the endpoint's default [443]", got)
	}
}

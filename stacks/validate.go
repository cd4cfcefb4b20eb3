package stacks

import (
	"fmt"
	"maps"
	"net"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
)

// FieldError is one configuration problem. Path uses the file's keys
// ("consumers[1].existingVpc.subnetIds[0]"); Line is filled in by the loader
// when the problem's key is in the file.
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

// ConfigErrors are all the problems of one config, reported together.
type ConfigErrors []FieldError

func (e ConfigErrors) Error() string {
	lines := make([]string, len(e))
	for i, fe := range e {
		lines[i] = fe.Error()
	}
	return strings.Join(lines, "\n")
}

type checker struct{ errs ConfigErrors }

// addf records a problem at path; the message starts with the path.
func (c *checker) addf(path, format string, args ...any) {
	c.errs = append(c.errs, FieldError{Path: path, Msg: path + " " + fmt.Sprintf(format, args...)})
}

// add records an error whose message already names path.
func (c *checker) add(path string, err error) {
	if err != nil {
		c.errs = append(c.errs, FieldError{Path: path, Msg: err.Error()})
	}
}

var (
	azIDRe      = regexp.MustCompile(`^[a-z]{2,}[0-9]+-az[0-9]+$`)
	certARNRe   = regexp.MustCompile(`^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$`)
	roleARNRe   = regexp.MustCompile(`^arn:(aws(?:-[a-z]+)*):iam::([0-9]{12}):role/[\w+=,.@/-]{1,512}$`)
	accountRe   = regexp.MustCompile(`^[0-9]{12}$`)
	nameRe      = regexp.MustCompile(`^[a-z][a-z0-9-]{0,28}[a-z0-9]$|^[a-z]$`)
	bucketRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	tableRe     = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,255}$`)
	tfcNameRe   = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	hostnameRe  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?$`)
	externalRe  = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
	sessionRe   = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
	kmsKeyRe    = regexp.MustCompile(`^(arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/.+|alias/.+|[0-9a-f-]{36})$`)
	projectRe   = regexp.MustCompile(`^[A-Za-z0-9 _-]{3,40}$`)
	kmsKeyARNRe = regexp.MustCompile(`^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$`)
	keyPrefixRe = regexp.MustCompile(`^[^\x00-\x1f\x7f\\{}^%` + "`" + `\]"<>\[~#|]+$`) // S3's "avoid" characters excluded
)

// Validate applies the defaults and returns ConfigErrors listing every
// problem, each naming its setting and the fix. The constructs check their
// own props again when the stacks are built.
func (c AppConfig) Validate() error {
	c = c.WithDefaults()
	var ck checker
	c.checkState(&ck)
	if c.ProviderEnabled() {
		c.checkProvider(&ck)
	}
	for i, sup := range c.Policy.Suppressions {
		if err := sup.Validate(); err != nil {
			ck.addf(fmt.Sprintf("policy.suppressions[%d]", i), "%s", err)
		}
	}
	seen := map[string]int{}
	for i := range c.Consumers {
		c.checkConsumer(&ck, i)
		name := c.Consumers[i].Name
		if j, dup := seen[name]; dup && name != "" {
			ck.addf(fmt.Sprintf("consumers[%d].name", i), "%q: already used by consumers[%d]; names must be unique (they name the stacks)", name, j)
		}
		seen[name] = i
	}
	if len(ck.errs) == 0 {
		return nil
	}
	return ck.errs
}

func (c AppConfig) checkState(ck *checker) {
	s := c.State
	switch s.Backend {
	case "local", "s3", "cloud":
	default:
		ck.addf("state.backend", "%q: want local, s3 or cloud", s.Backend)
	}
	if s.Backend != "s3" && (s.S3 != S3State{}) {
		ck.addf("state.s3", "is set, but state.backend is %q; set backend: s3 or remove it", s.Backend)
	}
	if s.Backend != "cloud" && (s.Cloud != CloudState{}) {
		ck.addf("state.cloud", "is set, but state.backend is %q; set backend: cloud or remove it", s.Backend)
	}
	if s.Backend == "s3" {
		b := s.S3
		switch {
		case b.Bucket == "":
			ck.addf("state.s3.bucket", "is required: the S3 bucket that keeps the state")
		case !bucketRe.MatchString(b.Bucket) || strings.Contains(b.Bucket, "..") || net.ParseIP(b.Bucket) != nil:
			ck.addf("state.s3.bucket", "%q: want 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit", b.Bucket)
		}
		if !keyPrefixRe.MatchString(b.KeyPrefix) || strings.HasPrefix(b.KeyPrefix, "/") || strings.HasSuffix(b.KeyPrefix, "/") ||
			strings.Contains(b.KeyPrefix, "//") || strings.Contains(b.KeyPrefix, "..") {
			ck.addf("state.s3.keyPrefix", "%q: want a path such as teams/network/privatelink, without leading or trailing slash", b.KeyPrefix)
		}
		ck.add("state.s3.region", privatelink.ValidateRegion("state.s3.region", b.Region))
		if b.DynamoDBTable != "" && !tableRe.MatchString(b.DynamoDBTable) {
			ck.addf("state.s3.dynamodbTable", "%q: want 3-255 letters, digits, underscores, dots or hyphens", b.DynamoDBTable)
		}
		if b.KMSKeyID != "" && !kmsKeyRe.MatchString(b.KMSKeyID) {
			ck.addf("state.s3.kmsKeyId", "%q: want a KMS key ARN, key ID or alias/NAME", b.KMSKeyID)
		}
		if b.KMSKeyID != "" && !*b.Encrypt {
			ck.addf("state.s3.kmsKeyId", "is set but state.s3.encrypt is false; a KMS key needs encryption on")
		}
		if b.RoleARN != "" && !roleARNRe.MatchString(b.RoleARN) {
			ck.addf("state.s3.roleArn", "%q: want an IAM role ARN such as arn:aws:iam::111122223333:role/TerraformState", b.RoleARN)
		}
		checkProfile(ck, "state.s3.profile", b.Profile)
	}
	if s.Backend == "cloud" {
		cl := s.Cloud
		switch {
		case cl.Organization == "":
			ck.addf("state.cloud.organization", "is required: the HCP Terraform organization")
		case !tfcNameRe.MatchString(cl.Organization):
			ck.addf("state.cloud.organization", "%q: want letters, digits, underscores and hyphens", cl.Organization)
		}
		if !hostnameRe.MatchString(cl.Hostname) {
			ck.addf("state.cloud.hostname", "%q: want a host name such as app.terraform.io", cl.Hostname)
		}
		if !tfcNameRe.MatchString(cl.WorkspacePrefix) {
			ck.addf("state.cloud.workspacePrefix", "%q: want letters, digits, underscores and hyphens", cl.WorkspacePrefix)
		} else if n := len(cl.WorkspacePrefix) + len("consumer-") + 30; n > 90 {
			ck.addf("state.cloud.workspacePrefix", "%q: too long; workspace names (prefix + stack name) must fit in 90 characters", cl.WorkspacePrefix)
		}
		if cl.Project != "" && !projectRe.MatchString(cl.Project) {
			ck.addf("state.cloud.project", "%q: want 3-40 letters, digits, spaces, underscores or hyphens", cl.Project)
		}
	}
}

func checkProfile(ck *checker, path, profile string) {
	if profile != "" && (strings.TrimSpace(profile) != profile || strings.ContainsAny(profile, "[]\n")) {
		ck.addf(path, "%q: want a profile name from ~/.aws/config, without spaces around it", profile)
	}
}

// checkAWS checks a stack's AWS settings; an empty region was checked elsewhere.
func checkAWS(ck *checker, path string, a AWSConfig) {
	if a.Region != "" {
		ck.add(path+".region", privatelink.ValidateRegion(path+".region", a.Region))
	}
	checkProfile(ck, path+".profile", a.Profile)
	if a.AccountID != "" && !accountRe.MatchString(a.AccountID) {
		ck.addf(path+".accountId", "%q: want a 12-digit AWS account ID (quote it in YAML to keep leading zeros)", a.AccountID)
	}
	if r := a.AssumeRole; r != nil {
		m := roleARNRe.FindStringSubmatch(r.RoleARN)
		switch {
		case r.RoleARN == "":
			ck.addf(path+".assumeRole.roleArn", "is required: the IAM role Terraform assumes for this stack")
		case m == nil:
			ck.addf(path+".assumeRole.roleArn", "%q: want an IAM role ARN such as arn:aws:iam::111122223333:role/Deployer", r.RoleARN)
		case a.AccountID != m[2]:
			ck.addf(path+".assumeRole.roleArn", "%q: in account %s, but %s.accountId is %s", r.RoleARN, m[2], path, a.AccountID)
		}
		if r.ExternalID != "" && (len(r.ExternalID) < 2 || len(r.ExternalID) > 1224 || !externalRe.MatchString(r.ExternalID)) {
			ck.addf(path+".assumeRole.externalId", "%q: want 2-1224 letters, digits or +=,.@:/-", r.ExternalID)
		}
		if r.SessionName != "" && !sessionRe.MatchString(r.SessionName) {
			ck.addf(path+".assumeRole.sessionName", "%q: want 2-64 letters, digits or +=,.@-", r.SessionName)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(a.DefaultTags)) {
		v := a.DefaultTags[k]
		if k == "" || len(k) > 128 || strings.HasPrefix(strings.ToLower(k), "aws:") {
			ck.addf(path+".defaultTags", "key %q: want 1-128 characters, not starting with aws:", k)
		}
		if len(v) > 256 {
			ck.addf(path+".defaultTags."+k, "is %d characters; the limit is 256", len(v))
		}
	}
}

func (c AppConfig) checkProvider(ck *checker) {
	p := c.Provider
	checkAWS(ck, "provider.aws", p.AWS)
	if e := p.ExistingALB; e != nil {
		const path = "provider.existingAlb"
		for _, demoOnly := range []struct {
			key string
			set bool
		}{
			{"vpcCidr", p.VPCCIDR != ""},
			{"subnetCidrs", len(p.SubnetCIDRs.Public)+len(p.SubnetCIDRs.Private) > 0},
			{"certificateArn", p.CertificateARN != ""},
			{"albDeletionProtection", p.ALBDeletionProtection},
		} {
			if demoOnly.set {
				ck.addf("provider."+demoOnly.key, "only configures the demo ALB; with provider.existingAlb remove it")
			}
		}
		checkAZIDs(ck, "provider.azIds", p.AWS.Region, p.AZIDs)
		if e.ARN == "" {
			ck.addf(path+".arn", "is required: the ARN of the ALB to publish")
		} else {
			ck.add(path+".arn", privatelink.ValidateALBARN(path+".arn", e.ARN))
		}
		if len(e.Listeners) == 0 {
			ck.addf(path+".listeners", "is required: at least one listener (port and protocol) of the ALB")
		}
		ports := map[int]bool{}
		for i, l := range e.Listeners {
			lp := fmt.Sprintf("%s.listeners[%d]", path, i)
			ck.add(lp+".port", privatelink.ValidatePort(lp+".port", l.Port))
			if ports[l.Port] {
				ck.addf(lp+".port", "%d: listed twice", l.Port)
			}
			ports[l.Port] = true
			if proto := strings.ToUpper(l.Protocol); proto != "HTTPS" && proto != "HTTP" {
				ck.addf(lp+".protocol", "%q: want HTTPS or HTTP (the ALB listener's protocol)", l.Protocol)
			}
		}
		checkNetwork(ck, path, e.VPCID, "the ALB's VPC, where the NLB goes", e.SubnetIDs)
		if e.SecurityGroupID != "" {
			ck.add(path+".securityGroupId", privatelink.ValidateResourceID(path+".securityGroupId", "sg", e.SecurityGroupID))
		}
	} else {
		checkAZIDs(ck, "provider.azIds", p.AWS.Region, p.AZIDs)
		checkDemoVPC(ck, "provider", p.VPCCIDR, len(p.AZIDs), p.SubnetCIDRs, true)
		checkFlowLogs(ck, "provider.flowLogs", p.FlowLogs)
		if p.CertificateARN != "" && !certARNRe.MatchString(p.CertificateARN) {
			ck.addf("provider.certificateArn", "%q: want an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)", p.CertificateARN)
		}
	}
	for i, raw := range p.AllowedPrincipals {
		path := fmt.Sprintf("provider.allowedPrincipals[%d]", i)
		arn, err := privatelink.NormalizePrincipal(raw)
		switch {
		case err != nil:
			ck.addf(path, "%s", strings.TrimPrefix(err.Error(), "allowed principal "))
		case arn == "*" && !*p.AcceptanceRequired:
			ck.addf(path, `"*": lets anyone in the partition connect; set provider.acceptanceRequired: true or list account IDs`)
		}
	}
	for i, r := range p.SupportedRegions {
		path := fmt.Sprintf("provider.supportedRegions[%d]", i)
		ck.add(path, privatelink.ValidateRegion(path, r))
	}
	ck.add("provider.nlb.name", privatelink.ValidateLBName("provider.nlb.name", p.NLB.Name))
	p.HealthCheck.Check(func(field, problem string) {
		ck.addf("provider.healthCheck."+lowerFirst(field), "%s", problem)
	})
}

func (c AppConfig) checkConsumer(ck *checker, i int) {
	k := c.Consumers[i]
	path := fmt.Sprintf("consumers[%d]", i)
	switch {
	case k.Name == "":
		ck.addf(path+".name", "is required for every consumer but the first (it names the stack consumer-NAME)")
	case !nameRe.MatchString(k.Name):
		ck.addf(path+".name", "%q: want 1-30 lower-case letters, digits and hyphens, starting with a letter", k.Name)
	}
	aws := k.AWS
	if c.ProviderEnabled() && aws.Region == c.Provider.AWS.Region {
		aws.Region = "" // inherited from the provider, and checked there
	}
	checkAWS(ck, path+".aws", aws)

	switch {
	case k.ServiceName != "":
		ck.add(path+".serviceName", privatelink.ValidateServiceName(path+".serviceName", k.ServiceName))
	case !c.ProviderEnabled():
		ck.addf(path+".serviceName", "is required when provider.enabled is false: the service to connect to (com.amazonaws.vpce.REGION.vpce-svc-ID)")
	}
	if k.ServiceRegion != "" {
		ck.add(path+".serviceRegion", privatelink.ValidateRegion(path+".serviceRegion", k.ServiceRegion))
		if k.ServiceName == "" {
			ck.addf(path+".serviceRegion", "only applies with serviceName; for the provider in this app the region is wired for you")
		}
	}

	if v := k.ExistingVPC; v != nil {
		vp := path + ".existingVpc"
		for _, demoOnly := range []struct {
			key string
			set bool
		}{
			{"azIds", len(k.AZIDs) > 0},
			{"vpcCidr", k.VPCCIDR != ""},
			{"subnetCidrs", len(k.SubnetCIDRs.Private)+len(k.SubnetCIDRs.Public) > 0},
		} {
			if demoOnly.set {
				ck.addf(path+"."+demoOnly.key, "only configures the demo VPC; with existingVpc remove it")
			}
		}
		checkNetwork(ck, vp, v.VPCID, "the consumer VPC", v.SubnetIDs)
		if v.CIDR != "" {
			ck.add(vp+".cidr", privatelink.ValidateCIDR(vp+".cidr", v.CIDR))
		}
	} else {
		// Zones inherited from the provider were checked there.
		if !c.ProviderEnabled() || k.AWS.Region != c.Provider.AWS.Region || !slices.Equal(k.AZIDs, c.Provider.AZIDs) {
			checkAZIDs(ck, path+".azIds", k.AWS.Region, k.AZIDs)
		}
		checkDemoVPC(ck, path, k.VPCCIDR, len(k.AZIDs), k.SubnetCIDRs, false)
		checkFlowLogs(ck, path+".flowLogs", k.FlowLogs)
	}
	privatelink.EachUnique(path+".clientCidrs", k.ClientCIDRs, privatelink.ValidateCIDR, ck.add)
	privatelink.EachUnique(path+".ports", k.Ports, privatelink.ValidatePort, ck.add)
	if k.CustomDomain != "" {
		ck.add(path+".customDomain", privatelink.ValidateDomainName(path+".customDomain", strings.TrimSuffix(k.CustomDomain, ".")))
		if k.PrivateDNSEnabled {
			ck.addf(path+".customDomain", "and privateDnsEnabled both claim the name in the VPC; choose one")
		}
	}
	if *k.AutoAccept {
		switch {
		case k.ServiceName != "" || !c.ProviderEnabled():
			ck.addf(path+".autoAccept", "only works for the provider in this app; the owner of %s accepts instead", orDefault(k.ServiceName, "the service"))
		case !c.sameAccount(k):
			ck.addf(path+".autoAccept", "only works in the provider's account (%s), not %s; remove it and an accept-%s stack accepts with the provider's credentials", c.Provider.AWS.AccountID, k.AWS.AccountID, c.StackName(i))
		case k.AWS.Region != c.Provider.AWS.Region:
			ck.addf(path+".autoAccept", "only works in the provider's region (%s), not %s; remove it and an accept-%s stack accepts in the provider's region", c.Provider.AWS.Region, k.AWS.Region, c.StackName(i))
		}
	}
}

func checkFlowLogs(ck *checker, path string, f FlowLogsConfig) {
	if !slices.Contains(retentionDays, f.RetentionDays) {
		ck.addf(path+".retentionDays", "%d: want one of CloudWatch Logs' values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653", f.RetentionDays)
	}
	if f.KMSKeyARN != "" && !kmsKeyARNRe.MatchString(f.KMSKeyARN) {
		ck.addf(path+".kmsKeyArn", "%q: want a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID); CloudWatch Logs takes no aliases", f.KMSKeyARN)
	}
}

// checkNetwork checks PATH.vpcId (purpose says what it is for when
// missing) and PATH.subnetIds.
func checkNetwork(ck *checker, path, vpcID, purpose string, subnetIDs []string) {
	if vpcID == "" {
		ck.addf(path+".vpcId", "is required: %s", purpose)
	} else {
		ck.add(path+".vpcId", privatelink.ValidateResourceID(path+".vpcId", "vpc", vpcID))
	}
	checkSubnetIDs(ck, path+".subnetIds", subnetIDs)
}

func checkSubnetIDs(ck *checker, path string, ids []string) {
	if len(ids) < 2 {
		ck.addf(path, "has %d, want at least 2 subnets in different Availability Zones", len(ids))
	}
	privatelink.EachUnique(path, ids, func(f, id string) error { return privatelink.ValidateResourceID(f, "subnet", id) }, ck.add)
}

func checkAZIDs(ck *checker, path, region string, ids []string) {
	if len(ids) == 0 && privatelink.ValidateRegion("", region) != nil {
		return // the bad region is reported already
	}
	if len(ids) == 0 {
		ck.addf(path, "is required in %s (no default there): two or more AZ IDs, from `aws ec2 describe-availability-zones --region %s`", region, region)
		return
	}
	if len(ids) < 2 {
		ck.addf(path, "has %d, want at least 2 AZ IDs so one zone's outage does not cut the link", len(ids))
	}
	if len(ids) > 8 {
		ck.addf(path, "has %d; the demo network supports at most 8 zones", len(ids))
	}
	want := azIDPrefix(region)
	privatelink.EachUnique(path, ids, func(f, id string) error {
		switch {
		case !azIDRe.MatchString(id):
			return fmt.Errorf("%s %q: want an AZ ID such as apne1-az1, not a zone name (names differ between accounts)", f, id)
		case want != "" && !strings.HasPrefix(id, want+"-"):
			return fmt.Errorf("%s %q: not a zone of %s (its AZ IDs start with %s-)", f, id, region, want)
		}
		return nil
	}, ck.add)
}

// checkDemoVPC checks a demo VPC block and its optional explicit subnets:
// one per zone, inside the VPC, not overlapping.
func checkDemoVPC(ck *checker, path, cidr string, zones int, subnets SubnetCIDRs, public bool) {
	if err := privatelink.ValidateCIDR(path+".vpcCidr", cidr); err != nil {
		ck.add(path+".vpcCidr", err)
		return
	}
	vpc := netip.MustParsePrefix(cidr)
	if vpc.Bits() < 16 || vpc.Bits() > 24 {
		ck.addf(path+".vpcCidr", "%q: want a /16 to /24 block (the demo carves /20 to /28 subnets)", cidr)
		return
	}
	if !public && len(subnets.Public) > 0 {
		ck.addf(path+".subnetCidrs.public", "a consumer has no public subnets; remove it")
	}
	var all []netip.Prefix
	var names []string
	for _, group := range []struct {
		name string
		list []string
	}{{"public", subnets.Public}, {"private", subnets.Private}} {
		if len(group.list) == 0 || (group.name == "public" && !public) {
			continue
		}
		gp := path + ".subnetCidrs." + group.name
		if len(group.list) != zones {
			ck.addf(gp, "has %d, want one per AZ ID (%d)", len(group.list), zones)
		}
		for i, s := range group.list {
			sp := fmt.Sprintf("%s[%d]", gp, i)
			if err := privatelink.ValidateCIDR(sp, s); err != nil {
				ck.add(sp, err)
				continue
			}
			sub := netip.MustParsePrefix(s)
			switch {
			case !vpc.Contains(sub.Addr()) || sub.Bits() < vpc.Bits():
				ck.addf(sp, "%q: not inside %s.vpcCidr %s", s, path, cidr)
			case sub.Bits() > 28:
				ck.addf(sp, "%q: AWS subnets are /16 to /28", s)
			}
			for j, other := range all {
				if other.Overlaps(sub) {
					ck.addf(sp, "%q: overlaps %s (%s)", s, names[j], other)
				}
			}
			all = append(all, sub)
			names = append(names, sp)
		}
	}
}

// azIDPrefix derives the AZ ID prefix of a region: ap-northeast-1 ->
// apne1, us-east-1 -> use1, us-gov-west-1 -> usgw1. "" when unsure.
func azIDPrefix(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) < 3 {
		return ""
	}
	dirs := map[string]string{"north": "n", "south": "s", "east": "e", "west": "w", "central": "c",
		"northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw"}
	out := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		switch {
		case p == "gov":
			out += "g"
		case dirs[p] != "":
			out += dirs[p]
		default:
			return ""
		}
	}
	return out + parts[len(parts)-1]
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

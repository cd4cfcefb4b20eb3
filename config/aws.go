package config

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/alb-privatelink/alb-privatelink/internal/validate"
)

// DefaultRegion is where the zero-config demo deploys (the seed article's region).
const DefaultRegion = "ap-northeast-1"

// AWS configures a stack's AWS provider: region, credentials, account.
type AWS struct {
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

var (
	roleARNRe  = regexp.MustCompile(`^arn:(aws(?:-[a-z]+)*):iam::([0-9]{12}):role/[\w+=,.@/-]{1,512}$`)
	externalRe = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
	sessionRe  = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
)

// accountOf is the configured account ID, else the account in the
// assume-role ARN, else "".
func accountOf(a AWS) string {
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

func checkProfile(ck *checker, path, profile string) {
	if profile != "" && (strings.TrimSpace(profile) != profile || strings.ContainsAny(profile, "[]\n")) {
		ck.addf(path, "%q: want a profile name from ~/.aws/config, without spaces around it", profile)
	}
}

// checkRegion checks a region setting; "" is for the caller to decide.
func checkRegion(ck *checker, path, region string) {
	if problem := validate.Region(region); problem != "" {
		ck.report(path, problem)
	}
}

// check checks a stack's AWS settings; an empty region was checked elsewhere.
func (a AWS) check(ck *checker, path string) {
	if a.Region != "" {
		checkRegion(ck, path+".region", a.Region)
	}
	checkProfile(ck, path+".profile", a.Profile)
	if a.AccountID != "" && !validate.AccountID(a.AccountID) {
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

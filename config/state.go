package config

import (
	"net"
	"regexp"
	"strings"
)

// State selects the Terraform backend for every stack.
type State struct {
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

var (
	bucketRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	tableRe     = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,255}$`)
	tfcNameRe   = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	hostnameRe  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?$`)
	kmsKeyRe    = regexp.MustCompile(`^(arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/.+|alias/.+|[0-9a-f-]{36})$`)
	projectRe   = regexp.MustCompile(`^[A-Za-z0-9 _-]{3,40}$`)
	keyPrefixRe = regexp.MustCompile(`^[^\x00-\x1f\x7f\\{}^%` + "`" + `\]"<>\[~#|]+$`) // S3's "avoid" characters excluded
)

func (s State) check(ck *checker) {
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
		checkRegion(ck, "state.s3.region", b.Region)
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
		}
		if cl.Project != "" && !projectRe.MatchString(cl.Project) {
			ck.addf("state.cloud.project", "%q: want 3-40 letters, digits, spaces, underscores or hyphens", cl.Project)
		}
	}
}

package config

import (
	"regexp"

	"github.com/alb-privatelink/alb-privatelink/internal/validate"
)

// FlowLogs configures VPC flow logs for a VPC the app creates.
type FlowLogs struct {
	// Enabled records all traffic of the demo VPC to CloudWatch Logs.
	// Default: true.
	Enabled *bool `yaml:"enabled"`
	// RetentionDays keeps the records this long; one of CloudWatch's
	// values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...). Default: 90.
	RetentionDays int `yaml:"retentionDays"`
	// KMSKeyARN encrypts the log group with your key (its policy must let
	// CloudWatch Logs use it). Default: CloudWatch Logs' own encryption.
	KMSKeyARN string `yaml:"kmsKeyArn"`
}

// On tells whether flow logs are on (the default).
func (f FlowLogs) On() bool { return f.Enabled == nil || *f.Enabled }

var kmsKeyARNRe = regexp.MustCompile(`^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$`)

func (f FlowLogs) check(ck *checker, path string) {
	if problem := validate.LogRetentionDays(f.RetentionDays); problem != "" {
		ck.report(path+".retentionDays", problem)
	}
	if f.KMSKeyARN != "" && !kmsKeyARNRe.MatchString(f.KMSKeyARN) {
		ck.addf(path+".kmsKeyArn", "%q: want a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID); CloudWatch Logs takes no aliases", f.KMSKeyARN)
	}
}

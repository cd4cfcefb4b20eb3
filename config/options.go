package config

import "github.com/alb-privatelink/alb-privatelink/constructs/privatelink/rules"

// The file's types for the provider's optional features. Each has the
// fields of the construct type of the same name (package rules documents
// them and holds their rules), spelled for the file; rules.X(v) converts.

// HealthCheck tunes the NLB's checks of the ALB (provider.healthCheck).
type HealthCheck struct {
	Protocol           string `yaml:"protocol"`
	Path               string `yaml:"path"`
	Matcher            string `yaml:"matcher"`
	IntervalSeconds    int    `yaml:"intervalSeconds"`
	TimeoutSeconds     int    `yaml:"timeoutSeconds"`
	HealthyThreshold   int    `yaml:"healthyThreshold"`
	UnhealthyThreshold int    `yaml:"unhealthyThreshold"`
}

// PrivateDNS gives the service its own name (provider.privateDns).
type PrivateDNS struct {
	Name     string `yaml:"name"`
	ZoneID   string `yaml:"zoneId"`
	ZoneName string `yaml:"zoneName"`
}

// ConnectionNotifications sends connection events to SNS
// (provider.connectionNotifications).
type ConnectionNotifications struct {
	TopicARN  string   `yaml:"topicArn"`
	KMSKeyARN string   `yaml:"kmsKeyArn"`
	Events    []string `yaml:"events"`
}

// AccessLogs writes the NLB's access logs to S3 (provider.nlb.accessLogs).
type AccessLogs struct {
	Bucket     string `yaml:"bucket"`
	Prefix     string `yaml:"prefix"`
	ExpireDays int    `yaml:"expireDays"`
}

// Options are the provider's optional features as the constructs' rules
// types, nil where the file leaves them out.
type Options struct {
	HealthCheck             rules.HealthCheck
	PrivateDNS              *rules.PrivateDNS
	ConnectionNotifications *rules.ConnectionNotifications
	AccessLogs              *rules.AccessLogs
}

// Options converts the provider's optional features.
func (p Provider) Options() Options {
	return Options{
		HealthCheck:             rules.HealthCheck(p.HealthCheck),
		PrivateDNS:              (*rules.PrivateDNS)(p.PrivateDNS),
		ConnectionNotifications: (*rules.ConnectionNotifications)(p.ConnectionNotifications),
		AccessLogs:              (*rules.AccessLogs)(p.NLB.AccessLogs),
	}
}

package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/alb-privatelink/alb-privatelink/internal/validate"
)

// PrivateDNS gives the endpoint service a DNS name of its own.
type PrivateDNS struct {
	// Name consumers reach the service by, such as api.example.com: the
	// name on the ALB's certificate. A consumer that sets PrivateDNSEnabled
	// resolves it to its endpoint with no hosted zone of its own. Required.
	Name string
	// ZoneID is the public Route 53 hosted zone (Z...) of Name or of a
	// parent domain. With it, the verification TXT record AWS asks for is
	// created there, verification is started, and the deploy waits until
	// AWS has verified the name (this can take a while).
	// Default: none; create the TXT record the service shows, and verify,
	// by hand (consumers cannot enable private DNS until then).
	ZoneID string
	// ZoneName is the domain of ZoneID (example.com); Name must be it or a
	// name under it. Required with ZoneID.
	ZoneName string
}

// ConnectionNotifications sends the service's endpoint connection events
// to an SNS topic: how a provider that requires acceptance learns that a
// consumer is waiting.
type ConnectionNotifications struct {
	// TopicARN is an existing SNS topic. Its policy must let
	// vpce.amazonaws.com publish to it (and its key, if encrypted, let the
	// service use it).
	// Default: a new topic, encrypted with KMSKeyARN or a new key, whose
	// policy lets vpce.amazonaws.com publish only for this service.
	TopicARN string
	// KMSKeyARN encrypts the new topic. Its key policy must let
	// vpce.amazonaws.com use it (kms:GenerateDataKey*, kms:Decrypt).
	// Default: a new key (rotation on, about $1 a month) that allows
	// exactly that for this account.
	KMSKeyARN string
	// Events to send: Connect, Accept, Reject, Delete.
	// Default: all four.
	Events []string
}

// AccessLogs turns on the NLB's access logs. AWS writes NLB access logs
// for TLS listeners only; this service's listeners are TCP (an alb-type
// target group requires it), so the logs stay empty unless AWS extends
// them: per-request logs are the ALB's, and the VPC flow logs record the
// NLB's traffic. The bucket, its policy and the setting are what audits
// and security scanners check for.
type AccessLogs struct {
	// Bucket is an existing S3 bucket in the NLB's region whose policy lets
	// delivery.logs.amazonaws.com write under Prefix.
	// Default: a new bucket with that policy, public access blocked,
	// versioning, encryption with a new KMS key, and expiry.
	Bucket string
	// Prefix of the log objects. Default: "nlb".
	Prefix string
	// ExpireDays removes log objects from the new bucket after that many
	// days, 1 to 3650. Default: 90.
	ExpireDays int
}

var connectionEvents = []string{"Connect", "Accept", "Reject", "Delete"}

// EventList is Events, else all four.
func (n ConnectionNotifications) EventList() []string {
	if len(n.Events) == 0 {
		return connectionEvents
	}
	return n.Events
}

// PrefixOrDefault is Prefix without its slashes, else "nlb".
func (a AccessLogs) PrefixOrDefault() string {
	if a.Prefix == "" {
		return "nlb"
	}
	return strings.Trim(a.Prefix, "/")
}

// ExpireDaysOrDefault is ExpireDays, else 90.
func (a AccessLogs) ExpireDaysOrDefault() int {
	if a.ExpireDays == 0 {
		return 90
	}
	return a.ExpireDays
}

// checkOptions reports the problems of the optional service features.
func (props Service) checkOptions(report func(field, problem string)) {
	if d := props.PrivateDNS; d != nil {
		name := strings.TrimSuffix(d.Name, ".")
		switch {
		case name == "":
			report("PrivateDNS.Name", "is required: the name consumers reach the service by (the ALB certificate's), such as api.example.com")
		case validate.DomainName(name) != "":
			report("PrivateDNS.Name", validate.DomainName(name))
		}
		zone := strings.TrimSuffix(d.ZoneName, ".")
		if d.ZoneID != "" {
			if !zoneIDRe.MatchString(d.ZoneID) {
				report("PrivateDNS.ZoneID", fmt.Sprintf("%q: want a Route 53 hosted zone ID (Z followed by letters and digits)", d.ZoneID))
			}
			if zone == "" {
				report("PrivateDNS.ZoneName", "is required with a zone ID: the zone's domain, which the name must be in")
			}
		} else if zone != "" {
			report("PrivateDNS.ZoneID", "is required with a zone name: the public hosted zone's ID (Z...)")
		}
		if zone != "" && name != "" {
			if problem := validate.DomainName(zone); problem != "" {
				report("PrivateDNS.ZoneName", problem)
			} else if name != zone && !strings.HasSuffix(name, "."+zone) {
				report("PrivateDNS.Name", fmt.Sprintf("%q: not in the zone %s (PrivateDNS.ZoneName); AWS looks for the TXT record in the name's own domain or a parent", name, zone))
			}
		}
	}
	if n := props.ConnectionNotifications; n != nil {
		if n.TopicARN != "" {
			if !snsARNRe.MatchString(n.TopicARN) {
				report("ConnectionNotifications.TopicARN", fmt.Sprintf("%q: want an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)", n.TopicARN))
			}
			if n.KMSKeyARN != "" {
				report("ConnectionNotifications.KMSKeyARN", "only encrypts a topic this service creates; an existing topic keeps its own encryption (remove one of the two)")
			}
		}
		if n.KMSKeyARN != "" && !kmsKeyARNRe.MatchString(n.KMSKeyARN) {
			report("ConnectionNotifications.KMSKeyARN", fmt.Sprintf("%q: want a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)", n.KMSKeyARN))
		}
		seen := map[string]bool{}
		for i, e := range n.Events {
			field := fmt.Sprintf("ConnectionNotifications.Events[%d]", i)
			switch {
			case !slices.Contains(connectionEvents, e):
				report(field, fmt.Sprintf("%q: want Connect, Accept, Reject or Delete", e))
			case seen[e]:
				report(field, fmt.Sprintf("%q: listed twice", e))
			}
			seen[e] = true
		}
	}
	if a := props.AccessLogs; a != nil {
		if a.Bucket != "" && !bucketRe.MatchString(a.Bucket) {
			report("AccessLogs.Bucket", fmt.Sprintf("%q: want an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)", a.Bucket))
		}
		if strings.Contains(a.Prefix, "AWSLogs") {
			report("AccessLogs.Prefix", fmt.Sprintf("%q: must not contain AWSLogs (ELB adds it itself)", a.Prefix))
		} else if a.Prefix != "" && strings.Trim(a.Prefix, "/") == "" {
			report("AccessLogs.Prefix", fmt.Sprintf("%q: want a prefix such as nlb (or leave it unset)", a.Prefix))
		}
		if a.ExpireDays < 0 || a.ExpireDays > 3650 {
			report("AccessLogs.ExpireDays", fmt.Sprintf("%d: want 1 to 3650 days", a.ExpireDays))
		} else if a.Bucket != "" && a.ExpireDays != 0 {
			report("AccessLogs.ExpireDays", "only applies to a bucket this service creates; set the expiry on your bucket")
		}
	}
}

var (
	zoneIDRe    = regexp.MustCompile("^Z[A-Z0-9]{1,32}$")
	snsARNRe    = regexp.MustCompile(`^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$`)
	kmsKeyARNRe = regexp.MustCompile(`^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$`)
	bucketRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
)

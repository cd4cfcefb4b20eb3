package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/alb-privatelink/alb-privatelink/internal/validate"
)

// Listener is one ALB listener to publish: its port and protocol.
type Listener struct {
	// Port the ALB listener listens on (1-65535).
	Port int
	// Protocol of the ALB listener: "HTTPS" or "HTTP".
	Protocol string
}

// Service is the data of a ProviderEndpointService's props that its rules
// read (package privatelink documents each field): the construct checks
// its props through it, and the config file's loader checks a
// configuration through it, without building any construct.
type Service struct {
	Partition               string
	VPCID                   string
	SubnetIDs               []string
	ALBARN                  string
	ALBSecurityGroupID      string
	Listeners               []Listener
	AcceptanceRequired      *bool
	AllowedPrincipals       []string
	SupportedRegions        []string
	NLBName                 string
	HealthCheck             HealthCheck
	PrivateDNS              *PrivateDNS
	ConnectionNotifications *ConnectionNotifications
	AccessLogs              *AccessLogs
}

var (
	partitionRe = regexp.MustCompile(`^aws(-[a-z]+)*$`)
	arnRe       = regexp.MustCompile(`^arn:(aws(?:-[a-z]+)*):`)
)

// PartitionOrDefault is Partition, else the ALB ARN's partition, else "aws".
func (props Service) PartitionOrDefault() string {
	if props.Partition != "" {
		return props.Partition
	}
	if m := arnRe.FindStringSubmatch(props.ALBARN); m != nil {
		return m[1]
	}
	return "aws"
}

// Check reports each problem of props through report, with the Go field
// ("Listeners[1].Port", "HealthCheck.IntervalSeconds") and a problem that
// starts with the bad value and says the fix. NewProviderEndpointService
// calls it; so does the config file's loader, naming the fields in its own
// terms. Tokens pass: they are only known at deploy time.
func (props Service) Check(report func(field, problem string)) {
	partition := props.PartitionOrDefault()
	if !partitionRe.MatchString(partition) {
		report("Partition", fmt.Sprintf("%q: want aws, aws-cn or aws-us-gov", partition))
	} else if m := arnRe.FindStringSubmatch(props.ALBARN); m != nil && m[1] != partition {
		report("Partition", fmt.Sprintf("%q: the ALB is in partition %s (ALBARN); principals must be ARNs of its partition", partition, m[1]))
	}
	validate.Network(props.VPCID, "the ALB's VPC, where the NLB goes", props.SubnetIDs, report)
	if props.ALBARN == "" {
		report("ALBARN", "is required: the ARN of the ALB to publish")
	} else if problem := validate.ALBARN(props.ALBARN); problem != "" {
		report("ALBARN", problem)
	}
	if props.ALBSecurityGroupID != "" {
		if problem := validate.ResourceID("sg", props.ALBSecurityGroupID); problem != "" {
			report("ALBSecurityGroupID", problem)
		}
	}
	if len(props.Listeners) == 0 {
		report("Listeners", "is required: at least one listener (port and protocol) of the ALB")
	}
	hcProtocol := strings.ToUpper(props.HealthCheck.Protocol)
	var mismatched []int
	ports := map[int]bool{}
	for i, l := range props.Listeners {
		field := fmt.Sprintf("Listeners[%d]", i)
		if problem := validate.Port(l.Port); problem != "" {
			report(field+".Port", problem)
		} else if ports[l.Port] {
			report(field+".Port", fmt.Sprintf("%d: listed twice; one target group per port", l.Port))
		}
		ports[l.Port] = true
		switch proto := strings.ToUpper(l.Protocol); {
		case proto != "HTTPS" && proto != "HTTP":
			report(field+".Protocol", fmt.Sprintf("%q: want HTTPS or HTTP (the ALB listener's protocol)", l.Protocol))
		case (hcProtocol == "HTTPS" || hcProtocol == "HTTP") && hcProtocol != proto:
			mismatched = append(mismatched, l.Port)
		}
	}
	if len(mismatched) > 0 {
		// An alb target group checks its ALB over HTTP(S): the wrong one
		// makes a healthy ALB look unhealthy (no traffic flows).
		where := fmt.Sprintf("listener on port %d does", mismatched[0])
		if len(mismatched) > 1 {
			where = "listeners on ports " + JoinInts(mismatched) + " do"
		}
		report("HealthCheck.Protocol", fmt.Sprintf("%q: the ALB %s not speak %s, so the ALB would look unhealthy; leave it unset to follow each listener", props.HealthCheck.Protocol, where, hcProtocol))
	}
	props.HealthCheck.Check(func(field, problem string) { report("HealthCheck."+field, problem) })
	if problem := validate.LBName(props.NLBName); problem != "" {
		report("NLBName", problem)
	}
	for i, r := range props.SupportedRegions {
		if problem := validate.Region(r); problem != "" {
			report(fmt.Sprintf("SupportedRegions[%d]", i), problem)
		}
	}
	acceptance := boolOr(props.AcceptanceRequired, true)
	for i, p := range props.AllowedPrincipals {
		if _, problem := PrincipalARN(partition, acceptance, p); problem != "" {
			report(fmt.Sprintf("AllowedPrincipals[%d]", i), problem)
		}
	}
	props.checkOptions(report)
}

// PrincipalARN normalizes one allowed principal and refuses "*" unless
// connections need acceptance. The problem starts with the principal.
func PrincipalARN(partition string, acceptance bool, principal string) (arn, problem string) {
	arn, problem = validate.Principal(partition, principal)
	if problem == "" && arn == "*" && !acceptance {
		problem = `"*": lets anyone in the partition connect; require acceptance or list account IDs`
	}
	return arn, problem
}

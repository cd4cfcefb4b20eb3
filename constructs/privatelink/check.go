package privatelink

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/alb-privatelink/alb-privatelink/internal/validate"
)

// The props' Check methods: one owner for each rule about the constructs'
// input. The constructors call them; so does the config file's loader
// (package config), which names each field by its YAML path.

// checkErr runs a props Check and joins its reports into one error, one
// "FIELD problem" line each, so a user sees every mistake in one run.
func checkErr(check func(report func(field, problem string))) error {
	var lines []string
	check(func(field, problem string) { lines = append(lines, field+" "+problem) })
	if len(lines) == 0 {
		return nil
	}
	return errors.New(strings.Join(lines, "\n"))
}

var partitionRe = regexp.MustCompile(`^aws(-[a-z]+)*$`)

// Check reports each problem of props through report, with the Go field
// ("Listeners[1].Port", "HealthCheck.IntervalSeconds") and a problem that
// starts with the bad value and says the fix. NewProviderEndpointService
// calls it; so does the config file's loader, naming the fields in its own
// terms. Tokens pass: they are only known at deploy time.
func (props ProviderEndpointServiceProps) Check(report func(field, problem string)) {
	partition := props.Partition
	if partition == "" {
		partition = "aws"
	} else if !partitionRe.MatchString(partition) {
		report("Partition", fmt.Sprintf("%q: want aws, aws-cn or aws-us-gov", partition))
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
			// An alb target group checks its ALB over HTTP(S): the wrong
			// one makes a healthy ALB look unhealthy (no traffic flows).
			report("HealthCheck.Protocol", fmt.Sprintf("%q: the ALB listener on port %d speaks %s, so the ALB would look unhealthy; leave it unset to follow each listener", props.HealthCheck.Protocol, l.Port, proto))
		}
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
		if _, problem := principalARN(partition, acceptance, p); problem != "" {
			report(fmt.Sprintf("AllowedPrincipals[%d]", i), problem)
		}
	}
}

// principalARN normalizes one allowed principal and refuses "*" unless
// connections need acceptance. The problem starts with the principal.
func principalARN(partition string, acceptance bool, principal string) (arn, problem string) {
	arn, problem = validate.Principal(partition, principal)
	if problem == "" && arn == "*" && !acceptance {
		problem = `"*": lets anyone in the partition connect; require acceptance or list account IDs`
	}
	return arn, problem
}

// Check reports each problem of props through report, with the Go field
// ("Ports[1]", "AllowedCIDRs[0]") and a problem that starts with the bad
// value and says the fix. NewConsumerEndpoint calls it; so does the config
// file's loader, naming the fields in its own terms. Tokens pass.
func (props ConsumerEndpointProps) Check(report func(field, problem string)) {
	validate.Network(props.VPCID, "the consumer VPC", props.SubnetIDs, report)
	if isNilService(props.Service) || props.Service.ServiceName() == nil || *props.Service.ServiceName() == "" {
		report("Service", `is required: a *ProviderEndpointService or EndpointServiceFromName("com.amazonaws.vpce.REGION.vpce-svc-ID")`)
	} else if problem := validate.ServiceName(*props.Service.ServiceName()); problem != "" {
		report("Service", problem)
	}
	validate.EachUnique("Ports", props.Ports, validate.Port, report)
	// AWS refuses a second identical rule.
	validate.EachUnique("AllowedCIDRs", props.AllowedCIDRs, validate.CIDR, report)
	if props.VPCCIDR != "" {
		if problem := validate.CIDR(props.VPCCIDR); problem != "" {
			report("VPCCIDR", problem)
		}
	}
	if domain := strings.TrimSuffix(props.CustomDomain, "."); domain != "" {
		if problem := validate.DomainName(domain); problem != "" {
			report("CustomDomain", problem)
		} else if props.PrivateDNSEnabled {
			report("CustomDomain", fmt.Sprintf("%q: private DNS is enabled too, and both would claim the name in this VPC; choose one", domain))
		}
	}
	if props.ServiceRegion != "" {
		if problem := validate.Region(props.ServiceRegion); problem != "" {
			report("ServiceRegion", problem)
		}
	}
}

// isNilService catches a nil pointer stored in the interface, such as a
// *ProviderEndpointService variable that was never set.
func isNilService(s EndpointService) bool {
	if s == nil {
		return true
	}
	v := reflect.ValueOf(s)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

package doctor

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/alb-privatelink/alb-privatelink/probe"
)

// probeConfig reads the probe's configuration (nil without a probe, or
// when it cannot be read, which it reports).
func (x run) probeConfig(c Consumer) *lambda.GetFunctionConfigurationOutput {
	if c.ProbeFunction == "" {
		return nil
	}
	out, err := c.Lambda.GetFunctionConfiguration(x.ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(c.ProbeFunction)})
	if err != nil {
		x.problem(c.Stack, "the connectivity probe "+c.ProbeFunction+" can be read", errText(err), "the doctor's credentials need lambda:GetFunctionConfiguration and lambda:InvokeFunction on it; if it is gone, deploy the consumer stack again (npx cdktf deploy "+c.Stack+")")
		return nil
	}
	return out
}

// probeGroups are the probe's security groups: their rules on the
// endpoint's group admit the probe, not a client.
func probeGroups(conf *lambda.GetFunctionConfigurationOutput) []string {
	if conf == nil || conf.VpcConfig == nil {
		return nil
	}
	return conf.VpcConfig.SecurityGroupIds
}

// Waiting for an idle probe to become active again: how often to look,
// and for how long.
var (
	probePoll    = 5 * time.Second
	probeWaitMax = 5 * time.Minute
)

// probe invokes the connectivity probe and reports what it saw from
// inside the VPC, one line per name and port. A function in a VPC that
// nobody invoked for weeks is Inactive (Lambda reclaimed its network
// interfaces): the first invocation fails and wakes it, so the doctor
// wakes it and waits until it is Active again.
func (x run) probe(c Consumer, ep ec2types.VpcEndpoint, conf *lambda.GetFunctionConfigurationOutput) {
	if conf == nil {
		return
	}
	fn := c.ProbeFunction
	check := "the connectivity probe " + fn + " runs"
	invoke := func() (*lambda.InvokeOutput, error) {
		return c.Lambda.Invoke(x.ctx, &lambda.InvokeInput{FunctionName: aws.String(fn), Payload: []byte("{}")})
	}
	woke := ""
	if conf.State == lambdatypes.StateInactive {
		invoke() // fails, and starts recreating the network interfaces
		woke = "woken from Inactive: "
		conf.State = lambdatypes.StatePending
	}
	// (just after the wake-up call it may still read Inactive)
	for start := time.Now(); conf.State == lambdatypes.StatePending || (woke != "" && conf.State == lambdatypes.StateInactive); {
		if time.Since(start) > probeWaitMax {
			x.problem(c.Stack, check, fmt.Sprintf("still Pending after %v", probeWaitMax), "Lambda is still creating its network interfaces: run the doctor again in a few minutes")
			return
		}
		time.Sleep(probePoll)
		next, err := c.Lambda.GetFunctionConfiguration(x.ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(fn)})
		if err != nil {
			x.problem(c.Stack, check, errText(err), "run the doctor again")
			return
		}
		conf = next
	}
	if conf.State == lambdatypes.StateFailed {
		x.problem(c.Stack, check, fmt.Sprintf("state Failed, %s: %s", conf.StateReasonCode, aws.ToString(conf.StateReason)),
			"Lambda could not set the function up in the VPC (SubnetOutOfIPAddresses: free addresses in the endpoint's subnets; InsufficientRolePermissions: deploy the consumer stack again to restore the probe's policy)")
		return
	}
	out, err := invoke()
	if err != nil {
		x.problem(c.Stack, check, woke+errText(err), "the doctor's credentials need lambda:InvokeFunction on it; if it is gone, deploy the consumer stack again (npx cdktf deploy "+c.Stack+")")
		return
	}
	if out.FunctionError != nil {
		x.problem(c.Stack, check, woke+aws.ToString(out.FunctionError)+": "+clip(string(out.Payload), 300), "read its log group, /aws/lambda/"+fn+"; a timeout means the VPC's subnets have no free addresses or the function cannot start")
		return
	}
	var resp probe.Response
	if err := json.Unmarshal(out.Payload, &resp); err != nil || len(resp.Results) == 0 {
		x.problem(c.Stack, check, "unreadable answer: "+clip(string(out.Payload), 300), "deploy the consumer stack again: the function may be an older or foreign build")
		return
	}
	what := fmt.Sprintf("%d names and ports", len(resp.Results))
	if len(resp.Results) == 1 {
		what = "1 name and port"
	}
	x.ok(c.Stack, check, woke+what)
	// Clients call the custom domain or the service's private DNS name
	// when there is one; the endpoint's vpce-... name is on no ALB's
	// certificate, and only a problem when it is the name clients call.
	own := map[string]bool{}
	for _, e := range ep.DnsEntries {
		own[strings.ToLower(aws.ToString(e.DnsName))] = true
	}
	ownIsCalled := c.CustomDomain == "" && !aws.ToBool(ep.PrivateDnsEnabled)
	for _, r := range resp.Results {
		x.probeResult(c, r, !own[strings.ToLower(r.Host)] || ownIsCalled)
	}
}

func (x run) probeResult(c Consumer, r probe.Result, clientsCall bool) {
	check := fmt.Sprintf("the probe gets an answer from %s:%d inside the VPC", r.Host, r.Port)
	detail := r.Error
	switch r.Stage {
	case "dns":
		fix := "the endpoint's own DNS name does not resolve in its VPC: turn on DNS support in the VPC"
		if strings.EqualFold(r.Host, c.CustomDomain) {
			fix = "the VPC does not resolve " + r.Host + ": its private zone must be associated with this VPC (see the zone check above), and the VPC needs DNS support and DNS hostnames"
		}
		x.problem(c.Stack, check, "name not resolved: "+detail, fix)
		return
	case "connect":
		x.problem(c.Stack, check, "no connection: "+detail, fmt.Sprintf("nothing answered on %d through the endpoint: check the connection state, the endpoint's security group (it admits the probe's group), and the provider's NLB listener and target health (the checks above)", r.Port))
		return
	case "tls":
		x.problem(c.Stack, check, "TLS failed: "+detail, fmt.Sprintf("the connection was made but no TLS session: check that the ALB's listener on %d is HTTPS with a certificate, and the NLB forwards %d to it (TCP, not TLS)", r.Port, r.Port))
		return
	case "http":
		x.problem(c.Stack, check, "no HTTP answer: "+detail, fmt.Sprintf("the connection was made but no HTTP response came back: check the ALB's listener on %d and its rules", r.Port))
		return
	}
	detail = fmt.Sprintf("%s %d in %.0f ms", r.Protocol, r.Status, r.LatencyMS)
	if r.Address != "" {
		detail += " via " + r.Address
	}
	if r.Status >= 500 {
		x.problem(c.Stack, check, detail, "PrivateLink carries the request to the ALB, and the ALB answered "+fmt.Sprint(r.Status)+": its own targets are unhealthy or missing (check the ALB's target groups), not the PrivateLink path")
	} else {
		x.ok(c.Stack, check, detail)
	}
	if r.Certificate == nil || !clientsCall {
		return
	}
	cert := r.Certificate
	check = fmt.Sprintf("the certificate on %d names %s", r.Port, r.Host)
	trust := "trusted by public roots"
	if !cert.Trusted {
		trust = "not trusted by public roots (a private CA's clients need its root)"
	}
	if left := time.Until(cert.NotAfter); !cert.NotAfter.IsZero() && left < 14*24*time.Hour {
		state := fmt.Sprintf("expires %s, in %.0f days", cert.NotAfter.Format(time.DateOnly), left.Hours()/24)
		if left <= 0 {
			state = "expired " + cert.NotAfter.Format(time.DateOnly)
		}
		x.problem(c.Stack, fmt.Sprintf("the certificate on %d is valid", r.Port), state, "renew or replace the ALB listener's certificate (ACM renews its own certificates when their DNS validation records still exist)")
	}
	if cert.NameMatch {
		x.ok(c.Stack, check, trust)
		return
	}
	fix := "clients calling " + r.Host + " fail TLS verification: set customDomain to a name on the certificate (" + strings.Join(cert.Names, ", ") + "); the private zone then resolves it to the endpoint"
	x.problem(c.Stack, check, "it names "+orNone(strings.Join(cert.Names, ", ")), fix)
}

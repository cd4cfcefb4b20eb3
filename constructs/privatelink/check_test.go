package privatelink

import (
	"fmt"
	"strings"
	"testing"
)

const testALBARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/web/0123456789abcdef"

func validProviderProps() ProviderEndpointServiceProps {
	return ProviderEndpointServiceProps{
		VPCID:     "vpc-0123456789abcdef0",
		SubnetIDs: []string{"subnet-0123456789abcdef0", "subnet-0123456789abcdef1"},
		ALBARN:    testALBARN,
		Listeners: []ALBListener{{Port: 443, Protocol: "HTTPS"}},
	}
}

func validConsumerProps() ConsumerEndpointProps {
	return ConsumerEndpointProps{
		VPCID:     "vpc-0123456789abcdef0",
		SubnetIDs: []string{"subnet-0123456789abcdef0", "subnet-0123456789abcdef1"},
		Service:   EndpointServiceFromName("com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0"),
		Ports:     []int{443},
	}
}

// publisher is a service that knows its ports, like a *ProviderEndpointService.
type publisher []int

func (p publisher) ServiceName() *string {
	name := "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0"
	return &name
}
func (p publisher) Ports() []int { return p }

// offerer is a service that says its address types and private DNS name,
// like a *ProviderEndpointService.
type offerer struct {
	publisher
	ipv6 bool
	dns  string
}

func (o offerer) IPAddressTypes() []string {
	if o.ipv6 {
		return []string{"ipv4", "ipv6"}
	}
	return []string{"ipv4"}
}
func (o offerer) PrivateDNSName() string { return o.dns }

// reports runs a Check and returns its reports as "FIELD problem" lines.
func reports(check func(report func(field, problem string))) []string {
	var got []string
	check(func(field, problem string) { got = append(got, field+" "+problem) })
	return got
}

func expectReport(t *testing.T, got []string, want string) {
	t.Helper()
	for _, line := range got {
		if strings.Contains(line, want) {
			return
		}
	}
	t.Errorf("reports %q, want one containing %q", got, want)
}

func TestHealthCheckDefaultsAndLimits(t *testing.T) {
	d := HealthCheck{}.WithDefaults()
	if d.Path != "/" || d.Matcher != "200-399" || d.IntervalSeconds != 30 || d.TimeoutSeconds != 5 ||
		d.HealthyThreshold != 3 || d.UnhealthyThreshold != 3 || d.Protocol != "" {
		t.Errorf("defaults = %+v", d)
	}
	if got := reports(HealthCheck{}.Check); len(got) != 0 {
		t.Errorf("zero HealthCheck should be valid: %q", got)
	}
	edge := HealthCheck{Protocol: "https", Path: "/healthz", Matcher: "200,302", IntervalSeconds: 5, TimeoutSeconds: 2, HealthyThreshold: 10, UnhealthyThreshold: 2}
	if got := reports(edge.Check); len(got) != 0 {
		t.Errorf("edge values should be valid: %q", got)
	}
	bad := []struct {
		hc   HealthCheck
		want string
	}{
		{HealthCheck{Protocol: "TCP"}, `Protocol "TCP"`},
		{HealthCheck{Path: "healthz"}, `Path "healthz"`},
		{HealthCheck{Matcher: "ok"}, `Matcher "ok"`},
		{HealthCheck{Matcher: "500"}, `Matcher "500"`},
		{HealthCheck{IntervalSeconds: 4}, "IntervalSeconds 4: want 5 to 300"},
		{HealthCheck{IntervalSeconds: 301}, "IntervalSeconds 301"},
		{HealthCheck{TimeoutSeconds: 1}, "TimeoutSeconds 1: want 2 to 120"},
		{HealthCheck{IntervalSeconds: 10, TimeoutSeconds: 10}, "TimeoutSeconds 10: must be less than the interval (10)"},
		{HealthCheck{HealthyThreshold: 1}, "HealthyThreshold 1: want 2 to 10"},
		{HealthCheck{UnhealthyThreshold: 11}, "UnhealthyThreshold 11: want 2 to 10"},
	}
	for _, tc := range bad {
		expectReport(t, reports(tc.hc.Check), tc.want)
	}
	// A bad interval is not reported again as a bound on the timeout.
	if got := reports(HealthCheck{IntervalSeconds: 3, TimeoutSeconds: 10}.Check); len(got) != 1 {
		t.Errorf("interval 3, timeout 10: %q; want only the interval", got)
	}
}

// Bad input never reaches Terraform: Check names the field, shows the value
// and says the fix (NewProviderEndpointService returns these as its error).
func TestProviderPropsCheck(t *testing.T) {
	if got := reports(validProviderProps().Check); len(got) != 0 {
		t.Fatalf("valid props reported: %q", got)
	}
	no := false
	cases := []struct {
		name   string
		mutate func(*ProviderEndpointServiceProps)
		want   string
	}{
		{"no subnets", func(p *ProviderEndpointServiceProps) { p.SubnetIDs = nil }, "SubnetIDs has 0, want at least 2"},
		{"one AZ", func(p *ProviderEndpointServiceProps) { p.SubnetIDs = p.SubnetIDs[:1] }, "SubnetIDs has 1, want at least 2"},
		{"subnet that is not an ID", func(p *ProviderEndpointServiceProps) { p.SubnetIDs = []string{"private-a", "private-b"} }, `SubnetIDs[0] "private-a"`},
		{"no VPC", func(p *ProviderEndpointServiceProps) { p.VPCID = "" }, "VPCID is required: the ALB's VPC"},
		{"no ALB", func(p *ProviderEndpointServiceProps) { p.ALBARN = "" }, "ALBARN is required"},
		{"NLB ARN as ALB", func(p *ProviderEndpointServiceProps) {
			p.ALBARN = strings.Replace(testALBARN, "/app/", "/net/", 1)
		}, "want an Application Load Balancer ARN"},
		{"no listeners", func(p *ProviderEndpointServiceProps) { p.Listeners = nil }, "Listeners is required"},
		{"port 0", func(p *ProviderEndpointServiceProps) { p.Listeners[0].Port = 0 }, "Listeners[0].Port 0: want a TCP port from 1 to 65535"},
		{"port 65536", func(p *ProviderEndpointServiceProps) { p.Listeners[0].Port = 65536 }, "Listeners[0].Port 65536"},
		{"TCP listener", func(p *ProviderEndpointServiceProps) { p.Listeners[0].Protocol = "TCP" }, `Listeners[0].Protocol "TCP"`},
		{"duplicate port", func(p *ProviderEndpointServiceProps) {
			p.Listeners = append(p.Listeners, p.Listeners[0])
		}, "Listeners[1].Port 443: listed twice; one target group per port"},
		{"HTTP check on an HTTPS listener", func(p *ProviderEndpointServiceProps) { p.HealthCheck.Protocol = "http" }, `HealthCheck.Protocol "http": the ALB listener on port 443 does not speak HTTP`},
		{"HTTPS check on one HTTP listener of two", func(p *ProviderEndpointServiceProps) {
			p.Listeners = append(p.Listeners, ALBListener{Port: 80, Protocol: "HTTP"})
			p.HealthCheck.Protocol = "HTTPS"
		}, `HealthCheck.Protocol "HTTPS": the ALB listener on port 80 does not speak HTTPS`},
		{"bad principal", func(p *ProviderEndpointServiceProps) { p.AllowedPrincipals = []string{"1234"} }, `AllowedPrincipals[0] "1234": want a 12-digit account ID or an IAM ARN`},
		{"wildcard without acceptance", func(p *ProviderEndpointServiceProps) {
			p.AcceptanceRequired = &no
			p.AllowedPrincipals = []string{"111122223333", "*"}
		}, `AllowedPrincipals[1] "*": lets anyone in the partition connect; require acceptance`},
		{"interval 1", func(p *ProviderEndpointServiceProps) { p.HealthCheck.IntervalSeconds = 1 }, "HealthCheck.IntervalSeconds 1: want 5 to 300"},
		{"threshold 11", func(p *ProviderEndpointServiceProps) { p.HealthCheck.HealthyThreshold = 11 }, "HealthCheck.HealthyThreshold 11: want 2 to 10"},
		{"long NLB name", func(p *ProviderEndpointServiceProps) { p.NLBName = strings.Repeat("n", 33) }, "NLBName \"nnn"},
		{"internal- NLB name", func(p *ProviderEndpointServiceProps) { p.NLBName = "internal-orders" }, `NLBName "internal-orders": must not start with "internal-"`},
		{"bad ALB SG", func(p *ProviderEndpointServiceProps) { p.ALBSecurityGroupID = "web-sg" }, `ALBSecurityGroupID "web-sg"`},
		{"bad region", func(p *ProviderEndpointServiceProps) { p.SupportedRegions = []string{"tokyo"} }, `SupportedRegions[0] "tokyo"`},
		{"bad partition", func(p *ProviderEndpointServiceProps) { p.Partition = "amazon" }, `Partition "amazon": want aws, aws-cn or aws-us-gov`},
		{"HTTP check on two HTTPS listeners, reported once", func(p *ProviderEndpointServiceProps) {
			p.Listeners = append(p.Listeners, ALBListener{Port: 8443, Protocol: "HTTPS"})
			p.HealthCheck.Protocol = "HTTP"
		}, `HealthCheck.Protocol "HTTP": the ALB listeners on ports 443, 8443 do not speak HTTP`},
		{"partition other than the ALB's", func(p *ProviderEndpointServiceProps) { p.Partition = "aws-cn" }, `Partition "aws-cn": the ALB is in partition aws (ALBARN)`},
		{"private DNS without a name", func(p *ProviderEndpointServiceProps) { p.PrivateDNS = &PrivateDNS{} }, "PrivateDNS.Name is required"},
		{"private DNS name not a name", func(p *ProviderEndpointServiceProps) { p.PrivateDNS = &PrivateDNS{Name: "api_example.com"} }, `PrivateDNS.Name "api_example.com"`},
		{"private DNS zone ID without its name", func(p *ProviderEndpointServiceProps) {
			p.PrivateDNS = &PrivateDNS{Name: "api.example.com", ZoneID: "Z0123456789ABC"}
		}, "PrivateDNS.ZoneName is required with a zone ID"},
		{"private DNS zone name without its ID", func(p *ProviderEndpointServiceProps) {
			p.PrivateDNS = &PrivateDNS{Name: "api.example.com", ZoneName: "example.com"}
		}, "PrivateDNS.ZoneID is required with a zone name"},
		{"private DNS zone ID malformed", func(p *ProviderEndpointServiceProps) {
			p.PrivateDNS = &PrivateDNS{Name: "api.example.com", ZoneID: "example.com", ZoneName: "example.com"}
		}, `PrivateDNS.ZoneID "example.com": want a Route 53 hosted zone ID`},
		{"private DNS name outside its zone", func(p *ProviderEndpointServiceProps) {
			p.PrivateDNS = &PrivateDNS{Name: "api.example.org", ZoneID: "Z0123456789ABC", ZoneName: "example.com"}
		}, `PrivateDNS.Name "api.example.org": not in the zone example.com`},
		{"private DNS name that only ends like its zone", func(p *ProviderEndpointServiceProps) {
			p.PrivateDNS = &PrivateDNS{Name: "apiexample.com", ZoneID: "Z0123456789ABC", ZoneName: "example.com"}
		}, `PrivateDNS.Name "apiexample.com": not in the zone example.com`},
		{"notification topic not an SNS ARN", func(p *ProviderEndpointServiceProps) {
			p.ConnectionNotifications = &ConnectionNotifications{TopicARN: "arn:aws:sqs:ap-northeast-1:111122223333:q"}
		}, `ConnectionNotifications.TopicARN "arn:aws:sqs:ap-northeast-1:111122223333:q": want an SNS topic ARN`},
		{"a key for an existing topic", func(p *ProviderEndpointServiceProps) {
			p.ConnectionNotifications = &ConnectionNotifications{
				TopicARN:  "arn:aws:sns:ap-northeast-1:111122223333:privatelink",
				KMSKeyARN: "arn:aws:kms:ap-northeast-1:111122223333:key/0a1b2c3d",
			}
		}, "ConnectionNotifications.KMSKeyARN only encrypts a topic this service creates"},
		{"a key that is an alias", func(p *ProviderEndpointServiceProps) {
			p.ConnectionNotifications = &ConnectionNotifications{KMSKeyARN: "alias/aws/sns"}
		}, `ConnectionNotifications.KMSKeyARN "alias/aws/sns": want a KMS key ARN`},
		{"an unknown event", func(p *ProviderEndpointServiceProps) {
			p.ConnectionNotifications = &ConnectionNotifications{Events: []string{"Accept", "accept"}}
		}, `ConnectionNotifications.Events[1] "accept": want Connect, Accept, Reject or Delete`},
		{"an event twice", func(p *ProviderEndpointServiceProps) {
			p.ConnectionNotifications = &ConnectionNotifications{Events: []string{"Accept", "Accept"}}
		}, `ConnectionNotifications.Events[1] "Accept": listed twice`},
		{"a bucket name with upper case", func(p *ProviderEndpointServiceProps) { p.AccessLogs = &AccessLogs{Bucket: "My-Logs"} }, `AccessLogs.Bucket "My-Logs"`},
		{"a prefix with AWSLogs", func(p *ProviderEndpointServiceProps) { p.AccessLogs = &AccessLogs{Prefix: "x/AWSLogs"} }, `AccessLogs.Prefix "x/AWSLogs": must not contain AWSLogs`},
		{"expiry out of range", func(p *ProviderEndpointServiceProps) { p.AccessLogs = &AccessLogs{ExpireDays: 4000} }, "AccessLogs.ExpireDays 4000: want 1 to 3650 days"},
		{"expiry for an existing bucket", func(p *ProviderEndpointServiceProps) {
			p.AccessLogs = &AccessLogs{Bucket: "my-logs", ExpireDays: 30}
		}, "AccessLogs.ExpireDays only applies to a bucket this service creates"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			props := validProviderProps()
			tc.mutate(&props)
			expectReport(t, reports(props.Check), tc.want)
		})
	}
}

// Every problem of one props value is reported in one run.
func TestProviderPropsCheckReportsEveryProblem(t *testing.T) {
	props := ProviderEndpointServiceProps{
		SubnetIDs:         []string{"subnet-0123456789abcdef0"},
		ALBARN:            strings.Replace(testALBARN, "/app/", "/net/", 1),
		Listeners:         []ALBListener{{Port: 0, Protocol: "TCP"}, {Port: 443, Protocol: "HTTPS"}, {Port: 443, Protocol: "HTTPS"}},
		AllowedPrincipals: []string{"1234"},
		NLBName:           "internal-nlb",
	}
	got := reports(props.Check)
	for _, want := range []string{"VPCID is required", "SubnetIDs has 1", "ALBARN", "Listeners[0].Port 0", `Listeners[0].Protocol "TCP"`,
		"Listeners[2].Port 443: listed twice", `AllowedPrincipals[0] "1234"`, `NLBName "internal-nlb"`} {
		expectReport(t, got, want)
	}
	if len(got) != 8 {
		t.Errorf("%d reports, want 8 (one per problem):\n%s", len(got), strings.Join(got, "\n"))
	}
	if err := checkErr(props.Check); err == nil || strings.Count(err.Error(), "\n") != 7 {
		t.Errorf("checkErr: %v; want the 8 reports, one per line", err)
	}
}

func TestProviderPropsCheckLetsTokensAndWildcardWithAcceptanceThrough(t *testing.T) {
	props := ProviderEndpointServiceProps{
		VPCID:              "${TfToken[TOKEN.1]}",
		SubnetIDs:          []string{"${TfToken[TOKEN.2]}", "${TfToken[TOKEN.3]}"},
		ALBARN:             "${TfToken[TOKEN.4]}",
		ALBSecurityGroupID: "${TfToken[TOKEN.5]}",
		Listeners:          []ALBListener{{Port: 80, Protocol: "http"}},
		AllowedPrincipals:  []string{"*", "111122223333", "arn:aws:iam::444455556666:role/app"},
		Partition:          "aws-cn",
	}
	if got := reports(props.Check); len(got) != 0 {
		t.Errorf("reports %q for tokens and \"*\" with acceptance", got)
	}
	if arn, problem := principalARN("aws-cn", true, "111122223333"); arn != "arn:aws-cn:iam::111122223333:root" || problem != "" {
		t.Errorf("principalARN in aws-cn = %q, %q", arn, problem)
	}
}

// Ports default to what the service publishes, else 443; the principals'
// partition defaults to the ALB's.
func TestPropsDefaults(t *testing.T) {
	p := validConsumerProps()
	p.Ports = nil
	if got := p.ports(); len(got) != 1 || got[0] != 443 {
		t.Errorf("ports of a named service = %v, want [443]", got)
	}
	p.Service = publisher{80, 8443}
	if got := p.ports(); len(got) != 2 || got[0] != 80 || got[1] != 8443 {
		t.Errorf("ports of a publisher = %v, want [80 8443]", got)
	}
	var none *ProviderEndpointService
	p.Service = none
	if got := p.ports(); len(got) != 1 || got[0] != 443 {
		t.Errorf("ports of a nil service = %v, want [443]", got)
	}
	sp := validProviderProps()
	sp.ALBARN = strings.Replace(testALBARN, "arn:aws:", "arn:aws-cn:", 1)
	if got := sp.partition(); got != "aws-cn" {
		t.Errorf("partition of an aws-cn ALB = %q", got)
	}
	if got := reports(sp.Check); len(got) != 0 {
		t.Errorf("an aws-cn ALB reported %q", got)
	}
}

// AWS counts the inbound-rule quota per address family: 30 IPv4 and 30
// IPv6 rules fit.
func TestRuleQuotaIsPerAddressFamily(t *testing.T) {
	p := validConsumerProps()
	p.IPAddressType = "dualstack"
	p.Ports = []int{443, 8443}
	for i := range 15 {
		p.AllowedCIDRs = append(p.AllowedCIDRs, fmt.Sprintf("10.%d.0.0/16", i))
		p.AllowedIPv6CIDRs = append(p.AllowedIPv6CIDRs, fmt.Sprintf("2600:1f18:%x::/48", i+1))
	}
	if got := reports(p.Check); len(got) != 0 {
		t.Errorf("30 IPv4 and 30 IPv6 rules reported: %q", got)
	}
}

func TestConsumerPropsCheck(t *testing.T) {
	if got := reports(validConsumerProps().Check); len(got) != 0 {
		t.Fatalf("valid props reported: %q", got)
	}
	cases := []struct {
		name   string
		mutate func(*ConsumerEndpointProps)
		want   string
	}{
		{"no subnets", func(p *ConsumerEndpointProps) { p.SubnetIDs = nil }, "SubnetIDs has 0, want at least 2"},
		{"one AZ", func(p *ConsumerEndpointProps) { p.SubnetIDs = p.SubnetIDs[:1] }, "SubnetIDs has 1"},
		{"duplicate subnet", func(p *ConsumerEndpointProps) { p.SubnetIDs[1] = p.SubnetIDs[0] }, `SubnetIDs[1] "subnet-0123456789abcdef0": listed twice`},
		{"bad VPC", func(p *ConsumerEndpointProps) { p.VPCID = "vpc-1" }, `VPCID "vpc-1"`},
		{"no service", func(p *ConsumerEndpointProps) { p.Service = nil }, "Service is required"},
		{"nil owned service", func(p *ConsumerEndpointProps) {
			var svc *ProviderEndpointService
			p.Service = svc
		}, "Service is required"},
		{"placeholder service name", func(p *ConsumerEndpointProps) {
			p.Service = EndpointServiceFromName("com.amazonaws.vpce.ap-northeast-1.vpce-svc-xxxxxxxxxxxxxxxxx")
		}, "want an endpoint service name, com.amazonaws.vpce.REGION.vpce-svc-ID"},
		{"port 0", func(p *ConsumerEndpointProps) { p.Ports = []int{0} }, "Ports[0] 0: want a TCP port"},
		{"duplicate port", func(p *ConsumerEndpointProps) { p.Ports = []int{443, 70000, 443} }, "Ports[2] 443: listed twice"},
		{"CIDR without prefix", func(p *ConsumerEndpointProps) { p.AllowedCIDRs = []string{"10.20.0.0"} }, `AllowedCIDRs[0] "10.20.0.0"`},
		{"duplicate CIDR", func(p *ConsumerEndpointProps) { p.AllowedCIDRs = []string{"10.20.0.0/16", "10.20.0.0/16"} }, `AllowedCIDRs[1] "10.20.0.0/16": listed twice`},
		{"typo'd CIDR reference", func(p *ConsumerEndpointProps) { p.VPCCIDR = "aws_vpc.consumer.cidr_blok" }, `VPCCIDR "aws_vpc.consumer.cidr_blok"`},
		{"domain with upper case", func(p *ConsumerEndpointProps) { p.CustomDomain = "Orders.Example.com" }, `CustomDomain "Orders.Example.com"`},
		{"domain and private DNS", func(p *ConsumerEndpointProps) {
			p.CustomDomain = "orders.example.com."
			p.PrivateDNSEnabled = true
		}, `CustomDomain "orders.example.com": private DNS is enabled too`},
		{"bad service region", func(p *ConsumerEndpointProps) { p.ServiceRegion = "us-east-1a" }, `ServiceRegion "us-east-1a": not an AWS region; did you mean us-east-1?`},
		{"the whole internet", func(p *ConsumerEndpointProps) { p.AllowedCIDRs = []string{"10.0.0.0/8", "0.0.0.0/0"} }, `AllowedCIDRs[1] "0.0.0.0/0": admits the whole internet`},
		{"IPv6 anywhere", func(p *ConsumerEndpointProps) { p.AllowedCIDRs = []string{"::/0"} }, `AllowedCIDRs[0] "::/0": want an IPv4 CIDR block`},
		{"a port the service does not publish", func(p *ConsumerEndpointProps) {
			p.Service = publisher{80, 8443}
			p.Ports = []int{80, 443}
		}, "Ports[1] 443: the service publishes 80, 8443 only"},
		{"more rules than a security group holds", func(p *ConsumerEndpointProps) {
			p.Ports = []int{443, 8443}
			p.AllowedCIDRs = nil
			for i := range 31 {
				p.AllowedCIDRs = append(p.AllowedCIDRs, fmt.Sprintf("10.%d.0.0/16", i))
			}
		}, "AllowedCIDRs has 31 CIDRs × 2 ports = 62 ingress rules, but a security group holds 60 by default"},
		{"more rules than a security group holds, by default ports", func(p *ConsumerEndpointProps) {
			p.Service = publisher{80, 443}
			p.Ports = nil
			for i := range 31 {
				p.AllowedCIDRs = append(p.AllowedCIDRs, fmt.Sprintf("10.%d.0.0/16", i))
			}
		}, "AllowedCIDRs has 31 CIDRs × 2 ports = 62 ingress rules"},
		{"an unknown address type", func(p *ConsumerEndpointProps) { p.IPAddressType = "ipv5" }, `IPAddressType "ipv5": want ipv4, dualstack or ipv6`},
		{"IPv6 from a service that offers IPv4 only", func(p *ConsumerEndpointProps) {
			p.Service = offerer{publisher: publisher{443}}
			p.IPAddressType = "dualstack"
		}, `IPAddressType "dualstack": the service offers IPv4 only; make it dual stack`},
		{"IPv6 clients of an IPv4 endpoint", func(p *ConsumerEndpointProps) {
			p.AllowedIPv6CIDRs = []string{"2600:1f18:abcd:1200::/56"}
		}, "AllowedIPv6CIDRs is set, but the endpoint is ipv4 only"},
		{"IPv6 anywhere as an IPv6 client", func(p *ConsumerEndpointProps) {
			p.IPAddressType = "dualstack"
			p.AllowedIPv6CIDRs = []string{"::/0"}
		}, `AllowedIPv6CIDRs[0] "::/0": admits the whole internet`},
		{"an IPv4 block as an IPv6 client", func(p *ConsumerEndpointProps) {
			p.IPAddressType = "ipv6"
			p.AllowedIPv6CIDRs = []string{"10.0.0.0/8"}
		}, `AllowedIPv6CIDRs[0] "10.0.0.0/8": want an IPv6 CIDR block`},
		{"IPv6 host bits", func(p *ConsumerEndpointProps) {
			p.IPAddressType = "dualstack"
			p.AllowedIPv6CIDRs = []string{"2600:1f18:abcd:1201::/56"}
		}, `has host bits set; did you mean 2600:1f18:abcd:1200::/56?`},
		{"private DNS of a service without a name", func(p *ConsumerEndpointProps) {
			p.Service = offerer{publisher: publisher{443}}
			p.PrivateDNSEnabled = true
		}, "PrivateDNSEnabled is true, but the service has no private DNS name"},
		{"IPv6 rules over their own quota", func(p *ConsumerEndpointProps) {
			p.IPAddressType = "dualstack"
			p.Ports = []int{443, 8443}
			for i := range 31 {
				p.AllowedIPv6CIDRs = append(p.AllowedIPv6CIDRs, fmt.Sprintf("2600:1f18:%x::/48", i+1))
			}
		}, "AllowedIPv6CIDRs has 31 CIDRs × 2 ports = 62 ingress rules"},
		{"upper case address type", func(p *ConsumerEndpointProps) { p.IPAddressType = "IPv4" }, `IPAddressType "IPv4": want ipv4, dualstack or ipv6 (lower case`},
		{"a probe in IPv6-only subnets", func(p *ConsumerEndpointProps) {
			p.IPAddressType = "ipv6"
			p.Probe = true
		}, "Probe cannot run with an ipv6 endpoint"},
		{"the probe's rule over the quota", func(p *ConsumerEndpointProps) {
			p.Ports = []int{443, 8443}
			p.AllowedCIDRs = nil
			for i := range 30 { // 60 rules: the quota exactly
				p.AllowedCIDRs = append(p.AllowedCIDRs, fmt.Sprintf("10.%d.0.0/16", i))
			}
			p.Probe = true
		}, "Probe needs 2 more ingress rules on the endpoint's security group (one per port, from the probe's group), but the 60 client rules leave room for 0 of the 60 it holds by default"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			props := validConsumerProps()
			props.SubnetIDs = append([]string(nil), props.SubnetIDs...)
			tc.mutate(&props)
			expectReport(t, reports(props.Check), tc.want)
		})
	}
}

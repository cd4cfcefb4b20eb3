package tests

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
	"github.com/alb-privatelink/alb-privatelink/synth"
)

// policyDoc parses an IAM policy JSON string (tokens stay as ${...}).
func policyDoc(t *testing.T, r resource, field string) map[string]any {
	t.Helper()
	raw, _ := r[field].(string)
	var doc map[string]any
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("%s is not a policy document: %v\n%s", field, err, raw)
	}
	return doc
}

func onlyName(t *testing.T, rs map[string]resource) string {
	t.Helper()
	if len(rs) != 1 {
		t.Fatalf("want exactly one, got %d", len(rs))
	}
	for name := range rs {
		return name
	}
	return ""
}

// AWS_NOTES 10: a private DNS name needs a TXT record in a public zone and
// the verification, which consumers' private DNS waits for.
func TestPrivateDNSNameIsVerifiedThroughItsPublicZone(t *testing.T) {
	props := existingALBProps()
	props.PrivateDNS = &privatelink.PrivateDNS{Name: "api.example.com.", ZoneID: "Z0123456789ABC", ZoneName: "example.com"}
	doc, svc := synthProvider(t, props)
	svcName, service := doc.one(t, "aws_vpc_endpoint_service")
	expect(t, svcName, service, "private_dns_name", "api.example.com")
	if svc.PrivateDNSName() != "api.example.com" {
		t.Errorf("PrivateDNSName() = %q", svc.PrivateDNSName())
	}

	recName, record := doc.one(t, "aws_route53_record")
	cfg := "${aws_vpc_endpoint_service." + svcName + ".private_dns_name_configuration[0]."
	expect(t, recName, record, "zone_id", "Z0123456789ABC")
	expect(t, recName, record, "name", cfg+"name}")
	expect(t, recName, record, "type", cfg+"type}")
	expect(t, recName, record, "records", []string{cfg + "value}"})
	zoneName := onlyName(t, doc.data("aws_route53_zone"))
	cond, _ := get(record, "lifecycle.precondition.0.condition")
	for _, want := range []string{"data.aws_route53_zone." + zoneName + ".name", `"example.com"`, "!coalesce(data.aws_route53_zone." + zoneName + ".private_zone, false)"} {
		if !strings.Contains(cond.(string), want) {
			t.Errorf("the zone precondition %q lacks %q", cond, want)
		}
	}

	vName, v := doc.one(t, "aws_vpc_endpoint_service_private_dns_verification")
	expect(t, vName, v, "service_id", ref("aws_vpc_endpoint_service", svcName, "id"))
	expect(t, vName, v, "wait_for_verification", true)
	expect(t, vName, v, "depends_on", []string{"aws_route53_record." + recName})

	// Without a zone: the name only; verification is the owner's to do.
	props.PrivateDNS = &privatelink.PrivateDNS{Name: "api.example.com"}
	doc, _ = synthProvider(t, props)
	_, service = doc.one(t, "aws_vpc_endpoint_service")
	expect(t, "service", service, "private_dns_name", "api.example.com")
	if len(doc.resources("aws_route53_record"))+len(doc.resources("aws_vpc_endpoint_service_private_dns_verification")) > 0 {
		t.Error("a TXT record or verification without a zone")
	}
}

// AWS_NOTES 18: connection notifications need a topic vpce.amazonaws.com
// may publish to: by default a new, encrypted one, for this service only.
func TestConnectionNotificationsGoToATopicOnlyThisServicePublishesTo(t *testing.T) {
	props := existingALBProps()
	props.ConnectionNotifications = &privatelink.ConnectionNotifications{}
	doc, _ := synthProvider(t, props)
	svcName, _ := doc.one(t, "aws_vpc_endpoint_service")
	topicName, topic := doc.one(t, "aws_sns_topic")
	keyName, key := doc.one(t, "aws_kms_key")
	expect(t, topicName, topic, "kms_master_key_id", ref("aws_kms_key", keyName, "arn"))
	expect(t, keyName, key, "enable_key_rotation", true)
	keyStatements := policyDoc(t, key, "policy")["Statement"].([]any)
	if len(keyStatements) != 2 || !strings.Contains(compact(keyStatements[1]), `"Service":"vpce.amazonaws.com"`) {
		t.Errorf("the key policy must let vpce.amazonaws.com use the key: %s", compact(keyStatements))
	}

	polName, pol := doc.one(t, "aws_sns_topic_policy")
	expect(t, polName, pol, "arn", ref("aws_sns_topic", topicName, "arn"))
	st := policyDoc(t, pol, "policy")["Statement"].([]any)[0].(map[string]any)
	if st["Action"] != "sns:Publish" || compact(st["Principal"]) != `{"Service":"vpce.amazonaws.com"}` {
		t.Errorf("topic policy statement %s", compact(st))
	}
	if got := compact(st["Condition"]); !strings.Contains(got, ref("aws_vpc_endpoint_service", svcName, "arn")) || !strings.Contains(got, "aws:SourceAccount") {
		t.Errorf("the topic policy must be limited to this service and account: %s", got)
	}

	nName, n := doc.one(t, "aws_vpc_endpoint_connection_notification")
	expect(t, nName, n, "vpc_endpoint_service_id", ref("aws_vpc_endpoint_service", svcName, "id"))
	expect(t, nName, n, "connection_notification_arn", ref("aws_sns_topic", topicName, "arn"))
	expect(t, nName, n, "connection_events", []string{"Connect", "Accept", "Reject", "Delete"})
	expect(t, nName, n, "depends_on", []string{"aws_sns_topic_policy." + polName})

	// An existing topic: no topic, key or policy of ours.
	props.ConnectionNotifications = &privatelink.ConnectionNotifications{TopicARN: "arn:aws:sns:ap-northeast-1:111122223333:ops", Events: []string{"Connect"}}
	doc, _ = synthProvider(t, props)
	nName, n = doc.one(t, "aws_vpc_endpoint_connection_notification")
	expect(t, nName, n, "connection_notification_arn", "arn:aws:sns:ap-northeast-1:111122223333:ops")
	expect(t, nName, n, "connection_events", []string{"Connect"})
	if len(doc.resources("aws_sns_topic"))+len(doc.resources("aws_kms_key"))+len(doc.resources("aws_sns_topic_policy")) > 0 {
		t.Error("resources created for an existing topic")
	}
}

// Dual stack: the NLB and the service offer IPv6; an endpoint that asks
// for it gets it, with IPv6 rules, and one from an IPv4-only service is
// refused.
func TestDualStackFromServiceToEndpoint(t *testing.T) {
	props := existingALBProps()
	props.DualStack = true
	doc, svc := synthProvider(t, props)
	nlbName, nlb := doc.one(t, "aws_lb")
	expect(t, nlbName, nlb, "ip_address_type", "dualstack")
	svcName, service := doc.one(t, "aws_vpc_endpoint_service")
	expect(t, svcName, service, "supported_ip_address_types", []string{"ipv4", "ipv6"})
	if got := svc.IPAddressTypes(); len(got) != 2 {
		t.Errorf("IPAddressTypes() = %v", got)
	}

	ep := consumerProps()
	ep.IPAddressType = "dualstack"
	ep.AllowedIPv6CIDRs = []string{"2600:1f18:abcd:1200::/56"}
	doc, _ = synthConsumer(t, ep)
	epName, endpoint := doc.one(t, "aws_vpc_endpoint")
	expect(t, epName, endpoint, "ip_address_type", "dualstack")
	expect(t, epName, endpoint, "dns_options.dns_record_ip_type", "dualstack")
	var v6 int
	for name, r := range doc.resources("aws_vpc_security_group_ingress_rule") {
		if _, ok := r["cidr_ipv6"]; ok {
			v6++
			expect(t, name, r, "cidr_ipv6", "2600:1f18:abcd:1200::/56")
			expectUnset(t, name, r, "cidr_ipv4")
		}
	}
	if v6 != 1 {
		t.Errorf("%d IPv6 ingress rules, want 1 (one CIDR, one port)", v6)
	}

	// Without CIDRs, the VPC's IPv6 block.
	ep.AllowedIPv6CIDRs = nil
	doc, _ = synthConsumer(t, ep)
	vpcName := onlyName(t, doc.data("aws_vpc"))
	found := false
	for _, r := range doc.resources("aws_vpc_security_group_ingress_rule") {
		found = found || r["cidr_ipv6"] == "${data.aws_vpc."+vpcName+".ipv6_cidr_block}"
	}
	if !found {
		t.Error("no IPv6 rule from the VPC's IPv6 block")
	}

	// IPv4 by default: nothing of the above.
	doc, _ = synthConsumer(t, consumerProps())
	epName, endpoint = doc.one(t, "aws_vpc_endpoint")
	expectUnset(t, epName, endpoint, "ip_address_type")
	expectUnset(t, epName, endpoint, "dns_options")
}

// NLB access logs: by default a bucket only log delivery writes to,
// private, versioned, encrypted with its own key, expiring; the NLB waits
// for its policy (AWS checks it when logging is turned on).
func TestAccessLogsBucketIsPrivateEncryptedAndExpiring(t *testing.T) {
	props := existingALBProps()
	props.AccessLogs = &privatelink.AccessLogs{}
	doc, _ := synthProvider(t, props)
	bName, _ := doc.one(t, "aws_s3_bucket")
	bucket := ref("aws_s3_bucket", bName, "id")
	nlbName, nlb := doc.one(t, "aws_lb")
	expect(t, nlbName, nlb, "access_logs", map[string]any{"bucket": bucket, "prefix": "nlb", "enabled": true})
	polName, pol := doc.one(t, "aws_s3_bucket_policy")
	encName, enc := doc.one(t, "aws_s3_bucket_server_side_encryption_configuration")
	expect(t, nlbName, nlb, "depends_on", []string{"aws_s3_bucket_policy." + polName, "aws_s3_bucket_server_side_encryption_configuration." + encName})

	pabName, pab := doc.one(t, "aws_s3_bucket_public_access_block")
	for _, f := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
		expect(t, pabName, pab, f, true)
	}
	keyName, _ := doc.one(t, "aws_kms_key")
	expect(t, encName, enc, "rule.0.apply_server_side_encryption_by_default", map[string]any{"sse_algorithm": "aws:kms", "kms_master_key_id": ref("aws_kms_key", keyName, "arn")})
	verName, ver := doc.one(t, "aws_s3_bucket_versioning")
	expect(t, verName, ver, "versioning_configuration.status", "Enabled")
	lcName, lc := doc.one(t, "aws_s3_bucket_lifecycle_configuration")
	expect(t, lcName, lc, "rule.0.expiration.days", 90)

	statements := policyDoc(t, pol, "policy")["Statement"].([]any)
	write := compact(statements[0])
	for _, want := range []string{`"Service":"delivery.logs.amazonaws.com"`, `"s3:PutObject"`, "/nlb/AWSLogs/", "bucket-owner-full-control", "aws:SourceAccount"} {
		if !strings.Contains(write, want) {
			t.Errorf("the log delivery statement lacks %s: %s", want, write)
		}
	}
	if deny := compact(statements[2]); !strings.Contains(deny, `"aws:SecureTransport":"false"`) || !strings.Contains(deny, `"Effect":"Deny"`) {
		t.Errorf("no TLS-only statement: %s", deny)
	}

	// An existing bucket: only the NLB setting.
	props.AccessLogs = &privatelink.AccessLogs{Bucket: "acme-lb-logs", Prefix: "/privatelink/"}
	doc, _ = synthProvider(t, props)
	nlbName, nlb = doc.one(t, "aws_lb")
	expect(t, nlbName, nlb, "access_logs", map[string]any{"bucket": "acme-lb-logs", "prefix": "privatelink", "enabled": true})
	if len(doc.resources("aws_s3_bucket")) > 0 {
		t.Error("a bucket created for an existing one")
	}
}

// The configuration checks the consumers against the provider in the
// same app: private DNS needs the provider's name, IPv6 its dual stack.
func TestConfigRefusesPrivateDNSAndIPv6TheProviderDoesNotOffer(t *testing.T) {
	_, err := config.Resolve(config.Config{Consumers: []config.Consumer{{PrivateDNSEnabled: true, IPAddressType: "dualstack"}}})
	for _, want := range []string{
		"consumers[0].privateDnsEnabled is true, but the service has no private DNS name",
		`consumers[0].ipAddressType "dualstack": the service offers IPv4 only`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to contain %q", err, want)
		}
	}
	// IPv6-only endpoints need IPv6-only subnets, which the demo VPC has not.
	_, err = config.Resolve(config.Config{Provider: config.Provider{DualStack: true}, Consumers: []config.Consumer{{IPAddressType: "ipv6"}}})
	if err == nil || !strings.Contains(err.Error(), `consumers[0].ipAddressType "ipv6": an IPv6-only endpoint needs IPv6-only subnets`) {
		t.Errorf("ipv6 on the demo VPC: %v", err)
	}
	if _, err := config.Resolve(config.Config{
		Provider:  config.Provider{DualStack: true, PrivateDNS: &config.PrivateDNS{Name: "api.example.com"}},
		Consumers: []config.Consumer{{PrivateDNSEnabled: true, IPAddressType: "dualstack"}},
	}); err != nil {
		t.Errorf("a dual-stack provider with a private DNS name: %v", err)
	}
}

// Safe teardown: the stacks depend on each other through their cross-stack
// reads, so cdktf destroys accept stacks and consumers before the provider
// (an endpoint service with connections cannot be deleted) and refuses to
// destroy the provider alone while they exist.
func TestStackDependenciesOrderTheTeardown(t *testing.T) {
	cfg, err := config.Load("../examples/config/three-consumers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	outdir := t.TempDir()
	if _, err := synth.Run(cfg, outdir); err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Stacks map[string]struct{ Dependencies []string }
	}
	parseJSONFile(t, filepath.Join(outdir, "manifest.json"), &manifest)
	for stack, want := range map[string][]string{
		"provider":                  nil,
		"consumer":                  {"provider"},
		"consumer-analytics":        {"provider"},
		"consumer-virginia":         {"provider"},
		"accept-consumer-analytics": {"consumer-analytics", "provider"},
		"accept-consumer-virginia":  {"consumer-virginia", "provider"},
	} {
		got := slices.Sorted(slices.Values(manifest.Stacks[stack].Dependencies))
		if !slices.Equal(got, want) {
			t.Errorf("%s depends on %v, want %v", stack, got, want)
		}
	}
}

// The example configs of this issue synthesize what they say.
func TestProductionDepthAndDualStackConfigs(t *testing.T) {
	docs := synthConfig(t, "production-depth")
	p, c := docs["provider"], docs["consumer-payments"]
	for _, typ := range []string{"aws_vpc_endpoint_service_private_dns_verification", "aws_vpc_endpoint_connection_notification", "aws_sns_topic", "aws_s3_bucket"} {
		if len(p.resources(typ)) != 1 {
			t.Errorf("production-depth provider: %d %s, want 1", len(p.resources(typ)), typ)
		}
	}
	svcName, svc := p.one(t, "aws_vpc_endpoint_service")
	expect(t, svcName, svc, "private_dns_name", "api.example.com")
	expect(t, svcName, svc, "supported_ip_address_types", []string{"ipv4", "ipv6"})
	expect(t, svcName, svc, "lifecycle.prevent_destroy", true)
	epName, ep := c.one(t, "aws_vpc_endpoint")
	expect(t, epName, ep, "private_dns_enabled", true)
	expect(t, epName, ep, "ip_address_type", "dualstack")
	if len(c.resources("aws_route53_zone")) != 0 {
		t.Error("a private zone beside private DNS")
	}
	vpcName, vpc := c.one(t, "aws_vpc")
	expect(t, vpcName, vpc, "assign_generated_ipv6_cidr_block", true)

	docs = synthConfig(t, "dual-stack")
	nlbName, nlb := docs["provider"].one(t, "aws_lb")
	expect(t, nlbName, nlb, "ip_address_type", "dualstack")
	expect(t, nlbName, nlb, "access_logs.enabled", true)
	expLC, lcr := docs["provider"].one(t, "aws_s3_bucket_lifecycle_configuration")
	expect(t, expLC, lcr, "rule.0.expiration.days", 30)
	for _, s := range []string{"provider", "consumer"} {
		for name, sub := range docs[s].resources("aws_subnet") {
			if strings.Contains(name, "Private") {
				if _, ok := sub["ipv6_cidr_block"]; !ok {
					t.Errorf("%s: private subnet %s has no IPv6 block", s, name)
				}
			}
		}
	}
}

// In the service's own stack, an endpoint with private DNS waits for the
// verification (AWS refuses private DNS on an unverified name).
func TestSameStackPrivateDNSEndpointWaitsForVerification(t *testing.T) {
	stack := newStack(t)
	props := existingALBProps()
	props.PrivateDNS = &privatelink.PrivateDNS{Name: "api.example.com", ZoneID: "Z0123456789ABC", ZoneName: "example.com"}
	svc, err := privatelink.NewProviderEndpointService(stack, "Svc", props)
	if err != nil {
		t.Fatal(err)
	}
	ep := consumerProps()
	ep.Service = svc
	ep.Ports = []int{443}
	ep.PrivateDNSEnabled = true
	if _, err := privatelink.NewConsumerEndpoint(stack, "Ep", ep); err != nil {
		t.Fatal(err)
	}
	doc := synthStack(t, stack)
	vName, _ := doc.one(t, "aws_vpc_endpoint_service_private_dns_verification")
	epName, endpoint := doc.one(t, "aws_vpc_endpoint")
	expect(t, epName, endpoint, "depends_on", []string{"aws_vpc_endpoint_service_private_dns_verification." + vName})
}

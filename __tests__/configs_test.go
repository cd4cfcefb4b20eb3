package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/stacks"
)

// synthConfig loads a checked-in example config and synthesizes the app.
// synthConfig is the synth of examples/config/NAME.yaml (shared with the
// golden tests), checking that App.StackNames lists exactly its stacks.
func synthConfig(t *testing.T, name string) map[string]tfDoc {
	t.Helper()
	c := synthCaseDocs(t, name)
	if !slices.Equal(keys(c.docs), sorted(c.stacks)) {
		t.Errorf("synthesized stacks %v, App.StackNames %v", keys(c.docs), c.stacks)
	}
	return c.docs
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func awsProvider(t *testing.T, doc tfDoc) resource {
	t.Helper()
	_, p := onlyBlock(t, doc, "provider", "aws")
	return p
}

// remoteState returns the only terraform_remote_state reading stack from.
func remoteState(t *testing.T, doc tfDoc, from string) resource {
	t.Helper()
	rs, ok := doc.data("terraform_remote_state")["cross-stack-reference-input-"+from]
	if !ok {
		t.Fatalf("no remote-state read of %s; data: %s", from, pretty(doc["data"]))
	}
	return rs
}

func TestSameAccountDemoConfig(t *testing.T) {
	docs := synthConfig(t, "same-account-demo")
	if got := keys(docs); !slices.Equal(got, []string{"consumer", "provider"}) {
		t.Fatalf("stacks = %v", got)
	}
	name, ep := docs["consumer"].one(t, "aws_vpc_endpoint")
	expect(t, name, ep, "auto_accept", true)
	expectUnset(t, "provider", awsProvider(t, docs["provider"]), "allowed_account_ids")
	expectUnset(t, "provider", awsProvider(t, docs["provider"]), "assume_role")
}

func TestHTTPSDemoConfig(t *testing.T) {
	docs := synthConfig(t, "https-demo")
	lName, l := docs["provider"].one(t, "aws_alb_listener")
	expect(t, lName, l, "protocol", "HTTPS")
	expect(t, lName, l, "ssl_policy", stacks.TLSPolicy)
	zName, z := docs["consumer"].one(t, "aws_route53_zone")
	expect(t, zName, z, "name", "app.example.com")
	tgName, tg := docs["provider"].one(t, "aws_lb_target_group")
	expect(t, tgName, tg, "health_check.matcher", "200")
}

func TestExistingALBConfig(t *testing.T) {
	docs := synthConfig(t, "existing-alb")
	p := docs["provider"]
	expect(t, "provider", awsProvider(t, p), "allowed_account_ids", []string{"111122223333"})
	for _, typ := range []string{"aws_vpc", "aws_alb", "aws_alb_listener"} {
		if len(p.resources(typ)) != 0 {
			t.Errorf("existing-ALB config created %s", typ)
		}
	}
	name, es := p.one(t, "aws_vpc_endpoint_service")
	// A known account needs no caller-identity lookup.
	expect(t, name, es, "allowed_principals", []string{"arn:aws:iam::111122223333:root"})
	if len(p.data("aws_caller_identity")) != 0 {
		t.Error("account ID is configured, yet the stack looks it up")
	}
	nlbName, nlb := p.one(t, "aws_lb")
	expect(t, nlbName, nlb, "enable_deletion_protection", true)
	var zones []string
	for _, s := range docs["consumer"].resources("aws_subnet") {
		zones = append(zones, s["availability_zone_id"].(string))
	}
	if !slices.Equal(sorted(zones), []string{"apne1-az1", "apne1-az4"}) {
		t.Errorf("consumer zones %v, want the NLB subnets' zones from provider.azIds", zones)
	}
}

// Cross-account: each stack assumes its account's role, Terraform is pinned
// to that account, the consumer's account is allowed, and an accept stack
// accepts the connection with the provider's role. State is one S3 bucket
// read and written with one profile.
func TestCrossAccountConfig(t *testing.T) {
	docs := synthConfig(t, "cross-account")
	if got := keys(docs); !slices.Equal(got, []string{"accept-consumer-payments", "consumer-payments", "provider"}) {
		t.Fatalf("stacks = %v", got)
	}
	pp := awsProvider(t, docs["provider"])
	expect(t, "provider", pp, "allowed_account_ids", []string{"111122223333"})
	expect(t, "provider", pp, "assume_role.0.role_arn", "arn:aws:iam::111122223333:role/PrivateLinkProvider")
	expect(t, "provider", pp, "assume_role.0.external_id", "acme-privatelink")
	expect(t, "provider", pp, "assume_role.0.session_name", "privatelink-provider")
	expect(t, "provider", pp, "default_tags.0.tags.Owner", "web-platform")

	cp := awsProvider(t, docs["consumer-payments"])
	expect(t, "consumer-payments", cp, "allowed_account_ids", []string{"444455556666"})
	expect(t, "consumer-payments", cp, "assume_role.0.role_arn", "arn:aws:iam::444455556666:role/PrivateLinkConsumer")
	expect(t, "consumer-payments", cp, "assume_role.0.session_name", "alb-privatelink-consumer-payments")
	expect(t, "consumer-payments", cp, "default_tags.0.tags.Owner", "payments")

	esName, es := docs["provider"].one(t, "aws_vpc_endpoint_service")
	expect(t, esName, es, "acceptance_required", true)
	expect(t, esName, es, "allowed_principals", []string{"arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"})

	epName, ep := docs["consumer-payments"].one(t, "aws_vpc_endpoint")
	expectUnset(t, epName, ep, "auto_accept") // it cannot accept in another account

	accept := docs["accept-consumer-payments"]
	ap := awsProvider(t, accept)
	expect(t, "accept-consumer-payments", ap, "assume_role.0.role_arn", "arn:aws:iam::111122223333:role/PrivateLinkProvider")
	expect(t, "accept-consumer-payments", ap, "allowed_account_ids", []string{"111122223333"})
	accName, acc := accept.one(t, "aws_vpc_endpoint_connection_accepter")
	for field, from := range map[string]string{"vpc_endpoint_id": "consumer-payments", "vpc_endpoint_service_id": "provider"} {
		v, _ := acc[field].(string)
		if !strings.Contains(v, "terraform_remote_state.cross-stack-reference-input-"+from) {
			t.Errorf("%s: %s = %q, want it read from the %s stack", accName, field, v, from)
		}
	}
	for _, stack := range []string{"provider", "consumer-payments", "accept-consumer-payments"} {
		expect(t, stack, resource(docs[stack]), "terraform.backend.s3.key", "network/privatelink/"+stack+".tfstate")
		expect(t, stack, resource(docs[stack]), "terraform.backend.s3.profile", "state-admin")
	}
	rs := remoteState(t, docs["consumer-payments"], "provider")
	expect(t, "consumer-payments remote state", rs, "config.profile", "state-admin")
	expect(t, "consumer-payments remote state", rs, "config.key", "network/privatelink/provider.tfstate")
}

func TestThreeConsumersConfig(t *testing.T) {
	docs := synthConfig(t, "three-consumers")
	want := []string{"accept-consumer-analytics", "accept-consumer-virginia", "consumer", "consumer-analytics", "consumer-virginia", "provider"}
	if got := keys(docs); !slices.Equal(got, want) {
		t.Fatalf("stacks = %v, want %v", got, want)
	}
	esName, es := docs["provider"].one(t, "aws_vpc_endpoint_service")
	expect(t, esName, es, "allowed_principals", []string{"arn:aws:iam::111122223333:root", "arn:aws:iam::777788889999:root"})
	// The home region is always listed: AWS reports it, and leaving it out
	// makes every plan try to remove it.
	expect(t, esName, es, "supported_regions", []string{"${data.aws_region.EndpointService_Region_5BEDC080.name}", "us-east-1"})

	// Every consumer reads the same service across stacks.
	svcRef := ""
	for _, stack := range []string{"consumer", "consumer-analytics", "consumer-virginia"} {
		name, ep := docs[stack].one(t, "aws_vpc_endpoint")
		sn, _ := ep["service_name"].(string)
		if !strings.Contains(sn, "cross-stack-reference-input-provider") {
			t.Errorf("%s/%s: service_name %q is not read from the provider stack", stack, name, sn)
		}
		if svcRef == "" {
			svcRef = sn[strings.Index(sn, ".outputs."):]
		} else if !strings.HasSuffix(sn, svcRef) {
			t.Errorf("%s reads another output than the other consumers: %q", stack, sn)
		}
	}

	a := docs["consumer-analytics"]
	expect(t, "consumer-analytics", awsProvider(t, a), "profile", "analytics")
	expect(t, "consumer-analytics", awsProvider(t, a), "allowed_account_ids", []string{"777788889999"})
	if len(a.resources("aws_vpc")) != 0 || len(a.resources("aws_subnet")) != 0 {
		t.Error("an adopted VPC must not be created")
	}
	name, ep := a.one(t, "aws_vpc_endpoint")
	expect(t, name, ep, "vpc_id", "vpc-0f1e2d3c4b5a69788")
	expect(t, name, ep, "subnet_ids", []string{"subnet-0f1e2d3c4b5a69788", "subnet-1f2e3d4c5b6a79899"})
	expectUnset(t, name, ep, "auto_accept")
	rName, rule := a.one(t, "aws_vpc_security_group_ingress_rule")
	expect(t, rName, rule, "cidr_ipv4", "10.50.32.0/20")

	v := docs["consumer-virginia"]
	expect(t, "consumer-virginia", awsProvider(t, v), "region", "us-east-1")
	name, ep = v.one(t, "aws_vpc_endpoint")
	expect(t, name, ep, "service_region", "ap-northeast-1")
	// auto_accept looks the service up in the endpoint's region, where it
	// is not: the provider's region accepts instead.
	expectUnset(t, name, ep, "auto_accept")
	expectUnset(t, name, ep, "lifecycle") // zones of another region are not comparable
	var zones []string
	for _, s := range v.resources("aws_subnet") {
		zones = append(zones, s["availability_zone_id"].(string))
	}
	if !slices.Equal(sorted(zones), []string{"use1-az1", "use1-az2"}) {
		t.Errorf("virginia zones = %v", zones)
	}
	if _, ok := docs["accept-consumer"]; ok {
		t.Error("the same-account consumer needs no accept stack")
	}
	for _, c := range []string{"consumer-analytics", "consumer-virginia"} {
		accName, acc := docs["accept-"+c].one(t, "aws_vpc_endpoint_connection_accepter")
		if v, _ := acc["vpc_endpoint_id"].(string); !strings.Contains(v, "cross-stack-reference-input-"+c) {
			t.Errorf("%s accepts %q, want %s's endpoint", accName, v, c)
		}
		expect(t, "accept-"+c, awsProvider(t, docs["accept-"+c]), "region", "ap-northeast-1")
	}
}

func TestS3BackendConfig(t *testing.T) {
	docs := synthConfig(t, "s3-backend")
	for _, stack := range []string{"provider", "consumer"} {
		b, ok := get(resource(docs[stack]), "terraform.backend.s3")
		if !ok {
			t.Fatalf("%s has no s3 backend: %s", stack, pretty(docs[stack]["terraform"]))
		}
		want := map[string]any{
			"bucket": "acme-terraform-state", "key": "network/privatelink/" + stack + ".tfstate",
			"region": "ap-northeast-1", "encrypt": true, "kms_key_id": "alias/terraform-state", "use_lockfile": true,
		}
		expect(t, stack, resource{"s3": b}, "s3", want)
	}
	rs := remoteState(t, docs["consumer"], "provider")
	expect(t, "remote state", rs, "backend", "s3")
	expect(t, "remote state", rs, "config.key", "network/privatelink/provider.tfstate")
	expect(t, "remote state", rs, "config.bucket", "acme-terraform-state")
}

func TestCloudBackendConfig(t *testing.T) {
	docs := synthConfig(t, "cloud-backend")
	for _, stack := range []string{"provider", "consumer"} {
		expect(t, stack, resource(docs[stack]), "terraform.cloud", map[string]any{
			"organization": "acme", "hostname": "app.terraform.io",
			"workspaces": map[string]any{"name": "privatelink-" + stack, "project": "networking"},
		})
		expectUnset(t, stack, resource(docs[stack]), "terraform.backend")
	}
	rs := remoteState(t, docs["consumer"], "provider")
	expect(t, "remote state", rs, "backend", "remote")
	expect(t, "remote state", rs, "config.organization", "acme")
	expect(t, "remote state", rs, "config.workspaces.name", "privatelink-provider")
}

// With the provider elsewhere, the app builds only consumers, wired by name.
func TestProviderElsewhere(t *testing.T) {
	no := false
	docs, built := synthApp(t, config.Config{
		Provider:  config.Provider{Enabled: &no},
		Consumers: []config.Consumer{{ServiceName: testServiceName}, {Name: "b", ServiceName: testServiceName, ServiceRegion: "us-east-1"}},
	})
	if got := built.StackNames(); !slices.Equal(got, []string{"consumer", "consumer-b"}) {
		t.Fatalf("stacks = %v", got)
	}
	for stack, doc := range docs {
		if len(doc.data("terraform_remote_state")) != 0 {
			t.Errorf("%s reads remote state though the service is named", stack)
		}
		name, ep := doc.one(t, "aws_vpc_endpoint")
		expect(t, name, ep, "service_name", testServiceName)
	}
	name, ep := docs["consumer-b"].one(t, "aws_vpc_endpoint")
	expect(t, name, ep, "service_region", "us-east-1")
}

// In China and GovCloud, account IDs must become ARNs of that partition.
func TestPrincipalsUseTheRegionsPartition(t *testing.T) {
	docs, _ := synthApp(t, config.Config{
		Provider:  config.Provider{AWS: config.AWS{Region: "cn-north-1", AccountID: "111111111111"}, AZIDs: []string{"cnn1-az1", "cnn1-az2"}},
		Consumers: []config.Consumer{{}, {Name: "b", AWS: config.AWS{AccountID: "222222222222"}}},
	})
	name, es := docs["provider"].one(t, "aws_vpc_endpoint_service")
	expect(t, name, es, "allowed_principals", []string{"arn:aws-cn:iam::111111111111:root", "arn:aws-cn:iam::222222222222:root"})
}

// Every key of every example config is one the loader knows: misspelling
// any of them is refused on its line, with the right key suggested. (A
// renamed Go field or YAML tag would break the examples users copy.)
func TestExampleConfigKeysAreKnownAndSuggested(t *testing.T) {
	paths, _ := filepath.Glob("../examples/config/*.yaml")
	keyRe := regexp.MustCompile(`^(\s*(?:- )?)([a-z][A-Za-z]{3,}):`)
	checked := 0
	for _, p := range append(paths, "../config.example.yaml") {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(raw), "\n")
		for i, line := range lines {
			m := keyRe.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			key := m[2]
			typo := key[:len(key)-1] // drop the last letter
			broken := slices.Clone(lines)
			broken[i] = m[1] + typo + line[len(m[0])-1:]
			_, err := config.Parse([]byte(strings.Join(broken, "\n")))
			want := fmt.Sprintf(`line %d: `, i+1)
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), typo+`: unknown key; did you mean "`+key+`"?`) {
				t.Errorf("%s line %d: %q misspelt as %q: %v", filepath.Base(p), i+1, key, typo, err)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("checked only %d keys", checked)
	}
}

package tests

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/alb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/alblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpointservice"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
	"github.com/alb-privatelink/alb-privatelink/policy"
	"github.com/alb-privatelink/alb-privatelink/synth"
)

// synthPolicy synthesizes cfg through synth.Run (policy included) into
// a temp folder.
func synthPolicy(t *testing.T, cfg config.Config) (*synth.Result, error) {
	t.Helper()
	return synth.Run(resolve(t, cfg), filepath.Join(t.TempDir(), "cdktf.out"))
}

func policyFindings(t *testing.T, err error) synth.PolicyErrors {
	t.Helper()
	var pe synth.PolicyErrors
	if !errors.As(err, &pe) {
		t.Fatalf("want policy errors, got %v", err)
	}
	return pe
}

func findingAt(pe synth.PolicyErrors, rule, path string) bool {
	for _, f := range pe {
		if f.Rule.ID == rule && f.Path == path {
			return true
		}
	}
	return false
}

// The zero-config demo and every example config pass every error rule.
func TestDefaultAndExamplesPassPolicy(t *testing.T) {
	owner := 0
	for _, w := range synthCaseDocs(t, "default").res.Warnings {
		if strings.Contains(w, "PL006") && strings.Contains(w, "no Owner tag") {
			owner++
		}
	}
	if owner != 2 {
		t.Errorf("want one Owner warning per demo stack (2), got %d in %q", owner, synthCaseDocs(t, "default").res.Warnings)
	}
	for name, c := range currentSynths(t) {
		if c.err != nil {
			t.Errorf("%s fails: %v", name, c.err)
		}
	}
}

// PL005: production defaults turn deletion protection on; turning it off
// fails the synth unless suppressed with a reason in the config file.
func TestProductionDeletionProtection(t *testing.T) {
	docs, _ := synthApp(t, config.Config{Provider: config.Provider{Production: true}})
	nlbName, nlb := docs["provider"].one(t, "aws_lb")
	expect(t, nlbName, nlb, "enable_deletion_protection", true)
	esName, es := docs["provider"].one(t, "aws_vpc_endpoint_service")
	expect(t, esName, es, "lifecycle.prevent_destroy", true)
	if _, err := synthPolicy(t, config.Config{Provider: config.Provider{Production: true}}); err != nil {
		t.Fatalf("production defaults fail policy: %v", err)
	}

	no := false
	cfg := config.Config{Provider: config.Provider{Production: true, NLB: config.NLB{DeletionProtection: &no}}}
	_, err := synthPolicy(t, cfg)
	pe := policyFindings(t, err)
	if !findingAt(pe, "PL005", "provider/EndpointService/Nlb") {
		t.Errorf("PL005 did not fire on the unprotected NLB: %v", pe)
	}
	if !strings.Contains(err.Error(), "policy PL005 deletion protection is off in a production stack (provider/EndpointService/Nlb, aws_lb.EndpointService_Nlb_74252062)") {
		t.Errorf("error does not name the rule, path and address:\n%v", err)
	}

	cfg.Policy.Suppressions = []config.Suppression{{Rule: "PL005", Path: "provider/EndpointService/Nlb", Reason: "blue/green cut-over this week; ticket NET-42"}}
	outdir := filepath.Join(t.TempDir(), "cdktf.out")
	res, err := synth.Run(resolve(t, cfg), outdir)
	if err != nil {
		t.Fatalf("suppressed PL005 still fails: %v", err)
	}
	// The bypass is on record: one audit line, and the file CI reads.
	if len(res.Suppressed) != 1 {
		t.Fatalf("want the one suppressed PL005 finding, got %v", res.Suppressed)
	}
	wantLine := "suppressed: PL005 (error) deletion protection is off in a production stack (provider/EndpointService/Nlb, aws_lb.EndpointService_Nlb_74252062): "
	if line := synth.Audit(res.Suppressed[0]); !strings.HasPrefix(line, wantLine) || !strings.HasSuffix(line, "; reason: blue/green cut-over this week; ticket NET-42") {
		t.Errorf("audit line %q\nwant %q...; reason: blue/green cut-over this week; ticket NET-42", line, wantLine)
	}
	raw, err := os.ReadFile(filepath.Join(outdir, synth.SuppressionsFile))
	if err != nil {
		t.Fatal(err)
	}
	var file struct{ Suppressed []synth.SuppressedFinding }
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatalf("%s: %v\n%s", synth.SuppressionsFile, err, raw)
	}
	if len(file.Suppressed) != 1 || file.Suppressed[0] != (synth.SuppressedFinding{
		Rule: "PL005", Level: "error", Stack: "provider", Path: "provider/EndpointService/Nlb",
		Address: "aws_lb.EndpointService_Nlb_74252062", Detail: res.Suppressed[0].Detail,
		Reason: "blue/green cut-over this week; ticket NET-42",
	}) || res.Suppressed[0].Detail == "" {
		t.Errorf("%s lists %+v", synth.SuppressionsFile, file.Suppressed)
	}
	// Not production: no PL005 at all.
	if _, err := synthPolicy(t, config.Config{Provider: config.Provider{NLB: config.NLB{DeletionProtection: &no}}}); err != nil {
		t.Errorf("PL005 fired outside production: %v", err)
	}
}

// PL002 no longer fires on our constructs, which refuse 0.0.0.0/0
// themselves, before synth; it still guards hand-written endpoints (see
// policy/rules_test.go).
func TestOpenEndpointIsRefusedBeforePolicy(t *testing.T) {
	_, err := config.Resolve(config.Config{Consumers: []config.Consumer{{ClientCIDRs: []string{"0.0.0.0/0"}}}})
	if err == nil || !strings.Contains(err.Error(), `consumers[0].clientCidrs[0] "0.0.0.0/0": admits the whole internet to a private ALB`) {
		t.Errorf("config with 0.0.0.0/0: %v", err)
	}
	ep := consumerProps()
	ep.AllowedCIDRs = []string{"0.0.0.0/0"}
	if _, err := privatelink.NewConsumerEndpoint(newStack(t), "Ep", ep); err == nil || !strings.Contains(err.Error(), `AllowedCIDRs[0] "0.0.0.0/0"`) {
		t.Errorf("construct with 0.0.0.0/0: %v", err)
	}
}

// Rules also guard stacks that do not use our constructs, and
// policy.Suppress exempts one construct from one rule in Go.
func TestPolicyOnHandWrittenStack(t *testing.T) {
	dir := t.TempDir()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(dir)})
	stack := cdktf.NewTerraformStack(app, jsii.String("web"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("ap-northeast-1")})
	web := alb.NewAlb(stack, jsii.String("Web"), &alb.AlbConfig{Internal: jsii.Bool(false), Subnets: jsii.Strings(testSubnets...)})
	action := &[]*alblistener.AlbListenerDefaultAction{{Type: jsii.String("fixed-response"),
		FixedResponse: &alblistener.AlbListenerDefaultActionFixedResponse{ContentType: jsii.String("text/plain")}}}
	alblistener.NewAlbListener(stack, jsii.String("Https"), &alblistener.AlbListenerConfig{LoadBalancerArn: web.Arn(), Port: jsii.Number(443),
		Protocol: jsii.String("HTTPS"), CertificateArn: jsii.String(testCertARN), DefaultAction: action})
	plain := alblistener.NewAlbListener(stack, jsii.String("Http"), &alblistener.AlbListenerConfig{LoadBalancerArn: web.Arn(), Port: jsii.Number(80),
		Protocol: jsii.String("HTTP"), DefaultAction: action})
	vpcendpointservice.NewVpcEndpointService(stack, jsii.String("Open"), &vpcendpointservice.VpcEndpointServiceConfig{
		AcceptanceRequired: jsii.Bool(false), AllowedPrincipals: jsii.Strings("*"), NetworkLoadBalancerArns: jsii.Strings("arn:nlb"),
	})
	if err := policy.Suppress(plain, "PL003", "x"); err == nil {
		t.Error("a suppression without a real reason was accepted")
	}
	app.Synth()
	report, err := policy.Check(app, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range report.Errors() {
		got[f.Rule.ID+"@"+f.Path] = true
	}
	for _, want := range []string{"PL001@web/Open", "PL003@web/Http", "PL004@web/Web"} {
		if !got[want] {
			t.Errorf("%s did not fire; errors: %v", want, report.Errors())
		}
	}
	warned := false
	for _, f := range report.Warnings() {
		warned = warned || (f.Rule.ID == "PL006" && f.Path == "web/Web")
	}
	if !warned {
		t.Errorf("the untagged ALB gave no PL006 warning: %v", report.Warnings())
	}

	// Suppress one rule on one construct (and only there).
	if err := policy.Suppress(plain, "PL003", "legacy clients need HTTP until 2027-01; tracked in WEB-7"); err != nil {
		t.Fatal(err)
	}
	if err := policy.Suppress(web, "PL004", "the application validates headers itself (WEB-9)"); err != nil {
		t.Fatal(err)
	}
	report, err = policy.Check(app, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range report.Errors() {
		if f.Rule.ID == "PL003" || f.Rule.ID == "PL004" {
			t.Errorf("suppressed finding still an error: %v", f)
		}
	}
	suppressed := 0
	for _, f := range report.Findings {
		if f.SuppressedBy != "" {
			suppressed++
		}
	}
	if suppressed != 2 || len(report.Errors()) != 1 {
		t.Errorf("want PL003 and PL004 suppressed and PL001 left, got %d suppressed, errors %v", suppressed, report.Errors())
	}
}

package tests

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
	"github.com/alb-privatelink/alb-privatelink/internal/testutil"
	"github.com/alb-privatelink/alb-privatelink/probe"
	"github.com/alb-privatelink/alb-privatelink/stacks"
	"github.com/alb-privatelink/alb-privatelink/synth"
)

// The probe runs in the endpoint's subnets with a group that may only
// reach the endpoint, calls the custom domain and the endpoint's own name
// on each port, and ships the function built from this repo's source.
func TestProbeCallsTheEndpointFromInsideTheVPC(t *testing.T) {
	props := consumerProps()
	props.CustomDomain = "orders.example.com"
	props.Ports = []int{443, 8443}
	props.Probe = true
	doc, ep := synthConsumer(t, props)
	if ep.Probe() == nil || ep.Probe().FunctionName() == nil {
		t.Fatal("Probe is set, but the endpoint has no probe")
	}
	epName, _ := doc.one(t, "aws_vpc_endpoint")
	fnName, fn := doc.one(t, "aws_lambda_function")
	expect(t, fnName, fn, "function_name", "probe-"+ref("aws_vpc_endpoint", epName, "id"))
	expect(t, fnName, fn, "runtime", "provided.al2023")
	expect(t, fnName, fn, "handler", "bootstrap")
	expect(t, fnName, fn, "architectures", []string{"arm64"})
	expect(t, fnName, fn, "timeout", 30)
	expect(t, fnName, fn, "vpc_config.subnet_ids", testConsumerSubnets)
	expect(t, fnName, fn, "environment.variables", map[string]string{
		"PROBE_HOSTS": "orders.example.com,${aws_vpc_endpoint." + epName + ".dns_entry[0].dns_name}",
		"PROBE_PORTS": "443,8443",
	})
	hash := probe.SourceHash()[:32]
	expect(t, fnName, fn, "source_code_hash", hash)
	if f, _ := get(fn, "filename"); !strings.HasSuffix(f.(string), "/"+hash+"/function.zip") {
		t.Errorf("filename %v is not the asset of this source (%s)", f, hash)
	}

	// its own group: egress to the endpoint's group on each port, nothing else
	var probeSG, endpointSG string
	for name, sg := range doc.resources("aws_security_group") {
		if strings.Contains(sg["description"].(string), "probe") {
			probeSG = name
		} else {
			endpointSG = name
		}
	}
	expect(t, fnName, fn, "vpc_config.security_group_ids", []string{ref("aws_security_group", probeSG, "id")})
	egress := doc.resources("aws_vpc_security_group_egress_rule")
	if len(egress) != 2 {
		t.Fatalf("want an egress rule per port, got %s", pretty(egress))
	}
	for name, r := range egress {
		expect(t, name, r, "security_group_id", ref("aws_security_group", probeSG, "id"))
		expect(t, name, r, "referenced_security_group_id", ref("aws_security_group", endpointSG, "id"))
		expectUnset(t, name, r, "cidr_ipv4")
	}
	admitted := 0
	for name, r := range doc.resources("aws_vpc_security_group_ingress_rule") {
		if g, ok := r["referenced_security_group_id"]; ok {
			expect(t, name, r, "security_group_id", ref("aws_security_group", endpointSG, "id"))
			if g != ref("aws_security_group", probeSG, "id") {
				t.Errorf("%s admits %v", name, g)
			}
			admitted++
		}
	}
	if admitted != 2 {
		t.Errorf("the endpoint's group admits the probe on %d ports, want 2", admitted)
	}

	// its role: Lambda assumes it; it writes to its own log group only
	roleName, role := doc.one(t, "aws_iam_role")
	var trust map[string]any
	json.Unmarshal([]byte(role["assume_role_policy"].(string)), &trust)
	if p, _ := get(trust, "Statement.0.Principal.Service"); p != "lambda.amazonaws.com" {
		t.Errorf("%s is assumed by %v", roleName, p)
	}
	lgName, lg := doc.one(t, "aws_cloudwatch_log_group")
	expect(t, lgName, lg, "name", "/aws/lambda/probe-"+ref("aws_vpc_endpoint", epName, "id"))
	expect(t, lgName, lg, "retention_in_days", 30)
	polName, pol := doc.one(t, "aws_iam_role_policy")
	if !strings.Contains(pol["policy"].(string), `"Resource":"`+ref("aws_cloudwatch_log_group", lgName, "arn")+`:*"`) {
		t.Errorf("%s does not scope its logs to the log group: %s", polName, pol["policy"])
	}
	// created once its role may create network interfaces, and its group exists
	expect(t, fnName, fn, "depends_on", []string{"aws_iam_role_policy." + polName, "aws_cloudwatch_log_group." + lgName})
}

// A function built elsewhere: cdktf hashes its folder.
func TestProbeTakesAFunctionBuiltElsewhere(t *testing.T) {
	code := t.TempDir()
	testutil.WriteFile(t, filepath.Join(code, "bootstrap"), "#!/bin/sh\n")
	stack := newStack(t)
	ep, err := privatelink.NewConsumerEndpoint(stack, "Ep", consumerProps())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := privatelink.NewConnectivityProbe(stack, "Probe", privatelink.ConnectivityProbeProps{Endpoint: ep, CodeDir: code, LogRetentionDays: 7}); err != nil {
		t.Fatal(err)
	}
	doc := synthStack(t, stack)
	fnName, fn := doc.one(t, "aws_lambda_function")
	if h, _ := get(fn, "source_code_hash"); h == probe.SourceHash()[:32] || h == "" {
		t.Errorf("%s: source_code_hash %v, want the hash of %s", fnName, h, code)
	}
	lgName, lg := doc.one(t, "aws_cloudwatch_log_group")
	expect(t, lgName, lg, "retention_in_days", 7)
	if _, err := privatelink.NewConnectivityProbe(stack, "Probe2", privatelink.ConnectivityProbeProps{Endpoint: ep, CodeDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "CodeDir") {
		t.Errorf("a folder without bootstrap: %v", err)
	}
	if _, err := privatelink.NewConnectivityProbe(stack, "Probe3", privatelink.ConnectivityProbeProps{Endpoint: ep, CodeDir: code}); err == nil || !strings.Contains(err.Error(), "has a connectivity probe already") {
		t.Errorf("a second probe of one endpoint: %v", err)
	}
}

func TestNoProbeByDefault(t *testing.T) {
	doc, ep := synthConsumer(t, consumerProps())
	if ep.Probe() != nil || len(doc.resources("aws_lambda_function")) != 0 {
		t.Error("a probe was made without Probe")
	}
}

// The asset in the stack's folder is a zip holding one executable,
// bootstrap, for Linux on arm64: what provided.al2023 runs.
func TestProbeAssetIsTheLinuxArm64Bootstrap(t *testing.T) {
	dir := t.TempDir()
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(dir)})
	cfg := resolve(t, config.Config{Consumers: []config.Consumer{{Probe: true}}})
	if _, err := stacks.Build(app, cfg); err != nil {
		t.Fatal(err)
	}
	app.Synth()
	zips, _ := filepath.Glob(filepath.Join(dir, "stacks", "consumer", "assets", "*", probe.SourceHash()[:32], probe.ZipName))
	if len(zips) != 1 {
		t.Fatalf("want one asset archive named by the source hash, got %v", zips)
	}
	r, err := zip.OpenReader(zips[0])
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if len(r.File) != 1 || r.File[0].Name != "bootstrap" || r.File[0].Mode()&0o111 == 0 {
		t.Fatalf("archive holds %v; want an executable bootstrap only", r.File)
	}
	f, _ := r.File[0].Open()
	b, _ := io.ReadAll(f)
	bin, err := elf.NewFile(bytes.NewReader(b))
	if err != nil || bin.Machine != elf.EM_AARCH64 {
		t.Errorf("bootstrap is not an arm64 ELF executable: %v", err)
	}
	docs := readOutdir(t, dir)
	if _, ok := docs["consumer"]["output"].(map[string]any)["probe_function_name"]; !ok {
		t.Error("the consumer stack has no probe_function_name output, which the doctor reads")
	}
}

// namedService is a service with a private DNS name, as an owned one with
// PrivateDNS says.
type namedService struct{ name string }

func (s namedService) ServiceName() *string     { return jsii.String(testServiceName) }
func (s namedService) PrivateDNSName() string   { return s.name }
func (s namedService) IPAddressTypes() []string { return []string{"ipv4"} }

// With private DNS, clients call the service's name: the probe calls it
// first, then the endpoint's own.
func TestProbeCallsThePrivateDNSName(t *testing.T) {
	props := consumerProps()
	props.Service = namedService{"api.example.com"}
	props.PrivateDNSEnabled = true
	props.Probe = true
	doc, _ := synthConsumer(t, props)
	epName, _ := doc.one(t, "aws_vpc_endpoint")
	fnName, fn := doc.one(t, "aws_lambda_function")
	expect(t, fnName, fn, "environment.variables.PROBE_HOSTS", "api.example.com,${aws_vpc_endpoint."+epName+".dns_entry[0].dns_name}")
}

// The synth owns its stacks' assets: an older build of the probe, or the
// probe of a consumer that no longer has one, does not linger in cdktf.out.
func TestSynthPrunesAssetsItNoLongerWrites(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cdktf.out")
	with := resolve(t, config.Config{Consumers: []config.Consumer{{Probe: true}}})
	if _, err := synth.Run(with, out); err != nil {
		t.Fatal(err)
	}
	assets := filepath.Join(out, "stacks", "consumer", "assets")
	old := filepath.Join(assets, "Endpoint_Probe_Code_A932577F", "0123456789abcdef0123456789abcdef")
	testutil.WriteFile(t, filepath.Join(old, probe.ZipName), "an older build")
	if _, err := synth.Run(with, out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("an older build of the probe is still in %s", old)
	}
	if zips, _ := filepath.Glob(filepath.Join(assets, "*", probe.SourceHash()[:32], probe.ZipName)); len(zips) != 1 {
		t.Errorf("the current build is gone: %v", zips)
	}
	if _, err := synth.Run(resolve(t, config.Config{}), out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(assets); !os.IsNotExist(err) {
		left, _ := os.ReadDir(assets)
		t.Errorf("the probe is off, yet %s holds %v", assets, left)
	}
}

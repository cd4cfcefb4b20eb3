package tests

import (
	"slices"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
)

// The typed attributes callers wire into their own resources refer to the
// resources the constructs defined.
func TestConstructsExposeTheirResources(t *testing.T) {
	stack := newStack(t)
	props := existingALBProps()
	props.Listeners = append(props.Listeners, privatelink.ALBListener{Port: 8443, Protocol: "HTTPS"})
	props.AllowedPrincipals = []string{"444455556666"}
	svc, err := privatelink.NewProviderEndpointService(stack, "Svc", props)
	if err != nil {
		t.Fatal(err)
	}
	cprops := consumerProps()
	cprops.Service = svc
	ep, err := privatelink.NewConsumerEndpoint(stack, "Ep", cprops)
	if err != nil {
		t.Fatal(err)
	}
	attrs := map[string]*string{
		"service_name":      svc.ServiceName(),
		"service":           svc.Service().ServiceName(),
		"service_id":        svc.ServiceID(),
		"nlb":               svc.NLB().Arn(),
		"nlb_arn":           svc.NLBARN(),
		"nlb_dns_name":      svc.NLBDNSName(),
		"nlb_sg":            svc.NLBSecurityGroupID(),
		"endpoint_id":       ep.EndpointID(),
		"endpoint":          ep.Endpoint().Id(),
		"endpoint_sg":       ep.SecurityGroupID(),
		"endpoint_sg_res":   ep.SecurityGroup().Id(),
		"endpoint_dns_name": ep.DNSEntries().Get(jsii.Number(0)).DnsName(),
	}
	for name, value := range attrs {
		cdktf.NewTerraformOutput(stack, jsii.String(name), &cdktf.TerraformOutputConfig{Value: value})
	}
	doc := synthStack(t, stack)
	esName, _ := doc.one(t, "aws_vpc_endpoint_service")
	nlbName, _ := doc.one(t, "aws_lb")
	epName, _ := doc.one(t, "aws_vpc_endpoint")
	var nlbSG, epSG string
	for name, sg := range doc.resources("aws_security_group") {
		switch tag, _ := get(sg, "tags.Name"); tag {
		case "test-Svc-nlb-sg":
			nlbSG = name
		case "test-Ep-endpoint":
			epSG = name
		}
	}
	want := map[string]string{
		"service_name":      ref("aws_vpc_endpoint_service", esName, "service_name"),
		"service":           ref("aws_vpc_endpoint_service", esName, "service_name"),
		"service_id":        ref("aws_vpc_endpoint_service", esName, "id"),
		"nlb":               ref("aws_lb", nlbName, "arn"),
		"nlb_arn":           ref("aws_lb", nlbName, "arn"),
		"nlb_dns_name":      ref("aws_lb", nlbName, "dns_name"),
		"nlb_sg":            ref("aws_security_group", nlbSG, "id"),
		"endpoint_id":       ref("aws_vpc_endpoint", epName, "id"),
		"endpoint":          ref("aws_vpc_endpoint", epName, "id"),
		"endpoint_sg":       ref("aws_security_group", epSG, "id"),
		"endpoint_sg_res":   ref("aws_security_group", epSG, "id"),
		"endpoint_dns_name": "${aws_vpc_endpoint." + epName + ".dns_entry[0].dns_name}",
	}
	outputs, _ := doc["output"].(map[string]any)
	for name, w := range want {
		if got, _ := get(outputs[name], "value"); got != w {
			t.Errorf("output %s = %v, want %s", name, got, w)
		}
	}
	if *svc.Node().Path() != "test/Svc" || *ep.Node().Path() != "test/Ep" {
		t.Errorf("Node paths %s, %s", *svc.Node().Path(), *ep.Node().Path())
	}
	if got := len(svc.TargetGroups()); got != 2 {
		t.Errorf("TargetGroups() has %d, want one per listener (2)", got)
	}
	if got := svc.AllowedPrincipals(); !slices.Equal(got, []string{"arn:aws:iam::444455556666:root"}) {
		t.Errorf("AllowedPrincipals() = %v, want the account's root ARN", got)
	}
	if !svc.AcceptanceRequired() {
		t.Error("AcceptanceRequired() is false by default")
	}
}

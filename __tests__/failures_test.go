package tests

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/config"
	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
	"github.com/alb-privatelink/alb-privatelink/stacks"
)

// Bad props never reach Terraform: each constructor returns every problem
// its Check reports (the failure tables sit beside the constructs, in
// constructs/privatelink/check_test.go), one per line, and defines nothing.
func TestConstructorsRefuseBadPropsBeforeDefiningAnything(t *testing.T) {
	props := existingALBProps()
	props.SubnetIDs = props.SubnetIDs[:1]
	props.Listeners = []privatelink.ALBListener{{Port: 0, Protocol: "HTTPS"}}
	stack := newStack(t)
	svc, err := privatelink.NewProviderEndpointService(stack, "Svc", props)
	want := "SubnetIDs has 1, want at least 2 subnets in different Availability Zones\nListeners[0].Port 0: want a TCP port from 1 to 65535"
	if err == nil || err.Error() != want || svc != nil {
		t.Errorf("NewProviderEndpointService = %v, %v; want nil and\n%s", svc, err, want)
	}

	cprops := consumerProps()
	cprops.Ports = []int{443, 443}
	cprops.Service = nil
	ep, err := privatelink.NewConsumerEndpoint(stack, "Ep", cprops)
	want = "Service is required: a *ProviderEndpointService or EndpointServiceFromName(\"com.amazonaws.vpce.REGION.vpce-svc-ID\")\nPorts[1] 443: listed twice"
	if err == nil || err.Error() != want || ep != nil {
		t.Errorf("NewConsumerEndpoint = %v, %v; want nil and\n%s", ep, err, want)
	}
	probe, err := privatelink.NewConnectivityProbe(stack, "Probe", privatelink.ConnectivityProbeProps{LogRetentionDays: 10})
	want = "Endpoint is required: the ConsumerEndpoint to probe\nLogRetentionDays 10: want one of CloudWatch Logs' values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653"
	if err == nil || err.Error() != want || probe != nil {
		t.Errorf("NewConnectivityProbe = %v, %v; want nil and\n%s", probe, err, want)
	}
	if n := len(*stack.Node().Children()); n != 1 { // only the AWS provider
		t.Errorf("failed constructors left %d children in the stack", n-1)
	}
}

// The stacks take only a configuration that config.Resolve checked.
func TestBuildRefusesAnUnresolvedConfig(t *testing.T) {
	app := cdktf.Testing_App(nil)
	built, err := stacks.Build(app, config.Resolved{})
	if err == nil || !strings.Contains(err.Error(), "config.Resolve") || built != nil {
		t.Errorf("Build(unresolved) = %v, %v", built, err)
	}
	if n := len(*app.Node().Children()); n != 0 {
		t.Errorf("Build created %d stacks for an unresolved config", n)
	}
}

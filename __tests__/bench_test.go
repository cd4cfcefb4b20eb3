package tests

import (
	"fmt"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/constructs/privatelink"
)

// BenchmarkSynthProviderAndConsumers measures building and synthesizing one
// provider stack and N consumer stacks that reference it across stacks.
// Run: go test ./__tests__ -run '^$' -bench Synth -benchtime 3x
func BenchmarkSynthProviderAndConsumers(b *testing.B) {
	for _, n := range []int{1, 5, 20} {
		b.Run(fmt.Sprintf("consumers=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(b.TempDir())})
				pStack := cdktf.NewTerraformStack(app, jsii.String("provider"))
				provider.NewAwsProvider(pStack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("ap-northeast-1")})
				svc, err := privatelink.NewProviderEndpointService(pStack, "Svc", existingALBProps())
				if err != nil {
					b.Fatal(err)
				}
				for c := 0; c < n; c++ {
					stack := cdktf.NewTerraformStack(app, jsii.String(fmt.Sprintf("consumer-%d", c)))
					provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("ap-northeast-1")})
					props := consumerProps()
					props.Service = svc
					if _, err := privatelink.NewConsumerEndpoint(stack, "Ep", props); err != nil {
						b.Fatal(err)
					}
				}
				app.Synth()
			}
		})
	}
}

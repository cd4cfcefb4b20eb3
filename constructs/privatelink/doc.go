// Package privatelink holds the typed constructs for private access to an
// Application Load Balancer through AWS PrivateLink: ProviderEndpointService
// publishes the ALB (internal NLB, alb-type target groups, endpoint service)
// and ConsumerEndpoint reaches it (interface endpoint, its security group, an
// optional private DNS name).
package privatelink

// Every program that builds these constructs gets a jsii kernel that loads
// only the AWS resource classes it uses (about 3x faster synth).
import _ "github.com/alb-privatelink/alb-privatelink/internal/jsiilazy"

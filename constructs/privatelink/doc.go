// Package privatelink holds the typed constructs for private access to an
// Application Load Balancer through AWS PrivateLink: ProviderEndpointService
// publishes the ALB (internal NLB, alb-type target groups, endpoint service)
// and ConsumerEndpoint reaches it (interface endpoint, its security group, an
// optional private DNS name).
package privatelink

package privatelink

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsregion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsvpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroupattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpointservice"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/alb-privatelink/alb-privatelink/constructs/policy"
)

// ALBListener is one listener of the Application Load Balancer to publish.
type ALBListener struct {
	// Port the ALB listener listens on. The NLB listens on the same port and
	// the target group uses it, because AWS only registers an ALB as a target
	// on a port where the ALB has a listener.
	Port int
	// Protocol of the ALB listener: "HTTPS" or "HTTP". The target group's
	// health check speaks it, so an HTTPS-only ALB does not look unhealthy.
	Protocol string
	// Resource is the ALB listener when this Terraform configuration defines
	// it. The target group attachment depends on it so that Terraform does not
	// register the ALB before the listener exists (AWS rejects that).
	// Default: none; the listener must already exist.
	Resource cdktf.ITerraformDependable
}

// HealthCheck configures how the NLB checks the ALB. Zero fields take defaults.
type HealthCheck struct {
	// Protocol of the check: "HTTPS" or "HTTP".
	// Default: the protocol of the ALB listener on that port.
	Protocol string `yaml:"protocol"`
	// Path requested by the check. Default: "/".
	Path string `yaml:"path"`
	// Matcher lists the HTTP codes that count as healthy, such as "200" or
	// "200-399". Default: "200-399".
	Matcher string `yaml:"matcher"`
	// IntervalSeconds between checks, 5 to 300. Default: 30.
	IntervalSeconds int `yaml:"intervalSeconds"`
	// TimeoutSeconds before a check fails, 2 to 120, less than the interval.
	// Default: 5.
	TimeoutSeconds int `yaml:"timeoutSeconds"`
	// HealthyThreshold is the number of passing checks, 2 to 10, before the
	// ALB counts as healthy. Default: 3.
	HealthyThreshold int `yaml:"healthyThreshold"`
	// UnhealthyThreshold is the number of failing checks, 2 to 10, before the
	// ALB counts as unhealthy. Default: 3.
	UnhealthyThreshold int `yaml:"unhealthyThreshold"`
}

// ProviderEndpointServiceProps configures a ProviderEndpointService.
type ProviderEndpointServiceProps struct {
	// VPCID is the VPC of the ALB. The NLB must be in the same VPC (and account).
	VPCID string
	// SubnetIDs are two or more private subnets, in different Availability
	// Zones, for the internal NLB. Consumers can only use zones listed here.
	SubnetIDs []string
	// ALBARN is the ARN of the Application Load Balancer to publish.
	ALBARN string
	// Listeners of the ALB to publish, at least one, each on its own port.
	Listeners []ALBListener
	// ALBSecurityGroupID is the ALB's security group. When set, it gets an
	// ingress rule per listener port from the NLB's security group: traffic
	// through PrivateLink reaches the ALB from the NLB's private addresses,
	// which an ALB that only trusts CloudFront would reject.
	// Default: none; the ALB's security group is not changed and must already
	// admit the NLB subnets on the listener ports.
	ALBSecurityGroupID string
	// AcceptanceRequired makes the service owner accept each endpoint
	// connection. Default: true.
	AcceptanceRequired *bool
	// AllowedPrincipals may create endpoints to the service: 12-digit account
	// IDs (meaning the account's root ARN) or IAM ARNs. "*" (anyone in the
	// partition) is refused unless AcceptanceRequired is true.
	// Default: none; nobody can connect until AllowPrincipal is called.
	AllowedPrincipals []string
	// Partition makes account IDs ARNs of that partition ("aws-cn",
	// "aws-us-gov"). Default: "aws".
	Partition string
	// SupportedRegions are the regions whose consumers may connect
	// (cross-region PrivateLink). When set, the service's own region is
	// added if missing: AWS always reports it, and a list without it makes
	// every plan try to remove it. Default: only the service's own region.
	SupportedRegions []string
	// CrossZoneLoadBalancing lets each NLB node reach the ALB in every zone.
	// With it off, an NLB node in a zone where the ALB has no node cannot
	// serve. Costs inter-AZ data transfer. Default: true.
	CrossZoneLoadBalancing *bool
	// DeletionProtection stops the NLB from being deleted (Terraform destroy
	// fails until it is turned off). Default: false.
	DeletionProtection bool
	// PreventDestroy makes Terraform refuse any plan that destroys or
	// replaces the endpoint service (whose name every consumer holds).
	// Default: false.
	PreventDestroy bool
	// NLBName names the NLB (at most 32 letters, digits and hyphens).
	// Default: a unique name generated by Terraform, so a replacement never
	// collides with the old load balancer.
	NLBName string
	// HealthCheck tunes the NLB's checks of the ALB. Default: see HealthCheck.
	HealthCheck HealthCheck
	// Tags are added to every resource. Default: a Name tag only.
	Tags map[string]string
}

// ProviderEndpointService publishes an existing Application Load Balancer as
// a VPC endpoint service (AWS PrivateLink). It defines:
//
//	VPC endpoint service "Resource" (acceptance, allowed principals)
//	  └─ internal NLB "Nlb" (cross-zone on; security group "NlbSecurityGroup")
//	       └─ per ALB listener port P:
//	          NLB listener "ListenerP" (TCP P) ─► target group "TargetGroupP"
//	            (type alb, TCP P, health check in the listener's protocol)
//	            └─ attachment "AttachmentP" (ALB ARN, port P), depends on the ALB listener
//
// Why each piece: PrivateLink only fronts Network Load Balancers, so an NLB
// with the ALB as its target carries the traffic; an NLB without a listener
// carries none; AWS refuses to register an ALB on a port where it has no
// listener yet, so the attachment waits for it; and the NLB gets its security
// group at creation because adding the first one later replaces the NLB, and
// with it the endpoint service and its name.
type ProviderEndpointService struct {
	partition     string
	node          constructs.Node
	service       vpcendpointservice.VpcEndpointService
	nlb           lb.Lb
	securityGroup securitygroup.SecurityGroup
	targetGroups  []lbtargetgroup.LbTargetGroup
	acceptance    bool
	principals    []string
}

// NewProviderEndpointService validates props, reporting every problem at
// once, and defines the resources drawn on ProviderEndpointService.
func NewProviderEndpointService(scope constructs.Construct, id string, props ProviderEndpointServiceProps) (*ProviderEndpointService, error) {
	acceptance := boolOr(props.AcceptanceRequired, true)
	principals, err := validateProviderProps(&props, acceptance)
	if err != nil {
		return nil, err
	}

	c := constructs.NewConstruct(scope, jsii.String(id))
	s := &ProviderEndpointService{node: c.Node(), acceptance: acceptance, partition: props.Partition}
	tags := tagger(c, props.Tags)

	s.securityGroup = securitygroup.NewSecurityGroup(c, jsii.String("NlbSecurityGroup"), &securitygroup.SecurityGroupConfig{
		VpcId:       jsii.String(props.VPCID),
		Description: jsii.String("PrivateLink NLB in front of the ALB: egress to the ALB listener ports only"),
		Tags:        tags("nlb-sg"),
		Lifecycle:   &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: jsii.Bool(true)},
	})

	nlbConfig := &lb.LbConfig{
		Internal:                     jsii.Bool(true),
		LoadBalancerType:             jsii.String("network"),
		Subnets:                      jsii.Strings(props.SubnetIDs...),
		SecurityGroups:               jsii.Strings(*s.securityGroup.Id()),
		EnableCrossZoneLoadBalancing: jsii.Bool(boolOr(props.CrossZoneLoadBalancing, true)),
		EnableDeletionProtection:     jsii.Bool(props.DeletionProtection),
		// PrivateLink clients keep their own source addresses, which are
		// unknowable (and may overlap) from here. Access is controlled by the
		// allowed principals, acceptance and the consumer's security group.
		EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: jsii.String("off"),
		Tags: tags("nlb"),
	}
	if props.NLBName != "" {
		nlbConfig.Name = jsii.String(props.NLBName)
	}
	s.nlb = lb.NewLb(c, jsii.String("Nlb"), nlbConfig)

	// Without an ALB security group to point at, the NLB may reach the ALB
	// anywhere in its VPC, on the listener ports only.
	var vpcCIDR *string
	if props.ALBSecurityGroupID == "" {
		vpcCIDR = dataawsvpc.NewDataAwsVpc(c, jsii.String("Vpc"), &dataawsvpc.DataAwsVpcConfig{
			Id: jsii.String(props.VPCID),
		}).CidrBlock()
	}

	hc := props.HealthCheck.withDefaults()
	for _, l := range props.Listeners {
		port := fmt.Sprint(l.Port)
		hcProtocol := hc.Protocol
		if hcProtocol == "" {
			hcProtocol = strings.ToUpper(l.Protocol)
		}
		tg := lbtargetgroup.NewLbTargetGroup(c, jsii.String("TargetGroup"+port), &lbtargetgroup.LbTargetGroupConfig{
			TargetType: jsii.String("alb"),
			Protocol:   jsii.String("TCP"),
			Port:       jsii.Number(float64(l.Port)),
			VpcId:      jsii.String(props.VPCID),
			HealthCheck: &lbtargetgroup.LbTargetGroupHealthCheck{
				Enabled:            jsii.Bool(true),
				Protocol:           jsii.String(hcProtocol),
				Port:               jsii.String("traffic-port"),
				Path:               jsii.String(hc.Path),
				Matcher:            jsii.String(hc.Matcher),
				Interval:           jsii.Number(float64(hc.IntervalSeconds)),
				Timeout:            jsii.Number(float64(hc.TimeoutSeconds)),
				HealthyThreshold:   jsii.Number(float64(hc.HealthyThreshold)),
				UnhealthyThreshold: jsii.Number(float64(hc.UnhealthyThreshold)),
			},
			Tags: tags("alb-" + port),
			// Port, protocol and VPC force replacement; a generated name and
			// create-before-destroy let the NLB listener switch over first.
			Lifecycle: &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: jsii.Bool(true)},
		})
		s.targetGroups = append(s.targetGroups, tg)
		// The listener may live outside this stack: record its protocol for
		// policy rule PL007.
		tg.Node().AddMetadata(jsii.String(policy.MetaListenerProtocol), jsii.String(strings.ToUpper(l.Protocol)), nil)

		var dependsOn *[]cdktf.ITerraformDependable
		if l.Resource != nil {
			dependsOn = &[]cdktf.ITerraformDependable{l.Resource}
		}
		lbtargetgroupattachment.NewLbTargetGroupAttachment(c, jsii.String("Attachment"+port), &lbtargetgroupattachment.LbTargetGroupAttachmentConfig{
			TargetGroupArn: tg.Arn(),
			TargetId:       jsii.String(props.ALBARN),
			Port:           jsii.Number(float64(l.Port)),
			DependsOn:      dependsOn,
		})

		lblistener.NewLbListener(c, jsii.String("Listener"+port), &lblistener.LbListenerConfig{
			LoadBalancerArn: s.nlb.Arn(),
			Protocol:        jsii.String("TCP"),
			Port:            jsii.Number(float64(l.Port)),
			DefaultAction: &[]*lblistener.LbListenerDefaultAction{{
				Type:           jsii.String("forward"),
				TargetGroupArn: tg.Arn(),
			}},
			Tags: tags("listener-" + port),
		})

		egress := &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			SecurityGroupId: s.securityGroup.Id(),
			IpProtocol:      jsii.String("tcp"),
			FromPort:        jsii.Number(float64(l.Port)),
			ToPort:          jsii.Number(float64(l.Port)),
			Description:     jsii.String(fmt.Sprintf("NLB to the ALB listener on %s (traffic and health checks)", port)),
		}
		if props.ALBSecurityGroupID != "" {
			egress.ReferencedSecurityGroupId = jsii.String(props.ALBSecurityGroupID)
			vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(c, jsii.String("AlbIngressFromNlb"+port), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
				SecurityGroupId:           jsii.String(props.ALBSecurityGroupID),
				ReferencedSecurityGroupId: s.securityGroup.Id(),
				IpProtocol:                jsii.String("tcp"),
				FromPort:                  jsii.Number(float64(l.Port)),
				ToPort:                    jsii.Number(float64(l.Port)),
				Description:               jsii.String(fmt.Sprintf("PrivateLink traffic from the NLB on %s", port)),
			})
		} else {
			egress.CidrIpv4 = vpcCIDR
		}
		vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(c, jsii.String("NlbEgress"+port), egress)
	}

	var regions *[]*string
	if len(props.SupportedRegions) > 0 {
		// The set dedups the home region if the caller listed it too.
		home := dataawsregion.NewDataAwsRegion(c, jsii.String("Region"), &dataawsregion.DataAwsRegionConfig{})
		regions = jsii.Strings(append([]string{*home.Name()}, props.SupportedRegions...)...)
	}
	var lifecycle *cdktf.TerraformResourceLifecycle
	if props.PreventDestroy {
		lifecycle = &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)}
	}
	s.service = vpcendpointservice.NewVpcEndpointService(c, jsii.String("Resource"), &vpcendpointservice.VpcEndpointServiceConfig{
		AcceptanceRequired:      jsii.Bool(acceptance),
		NetworkLoadBalancerArns: jsii.Strings(*s.nlb.Arn()),
		SupportedRegions:        regions,
		Tags:                    tags("service"),
		Lifecycle:               lifecycle,
	})
	s.setPrincipals(principals)
	return s, nil
}

// AllowPrincipal lets another account (12-digit ID) or IAM principal (ARN)
// create endpoints to the service. Adding one twice is harmless. Removing a
// principal later does not close connections it already made.
func (s *ProviderEndpointService) AllowPrincipal(principal string) error {
	arn, err := principalARN(s.partition, s.acceptance, principal)
	if err != nil {
		return err
	}
	s.setPrincipals(append(slices.Clone(s.principals), arn))
	return nil
}

// principalARN normalizes one allowed principal and refuses "*" unless
// connections need acceptance.
func principalARN(partition string, acceptance bool, principal string) (string, error) {
	arn, err := NormalizePrincipalIn(partition, principal)
	if err == nil && arn == "*" && !acceptance {
		err = errWildcardWithoutAcceptance
	}
	return arn, err
}

func (s *ProviderEndpointService) setPrincipals(principals []string) {
	seen := map[string]bool{}
	s.principals = s.principals[:0]
	for _, p := range principals {
		if !seen[p] {
			seen[p] = true
			s.principals = append(s.principals, p)
		}
	}
	// Always set, even empty, so the list is owned by this resource alone:
	// mixing it with aws_vpc_endpoint_service_allowed_principal makes the two
	// fight over the same principals.
	s.service.SetAllowedPrincipals(jsii.Strings(s.principals...))
}

// Node is the construct tree node.
func (s *ProviderEndpointService) Node() constructs.Node { return s.node }

// ServiceName is the name consumers connect to
// (com.amazonaws.vpce.REGION.vpce-svc-ID), a deploy-time token.
func (s *ProviderEndpointService) ServiceName() *string { return s.service.ServiceName() }

// ServiceID is the endpoint service ID (vpce-svc-...), a deploy-time token.
func (s *ProviderEndpointService) ServiceID() *string { return s.service.Id() }

// Service is the aws_vpc_endpoint_service resource.
func (s *ProviderEndpointService) Service() vpcendpointservice.VpcEndpointService { return s.service }

// NLB is the internal Network Load Balancer behind the service.
func (s *ProviderEndpointService) NLB() lb.Lb { return s.nlb }

// NLBARN is the NLB's ARN, a deploy-time token.
func (s *ProviderEndpointService) NLBARN() *string { return s.nlb.Arn() }

// NLBDNSName is the NLB's DNS name, a deploy-time token.
func (s *ProviderEndpointService) NLBDNSName() *string { return s.nlb.DnsName() }

// NLBSecurityGroupID is the NLB's security group ID, a deploy-time token.
func (s *ProviderEndpointService) NLBSecurityGroupID() *string { return s.securityGroup.Id() }

// TargetGroups are the alb-type target groups, one per listener, in the order given.
func (s *ProviderEndpointService) TargetGroups() []lbtargetgroup.LbTargetGroup {
	return slices.Clone(s.targetGroups)
}

// AllowedPrincipals are the principals currently allowed, as ARNs.
func (s *ProviderEndpointService) AllowedPrincipals() []string { return slices.Clone(s.principals) }

// AcceptanceRequired tells whether the owner must accept each connection.
func (s *ProviderEndpointService) AcceptanceRequired() bool { return s.acceptance }

var errWildcardWithoutAcceptance = errors.New(`allowed principal "*": lets anyone in the partition connect; set AcceptanceRequired to true or list account IDs`)

func validateProviderProps(props *ProviderEndpointServiceProps, acceptance bool) ([]string, error) {
	var p problems
	if props.Partition == "" {
		props.Partition = "aws"
	} else if !partitionRe.MatchString(props.Partition) {
		p.addf("Partition %q: want aws, aws-cn or aws-us-gov", props.Partition)
	}
	validateNetwork(&p, props.VPCID, "the VPC of the ALB", props.SubnetIDs)
	switch {
	case props.ALBARN == "":
		p.addf("ALBARN: required: the ARN of the Application Load Balancer to publish")
	default:
		p.add(ValidateALBARN("ALBARN", props.ALBARN))
	}
	if props.ALBSecurityGroupID != "" {
		p.add(ValidateResourceID("ALBSecurityGroupID", "sg", props.ALBSecurityGroupID))
	}
	if len(props.Listeners) == 0 {
		p.addf("Listeners: required: at least one ALB listener (port and protocol) to publish")
	}
	ports := map[int]bool{}
	for i, l := range props.Listeners {
		field := fmt.Sprintf("Listeners[%d]", i)
		p.add(ValidatePort(field+".Port", l.Port))
		if ports[l.Port] {
			p.addf("%s.Port %d: listed twice; one target group per port", field, l.Port)
		}
		ports[l.Port] = true
		if proto := strings.ToUpper(l.Protocol); proto != "HTTP" && proto != "HTTPS" {
			p.addf("%s.Protocol %q: want \"HTTPS\" or \"HTTP\" (an ALB listener's protocol)", field, l.Protocol)
		}
	}
	p.add(props.HealthCheck.validate())
	p.add(ValidateLBName("NLBName", props.NLBName))
	for i, r := range props.SupportedRegions {
		p.add(ValidateRegion(fmt.Sprintf("SupportedRegions[%d]", i), r))
	}
	var principals []string
	for _, raw := range props.AllowedPrincipals {
		if arn, err := principalARN(props.Partition, acceptance, raw); err != nil {
			p.add(err)
		} else {
			principals = append(principals, arn)
		}
	}
	return principals, p.err()
}

func (h HealthCheck) withDefaults() HealthCheck {
	h.Protocol = strings.ToUpper(h.Protocol)
	if h.Path == "" {
		h.Path = "/"
	}
	if h.Matcher == "" {
		h.Matcher = "200-399"
	}
	if h.IntervalSeconds == 0 {
		h.IntervalSeconds = 30
	}
	if h.TimeoutSeconds == 0 {
		h.TimeoutSeconds = 5
	}
	if h.HealthyThreshold == 0 {
		h.HealthyThreshold = 3
	}
	if h.UnhealthyThreshold == 0 {
		h.UnhealthyThreshold = 3
	}
	return h
}

// Check reports each problem of h through report, with the Go field name
// ("IntervalSeconds") and a problem that starts with the bad value, so
// callers can name the field in their own terms.
func (h HealthCheck) Check(report func(field, problem string)) {
	d := h.withDefaults()
	if d.Protocol != "" && d.Protocol != "HTTP" && d.Protocol != "HTTPS" {
		report("Protocol", fmt.Sprintf("%q: want \"HTTPS\" or \"HTTP\" (an alb target group checks the ALB over HTTP(S))", h.Protocol))
	}
	if !strings.HasPrefix(d.Path, "/") {
		report("Path", fmt.Sprintf("%q: want an absolute path such as /healthz", h.Path))
	}
	if !matcherRe.MatchString(d.Matcher) {
		report("Matcher", fmt.Sprintf("%q: want HTTP codes from 200 to 499, such as \"200\", \"200,302\" or \"200-399\"", h.Matcher))
	}
	if d.IntervalSeconds < 5 || d.IntervalSeconds > 300 {
		report("IntervalSeconds", fmt.Sprintf("%d: want 5 to 300", h.IntervalSeconds))
	}
	if d.TimeoutSeconds < 2 || d.TimeoutSeconds > 120 {
		report("TimeoutSeconds", fmt.Sprintf("%d: want 2 to 120", h.TimeoutSeconds))
	} else if d.TimeoutSeconds >= d.IntervalSeconds {
		report("TimeoutSeconds", fmt.Sprintf("%d: must be less than the interval (%d)", d.TimeoutSeconds, d.IntervalSeconds))
	}
	if d.HealthyThreshold < 2 || d.HealthyThreshold > 10 {
		report("HealthyThreshold", fmt.Sprintf("%d: want 2 to 10", h.HealthyThreshold))
	}
	if d.UnhealthyThreshold < 2 || d.UnhealthyThreshold > 10 {
		report("UnhealthyThreshold", fmt.Sprintf("%d: want 2 to 10", h.UnhealthyThreshold))
	}
}

func (h HealthCheck) validate() error {
	var p problems
	h.Check(func(field, problem string) { p.addf("HealthCheck.%s %s", field, problem) })
	return p.err()
}

func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

// tagger returns a function making the tags of one resource in construct
// c: the user's tags plus a Name of c's path and a suffix
// ("provider-EndpointService-nlb"). A user's Name tag wins.
func tagger(c constructs.Construct, tags map[string]string) func(suffix string) *map[string]*string {
	base := strings.ReplaceAll(*c.Node().Path(), "/", "-")
	return func(suffix string) *map[string]*string {
		out := map[string]*string{"Name": jsii.String(base + "-" + suffix)}
		for _, k := range slices.Sorted(maps.Keys(tags)) {
			out[k] = jsii.String(tags[k])
		}
		return &out
	}
}

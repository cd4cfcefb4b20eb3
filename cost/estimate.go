// Package cost estimates the monthly cost of a configuration's design for
// a traffic figure, and of the same traffic through VPC Lattice and
// Transit Gateway, from the dated price table in prices.go.
//
// It is an estimate of list prices, not a bill: traffic is spread evenly
// over the month and the consumers, bytes are the NLB's and ALB's billing
// dimension (true for a few large requests; many small connections cost
// more), and free tiers, taxes and savings plans are left out.
package cost

import (
	"fmt"

	"github.com/alb-privatelink/alb-privatelink/config"
)

// Traffic is what flows through the design in a month.
type Traffic struct {
	// GBPerMonth through all endpoints together, both directions.
	GBPerMonth float64
	// RequestsPerMonth, for VPC Lattice's per-request price. Default: 0.
	RequestsPerMonth float64
	// FlowLogRatio is the volume of flow-log records per byte of traffic
	// in each VPC that logs. Default: 0.01 (a ~150-byte record per ~15 KB).
	FlowLogRatio float64
}

// Item is one line of an estimate.
type Item struct {
	Name    string  `json:"name"`
	Monthly float64 `json:"monthlyUsd"`
	Detail  string  `json:"detail"`
}

// Estimate is the monthly cost of a design.
type Estimate struct {
	PricesAsOf   string  `json:"pricesAsOf"`
	PricesRegion string  `json:"pricesRegion"`
	GBPerMonth   float64 `json:"gbPerMonth"`
	Items        []Item  `json:"items"`
	Total        float64 `json:"totalUsd"`
	// Alternatives carry the same traffic another way, for comparison.
	Alternatives []Item `json:"alternatives"`
	// Notes say what the figures leave out.
	Notes []string `json:"notes"`
}

func (e *Estimate) add(name string, monthly float64, detail string, args ...any) {
	e.Items = append(e.Items, Item{Name: name, Monthly: monthly, Detail: fmt.Sprintf(detail, args...)})
	e.Total += monthly
}

// Of estimates cfg's design for traffic.
func Of(cfg config.Resolved, traffic Traffic) Estimate {
	gb := traffic.GBPerMonth
	ratio := traffic.FlowLogRatio
	if ratio == 0 {
		ratio = 0.01
	}
	e := Estimate{PricesAsOf: PricesAsOf, PricesRegion: PricesRegion, GBPerMonth: gb}
	p := cfg.Provider
	n := len(cfg.Consumers)
	share := 0.0
	if n > 0 {
		share = gb / float64(n)
	}
	logGB := 0.0

	if cfg.ProviderEnabled() {
		e.add("NLB hours", nlbPerHour*hoursPerMonth, "$%.4f/h x %d h", nlbPerHour, hoursPerMonth)
		e.add("NLB capacity (NLCU)", gb*nlbPerNLCU, "%.0f GB at 1 NLCU per GB-hour, $%.3f/NLCU-h", gb, nlbPerNLCU)
		zones := len(p.AZIDs)
		if alb := p.ExistingALB; alb != nil {
			zones = len(alb.SubnetIDs)
		}
		if (p.NLB.CrossZoneLoadBalancing == nil || *p.NLB.CrossZoneLoadBalancing) && zones > 1 {
			crossing := float64(zones-1) / float64(zones)
			e.add("cross-zone NLB to ALB", gb*crossing*2*crossAZPerGB, "%.0f%% of %.0f GB crosses zones (%d NLB zones), $%.2f/GB each way", crossing*100, gb, zones, crossAZPerGB)
		}
		if p.ExistingALB == nil {
			e.add("demo ALB hours", albPerHour*hoursPerMonth, "$%.4f/h x %d h", albPerHour, hoursPerMonth)
			e.add("demo ALB capacity (LCU)", gb*albPerLCU, "%.0f GB at 1 LCU per GB-hour, $%.3f/LCU-h", gb, albPerLCU)
			if p.FlowLogs.On() {
				logGB += gb * ratio
			}
		}
		if cn := p.ConnectionNotifications; cn != nil && cn.TopicARN == "" && cn.KMSKeyARN == "" {
			e.add("KMS key (notifications topic)", kmsKeyPerMonth, "$%.2f/month", kmsKeyPerMonth)
		}
		if a := p.NLB.AccessLogs; a != nil && a.Bucket == "" {
			e.add("KMS key (access-log bucket)", kmsKeyPerMonth, "$%.2f/month", kmsKeyPerMonth)
		}
	} else {
		e.Notes = append(e.Notes, "the provider is not in this app: its NLB and data processing are the service owner's bill")
	}

	for i, k := range cfg.Consumers {
		name := cfg.StackName(i)
		zones := len(k.AZIDs)
		if v := k.ExistingVPC; v != nil {
			zones = len(v.SubnetIDs)
		}
		e.add(name+": endpoint hours", float64(zones)*endpointPerAZHour*hoursPerMonth, "%d AZs x $%.2f/AZ-h x %d h", zones, endpointPerAZHour, hoursPerMonth)
		e.add(name+": endpoint data", share*endpointPerGB, "%.0f GB x $%.2f/GB", share, endpointPerGB)
		if (cfg.ProviderEnabled() && k.ServiceName == "" && k.AWS.Region != p.AWS.Region) || k.ServiceRegion != "" {
			e.add(name+": cross-region data", share*crossRegionPerGB, "%.0f GB x $%.2f/GB between regions", share, crossRegionPerGB)
		}
		if k.ExistingVPC == nil && k.FlowLogs.On() {
			logGB += share * ratio
		}
		if k.Probe {
			run := 0.125*lambdaArmPerGBSecond + lambdaPerMRequests/1e6 // one doctor run: ~1 s at 128 MB
			e.add(name+": connectivity probe", 0, "no hourly charge (a function's network interfaces are free); $%.7f per doctor run (1 s at 128 MB)", run)
		}
	}
	if logGB > 0 {
		e.add("VPC flow logs (demo VPCs)", logGB*flowLogsPerGB, "%.1f GB of records (%.1f%% of the traffic per VPC) x $%.2f/GB ingested", logGB, ratio*100, flowLogsPerGB)
	}

	vpcs := n
	if cfg.ProviderEnabled() {
		vpcs++
	}
	e.Alternatives = []Item{
		{
			Name:    "VPC Lattice",
			Monthly: latticeServicePerHour*hoursPerMonth + gb*latticePerGB + traffic.RequestsPerMonth/1e6*latticePerMRequests,
			Detail: fmt.Sprintf("one service: $%.3f/h + $%.3f/GB + $%.2f per million requests (%.0f); needs the ALB as a Lattice target and each consumer VPC associated",
				latticeServicePerHour, latticePerGB, latticePerMRequests, traffic.RequestsPerMonth),
		},
		{
			Name:    "Transit Gateway",
			Monthly: float64(vpcs)*tgwPerAttachmentHour*hoursPerMonth + gb*tgwPerGB,
			Detail: fmt.Sprintf("%d VPC attachments x $%.2f/h + $%.2f/GB; routes whole networks (no overlapping CIDRs), peering across regions costs more",
				vpcs, tgwPerAttachmentHour, tgwPerGB),
		},
	}
	e.Notes = append(e.Notes,
		fmt.Sprintf("list prices in %s as of %s (cost/prices.go); other regions cost more", PricesRegion, PricesAsOf),
		"traffic spread evenly over the month and the consumers; many small connections raise NLCU/LCU beyond the bytes counted here",
		"not counted: S3 storage of access logs, SNS deliveries, KMS requests, free tiers")
	return e
}

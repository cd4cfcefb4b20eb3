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
	n := len(cfg.Consumers)
	share := 0.0
	if n > 0 {
		share = gb / float64(n)
	}
	logGB := 0.0

	if cfg.ProviderEnabled() {
		logGB = e.provider(cfg.Provider, gb, ratio)
	} else {
		e.Notes = append(e.Notes, "the provider is not in this app: its NLB and data processing are the service owner's bill")
	}
	logGB = e.consumers(cfg, share, ratio, logGB)
	if logGB > 0 {
		e.add("VPC flow logs (demo VPCs)", logGB*flowLogsPerGB, "%.1f GB of records (%.1f%% of the traffic per VPC) x $%.2f/GB ingested", logGB, ratio*100, flowLogsPerGB)
	}

	vpcs := n
	if cfg.ProviderEnabled() {
		vpcs++
	}
	e.Alternatives = alternatives(traffic, vpcs)
	e.Notes = append(e.Notes,
		fmt.Sprintf("list prices in %s as of %s (cost/prices.go); other regions cost more", PricesRegion, PricesAsOf),
		"traffic spread evenly over the month and the consumers; many small connections raise NLCU/LCU beyond the bytes counted here",
		"not counted: S3 storage of access logs, SNS deliveries, KMS requests, free tiers")
	return e
}

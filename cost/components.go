package cost

import "github.com/alb-privatelink/alb-privatelink/config"

// provider adds the provider stack's items for gb of traffic, and returns
// the GB of flow-log records its demo VPC writes (at ratio per byte).
func (e *Estimate) provider(p config.Provider, gb, ratio float64) (logGB float64) {
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
	return logGB
}

// consumers adds each consumer stack's items for its share of the traffic,
// and returns logGB plus the GB of flow-log records their demo VPCs write.
func (e *Estimate) consumers(cfg config.Resolved, share, ratio, logGB float64) float64 {
	p := cfg.Provider
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
	return logGB
}

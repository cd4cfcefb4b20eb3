package cost

import "fmt"

// alternatives are the same traffic through VPC Lattice and through a
// Transit Gateway attaching vpcs VPCs, for comparison.
func alternatives(traffic Traffic, vpcs int) []Item {
	gb := traffic.GBPerMonth
	return []Item{
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
}

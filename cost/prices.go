package cost

// Prices are on-demand list prices in USD for us-east-1, read on
// 2026-11-29 from the AWS pricing pages named beside each group. Other
// regions cost more (ap-northeast-1 about 20-30% more for most of these).
// To update: change the numbers and PricesAsOf, read the same pages, and
// check the pinned arithmetic in estimate_test.go against the new figures.
const (
	PricesAsOf    = "2026-11-29"
	PricesRegion  = "us-east-1"
	hoursPerMonth = 730

	// https://aws.amazon.com/privatelink/pricing/
	endpointPerAZHour = 0.01 // interface endpoint, per AZ
	endpointPerGB     = 0.01 // data processed, first PB

	// https://aws.amazon.com/elasticloadbalancing/pricing/
	nlbPerHour = 0.0225
	nlbPerNLCU = 0.006 // per NLCU-hour; TCP: 1 NLCU = 1 GB processed per hour (the dimension that grows with traffic here)
	albPerHour = 0.0225
	albPerLCU  = 0.008 // per LCU-hour; 1 LCU = 1 GB per hour to EC2/IP targets
	// https://aws.amazon.com/ec2/pricing/on-demand/ (data transfer)
	crossAZPerGB     = 0.01 // each direction
	crossRegionPerGB = 0.02 // out of the region

	// https://aws.amazon.com/vpc/lattice/pricing/
	latticeServicePerHour = 0.025
	latticePerGB          = 0.025
	latticePerMRequests   = 0.10 // per million requests (first 300M/hour free tier ignored)

	// https://aws.amazon.com/transit-gateway/pricing/
	tgwPerAttachmentHour = 0.05
	tgwPerGB             = 0.02

	// https://aws.amazon.com/cloudwatch/pricing/ (vended logs, first 10 TB)
	flowLogsPerGB = 0.50
	// https://aws.amazon.com/kms/pricing/
	kmsKeyPerMonth = 1.00

	// https://aws.amazon.com/lambda/pricing/ (arm64)
	lambdaArmPerGBSecond = 0.0000133334
	lambdaPerMRequests   = 0.20
)

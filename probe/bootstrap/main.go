// Command bootstrap is the connectivity probe's Lambda function
// (runtime provided.al2023, which runs the file named bootstrap). Build
// builds it; see package probe.
package main

import (
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/alb-privatelink/alb-privatelink/probe"
)

func main() { lambda.Start(probe.Function{Getenv: os.Getenv}) }

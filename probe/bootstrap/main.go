// Command bootstrap is the connectivity probe's Lambda function
// (runtime provided.al2023, which runs the file named bootstrap). Build
// builds it; see package probe.
package main

import (
	"os"

	"github.com/alb-privatelink/alb-privatelink/probe"
)

func main() { os.Exit(probe.Main()) }

package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

// Function is the Lambda function's handler: bootstrap hands it to
// lambda.Start (github.com/aws/aws-lambda-go), which speaks the runtime
// API of provided.al2023 and calls Invoke with each invocation's event and
// a context that ends at the invocation's deadline.
//
// Invoke takes the raw event, so that an empty one is the deployed
// targets, as "{}" is; a handler of a typed event would refuse it.
type Function struct {
	// Prober checks each host and port. The zero value is the real one.
	Prober Prober
	// Getenv reads the deployed targets (PROBE_HOSTS, PROBE_PORTS);
	// bootstrap passes os.Getenv.
	Getenv func(string) string
}

// The package names lambda.Handler, so every program that builds the
// probe (an app that synthesizes it) has aws-lambda-go in its module
// cache, which Build's offline go build needs.
var _ lambda.Handler = Function{}

// margin is how long before the invocation's deadline the probe stops, so
// the answer still reaches Lambda before it ends the invocation.
const margin = 500 * time.Millisecond

// Invoke answers one invocation with the JSON of Handle's Response, or
// Handle's error (which Lambda reports as the invocation's error).
func (f Function) Invoke(ctx context.Context, event []byte) ([]byte, error) {
	if d, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-margin))
		defer cancel()
	}
	out, err := Handle(ctx, f.Prober, event, f.Getenv)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// Handle answers one invocation: the event's hosts and ports, or the
// deployed ones where the event has none.
func Handle(ctx context.Context, p Prober, event []byte, getenv func(string) string) (Response, error) {
	var req Request
	if len(bytes.TrimSpace(event)) > 0 {
		if err := json.Unmarshal(event, &req); err != nil {
			return Response{}, fmt.Errorf("event: %w (want {\"hosts\": [...], \"ports\": [...]}, or {})", err)
		}
	}
	if len(req.Hosts) == 0 || len(req.Ports) == 0 {
		deployed, err := FromEnv(getenv)
		if err != nil {
			return Response{}, err
		}
		if len(req.Hosts) == 0 {
			req.Hosts = deployed.Hosts
		}
		if len(req.Ports) == 0 {
			req.Ports = deployed.Ports
		}
	}
	return p.Run(ctx, req), nil
}

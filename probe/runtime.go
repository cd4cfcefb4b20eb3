package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

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

// Serve is the Lambda runtime API client of a custom runtime
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html): it
// takes the next invocation, calls handle with its event until the
// invocation's deadline, and posts the result or the error. It returns
// only when the runtime API fails.
func Serve(ctx context.Context, api string, handle func(context.Context, []byte) (any, error)) error {
	base := "http://" + api + "/2018-06-01/runtime/invocation/"
	for {
		resp, err := http.Get(base + "next")
		if err != nil {
			return err
		}
		event, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("runtime API: next invocation: %s", resp.Status)
		}
		id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
		ictx, cancel := ctx, context.CancelFunc(func() {})
		if ms, err := strconv.ParseInt(resp.Header.Get("Lambda-Runtime-Deadline-Ms"), 10, 64); err == nil {
			// stop a little early, so the answer still arrives
			ictx, cancel = context.WithDeadline(ctx, time.UnixMilli(ms).Add(-500*time.Millisecond))
		}
		out, herr := handle(ictx, event)
		cancel()
		path, body := base+id+"/response", any(out)
		if herr != nil {
			path, body = base+id+"/error", map[string]string{"errorMessage": herr.Error(), "errorType": "ProbeError"}
		}
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		post, err := http.Post(path, "application/json", bytes.NewReader(b))
		if err != nil {
			return err
		}
		post.Body.Close()
		if post.StatusCode/100 != 2 {
			return fmt.Errorf("runtime API: posting invocation %s: %s", id, post.Status)
		}
	}
}

package probe

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

// runtimeAPI fakes the Lambda runtime API: it hands out events in order,
// records what is posted back, and answers 410 when it has no more.
type runtimeAPI struct {
	*httptest.Server
	mu       sync.Mutex
	events   []string
	deadline time.Time
	posted   map[string]string // path -> body
}

func newRuntimeAPI(t *testing.T, deadline time.Time, events ...string) *runtimeAPI {
	api := &runtimeAPI{events: events, deadline: deadline, posted: map[string]string{}}
	api.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.mu.Lock()
		defer api.mu.Unlock()
		const prefix = "/2018-06-01/runtime/invocation/"
		switch {
		case r.Method == http.MethodGet && r.URL.Path == prefix+"next":
			if len(api.events) == 0 {
				w.WriteHeader(http.StatusGone)
				return
			}
			n := len(api.posted)
			w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-"+strconv.Itoa(n))
			w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(api.deadline.UnixMilli(), 10))
			io.WriteString(w, api.events[0])
			api.events = api.events[1:]
		case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, prefix):
			b, _ := io.ReadAll(r.Body)
			api.posted[strings.TrimPrefix(r.URL.Path, prefix)] = string(b)
			w.WriteHeader(http.StatusAccepted)
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusBadRequest)
		}
	}))
	t.Cleanup(api.Close)
	return api
}

func (a *runtimeAPI) addr() string { return strings.TrimPrefix(a.URL, "http://") }

// refuse is a Dial that reaches nothing: every check fails at connect.
func refuse(context.Context, string, string) (net.Conn, error) {
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
}

// The handler as lambda.Start runs it (aws-lambda-go's own wrapper, the
// one its runtime loop calls): one result per name and port, in order,
// with the listener's status; the deployed targets for an empty event;
// and the error of a bad event, which Lambda reports as the invocation's.
func TestFunctionThroughAWSLambdaGo(t *testing.T) {
	srv := httptest.NewServer(status(200))
	defer srv.Close()
	deployed := map[string]string{"PROBE_HOSTS": "app.example.com,vpce-1.example", "PROBE_PORTS": "80,8080"}
	h := lambda.NewHandler(Function{Prober: Prober{Dial: to(srv.Listener.Addr().String())}, Getenv: func(k string) string { return deployed[k] }})
	for _, tc := range []struct {
		event string
		want  []string
	}{
		{``, []string{"app.example.com:80", "app.example.com:8080", "vpce-1.example:80", "vpce-1.example:8080"}},
		{`{}`, []string{"app.example.com:80", "app.example.com:8080", "vpce-1.example:80", "vpce-1.example:8080"}},
		{`{"hosts": ["b.example", "a.example"], "ports": [82]}`, []string{"b.example:82", "a.example:82"}},
	} {
		b, err := h.Invoke(context.Background(), []byte(tc.event))
		var resp Response
		if err != nil || json.Unmarshal(b, &resp) != nil {
			t.Fatalf("event %q: %s, %v", tc.event, b, err)
		}
		var got []string
		for _, r := range resp.Results {
			got = append(got, net.JoinHostPort(r.Host, strconv.Itoa(r.Port)))
			if r.Status != 200 || r.Protocol != "http" || r.Stage != "" {
				t.Errorf("event %q: %+v", tc.event, r)
			}
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("event %q: probed %v, want %v", tc.event, got, tc.want)
		}
	}
	if _, err := h.Invoke(context.Background(), []byte(`{"ports": "443"}`)); err == nil || !strings.Contains(err.Error(), "event") {
		t.Errorf("a bad event: %v", err)
	}
}

// Whatever the event, Invoke answers (results with a stage, or an error)
// and never panics: a panic would end the function's process.
func TestFunctionNeverPanics(t *testing.T) {
	f := Function{Prober: Prober{Dial: refuse}, Getenv: func(k string) string {
		return map[string]string{"PROBE_HOSTS": "app.example.com", "PROBE_PORTS": "443"}[k]
	}}
	for _, event := range []string{
		`null`, `[]`, `"x"`, `{"hosts": null, "ports": null}`, `{"hosts": [""], "ports": [0, -1, 70000]}`,
		`{"hosts": ["a", "a"]}`, `{"ports": [1e3]}`, `{"hosts": [1]}`, "\x00\xff", `{"hosts": ["a"],`,
	} {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("event %q: panic %v", event, p)
				}
			}()
			b, err := f.Invoke(context.Background(), []byte(event))
			if err != nil {
				return
			}
			var resp Response
			if err := json.Unmarshal(b, &resp); err != nil || len(resp.Results) == 0 {
				t.Errorf("event %q: answer %s (%v)", event, b, err)
			}
			for _, r := range resp.Results {
				if r.Stage == "" || r.Error == "" {
					t.Errorf("event %q: result %+v has no failure stage, though nothing listens", event, r)
				}
			}
		}()
	}
}

// Invoke stops a little before the invocation's deadline, so the answer
// still reaches Lambda.
func TestFunctionStopsBeforeTheDeadline(t *testing.T) {
	var seen time.Time
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		seen, _ = ctx.Deadline()
		return refuse(ctx, network, addr)
	}
	deadline := time.Now().Add(2 * time.Second)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	f := Function{Prober: Prober{Dial: dial}}
	if _, err := f.Invoke(ctx, []byte(`{"hosts": ["a.example"], "ports": [443]}`)); err != nil {
		t.Fatal(err)
	}
	if want := deadline.Add(-margin); !seen.Equal(want) {
		t.Errorf("the probe's deadline is %v, want %v (the invocation's, less %v)", seen, want, margin)
	}
}

// TestBootstrap builds the function's main package for this machine and
// runs it as the Lambda service would (a local invoke): against a runtime
// API, with the deployed environment. The probe it serves reaches a local
// listener; a bad event is posted back as the invocation's error.
func TestBootstrap(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "bootstrap")
	if out, err := exec.Command("go", "build", "-o", bin, Package).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	app := httptest.NewServer(status(204))
	defer app.Close()
	host, port, _ := strings.Cut(strings.TrimPrefix(app.URL, "http://"), ":")
	api := newRuntimeAPI(t, time.Now().Add(time.Minute), `{}`, `{"hosts": "a"}`)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "AWS_LAMBDA_RUNTIME_API="+api.addr(), "PROBE_HOSTS="+host, "PROBE_PORTS="+port)
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(out), "410") {
		t.Errorf("bootstrap exited %d (%v) with %q; want 1 when the runtime API goes away", code, err, out)
	}
	var resp Response
	if err := json.Unmarshal([]byte(api.posted["req-0/response"]), &resp); err != nil || len(resp.Results) != 1 {
		t.Fatalf("response %q: %v (posted %v)", api.posted["req-0/response"], err, api.posted)
	}
	if r := resp.Results[0]; r.Status != 204 || r.Protocol != "http" || r.Host != host {
		t.Errorf("result %+v", r)
	}
	var e map[string]any
	if err := json.Unmarshal([]byte(api.posted["req-1/error"]), &e); err != nil || !strings.Contains(e["errorMessage"].(string), "event") || e["errorType"] == "" {
		t.Errorf("error of the second invocation: %v (posted %v)", api.posted["req-1/error"], api.posted)
	}

	// outside Lambda it says so
	out, _ = exec.Command(bin).CombinedOutput()
	if !strings.Contains(string(out), "AWS_LAMBDA_RUNTIME_API") {
		t.Errorf("run outside Lambda: %q", out)
	}
}

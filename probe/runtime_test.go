package probe

import (
	"archive/zip"
	"bytes"
	"context"
	"debug/elf"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
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

func TestServe(t *testing.T) {
	deadline := time.Now().Add(time.Minute)
	api := newRuntimeAPI(t, deadline, `{"n": 1}`, `{"fail": true}`)
	var seen []time.Time
	err := Serve(context.Background(), api.addr(), func(ctx context.Context, event []byte) (any, error) {
		d, _ := ctx.Deadline()
		seen = append(seen, d)
		if strings.Contains(string(event), "fail") {
			return nil, errors.New("it broke")
		}
		return map[string]string{"got": string(event)}, nil
	})
	if err == nil || !strings.Contains(err.Error(), "410") {
		t.Errorf("Serve returned %v, want the runtime API's 410", err)
	}
	if got := api.posted["req-0/response"]; got != `{"got":"{\"n\": 1}"}` {
		t.Errorf("response of the first invocation: %q (posted %v)", got, api.posted)
	}
	var e map[string]string
	if err := json.Unmarshal([]byte(api.posted["req-1/error"]), &e); err != nil || e["errorMessage"] != "it broke" || e["errorType"] == "" {
		t.Errorf("error of the second invocation: %v (posted %v)", api.posted["req-1/error"], api.posted)
	}
	for _, d := range seen {
		if !d.Before(deadline) || deadline.Sub(d) > time.Second {
			t.Errorf("handler deadline %v, want just before the invocation's %v", d, deadline)
		}
	}
}

// TestBootstrap builds the function's main package for this machine and
// runs it as the Lambda service would: against a runtime API, with the
// deployed environment. The probe it serves reaches a local listener.
func TestBootstrap(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "bootstrap")
	if out, err := exec.Command("go", "build", "-o", bin, Package).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	app := httptest.NewServer(status(204))
	defer app.Close()
	host, port, _ := strings.Cut(strings.TrimPrefix(app.URL, "http://"), ":")
	api := newRuntimeAPI(t, time.Now().Add(time.Minute), `{}`)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "AWS_LAMBDA_RUNTIME_API="+api.addr(), "PROBE_HOSTS="+host, "PROBE_PORTS="+port)
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(out), "410") {
		t.Errorf("bootstrap exited %d (%v) with %q; want 1 when the runtime API goes away", code, err, out)
	}
	var resp Response
	if err := json.Unmarshal([]byte(api.posted["req-0/response"]), &resp); err != nil || len(resp.Results) != 1 {
		t.Fatalf("response %q: %v", api.posted["req-0/response"], err)
	}
	if r := resp.Results[0]; r.Status != 204 || r.Protocol != "http" || r.Host != host {
		t.Errorf("result %+v", r)
	}

	// outside Lambda it says so
	out, _ = exec.Command(bin).CombinedOutput()
	if !strings.Contains(string(out), "AWS_LAMBDA_RUNTIME_API") {
		t.Errorf("run outside Lambda: %q", out)
	}
}

// Build works from any folder (here: outside every module, as a binary
// run elsewhere would) and ignores the caller's GOFLAGS and go.work.
func TestBuild(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("GOFLAGS", "-mod=vendor")
	t.Setenv("GOWORK", filepath.Join(t.TempDir(), "go.work"))
	cache := t.TempDir()
	path, err := Build(context.Background(), cache)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != ZipName || filepath.Base(filepath.Dir(path)) != SourceHash()[:16] {
		t.Errorf("package %s is not CACHE/<source hash>/%s", path, ZipName)
	}
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if len(r.File) != 1 || r.File[0].Name != "bootstrap" || r.File[0].Mode().Perm() != 0o755 {
		t.Fatalf("%s holds %v; want one executable bootstrap (Lambda runs that file)", path, r.File)
	}
	rc, _ := r.File[0].Open()
	b, _ := io.ReadAll(rc)
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if f.Machine != elf.EM_AARCH64 || f.Class != elf.ELFCLASS64 {
		t.Errorf("bootstrap is %v %v, want a 64-bit arm64 ELF executable", f.Class, f.Machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("bootstrap is dynamically linked; provided.al2023 needs CGO_ENABLED=0")
		}
	}
	// the second build is the first one
	info, _ := os.Stat(path)
	again, err := Build(context.Background(), cache)
	if info2, _ := os.Stat(path); err != nil || again != path || !info2.ModTime().Equal(info.ModTime()) {
		t.Errorf("second Build = %s, %v; want %s reused", again, err, path)
	}
	// no build leftovers beside it
	if left, _ := os.ReadDir(cache); len(left) != 1 {
		t.Errorf("cache holds %v", left)
	}
	// reproducible: another cache, the same bytes
	other, err := Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	one, _ := os.ReadFile(path)
	two, _ := os.ReadFile(other)
	if !bytes.Equal(one, two) {
		t.Error("two builds of the same source differ: the package is not reproducible")
	}
}

// The hash covers exactly the function's source on disk: a file added to
// the package or to bootstrap/ without being embedded would change the
// binary and not the hash, and the function would not be redeployed.
func TestSourceHashCoversTheSourceOnDisk(t *testing.T) {
	var onDisk []string
	for _, pattern := range []string{"*.go", "bootstrap/*.go"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if !strings.HasSuffix(f, "_test.go") {
				onDisk = append(onDisk, filepath.ToSlash(f))
			}
		}
	}
	hashed := sourceFiles()
	slices.Sort(onDisk)
	if !slices.Equal(hashed, onDisk) || len(hashed) < 4 {
		t.Errorf("hashed %v, want the source files on disk %v", hashed, onDisk)
	}
	for _, name := range hashed {
		embedded, _ := source.ReadFile(name)
		disk, _ := os.ReadFile(name)
		if string(embedded) != string(disk) {
			t.Errorf("%s: embedded copy differs from disk", name)
		}
	}
	h := SourceHash()
	if len(h) != 64 {
		t.Fatalf("SourceHash %q is not a hex SHA-256", h)
	}
}

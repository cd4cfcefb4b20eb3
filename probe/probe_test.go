package probe

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// to dials addr whatever host was asked for, as the VPC's resolver
// would send a name to the endpoint.
func to(addr string) func(context.Context, string, string) (net.Conn, error) {
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
}

func status(code int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// clients leave out a default port in Host; an ALB's host rules see that
		if r.Header.Get("User-Agent") != "alb-privatelink-probe" || r.URL.Path != "/" || strings.HasSuffix(r.Host, ":443") || strings.HasSuffix(r.Host, ":80") {
			w.WriteHeader(http.StatusTeapot)
			return
		}
		w.WriteHeader(code)
	})
}

func TestCheckHTTPS(t *testing.T) {
	srv := httptest.NewTLSServer(status(200)) // its certificate names example.com
	defer srv.Close()
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	for _, tc := range []struct {
		name      string
		host      string
		roots     *x509.CertPool
		nameMatch bool
		trusted   bool
	}{
		{"the certificate names the host, private CA", "example.com", nil, true, false},
		{"the certificate names the host, trusted", "example.com", roots, true, true},
		{"another name, as with the vpce-... name", "vpce-0abc-1234.vpce-svc-0def.ap-northeast-1.vpce.amazonaws.com", roots, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Prober{Dial: to(srv.Listener.Addr().String()), Roots: tc.roots}.Check(context.Background(), tc.host, 443)
			if r.Error != "" || r.Protocol != "https" || r.Status != 200 || r.Certificate == nil {
				t.Fatalf("got %+v", r)
			}
			c := r.Certificate
			if c.NameMatch != tc.nameMatch || c.Trusted != tc.trusted || (c.TrustError == "") != tc.trusted {
				t.Errorf("certificate %+v, want nameMatch %v trusted %v", c, tc.nameMatch, tc.trusted)
			}
			if len(c.Names) == 0 || c.Names[0] != "example.com" {
				t.Errorf("names %v, want example.com first", c.Names)
			}
			if r.Address != "127.0.0.1" || r.LatencyMS <= 0 || r.ConnectMS <= 0 || r.LatencyMS < r.ConnectMS {
				t.Errorf("address %q, connect %v ms, latency %v ms", r.Address, r.ConnectMS, r.LatencyMS)
			}
		})
	}
}

func TestCheckPlainHTTPAndStatus(t *testing.T) {
	for _, code := range []int{200, 503} {
		srv := httptest.NewServer(status(code))
		r := Prober{Dial: to(srv.Listener.Addr().String())}.Check(context.Background(), "app.example.com", 80)
		srv.Close()
		if r.Protocol != "http" || r.Status != code || r.Certificate != nil || r.Error != "" {
			t.Errorf("status %d: got %+v", code, r)
		}
	}
}

// serve accepts connections on a loopback port until the test ends and
// hands each to handle; it returns the listener's address.
func serve(t *testing.T, handle func(net.Conn)) net.Addr {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			handle(c)
		}
	}()
	return l.Addr()
}

func TestCheckFailures(t *testing.T) {
	// a port nobody listens on
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := l.Addr().String()
	l.Close()
	// a listener that answers the TLS hello with a handshake_failure alert
	alert := serve(t, func(c net.Conn) {
		c.Read(make([]byte, 1024))
		c.Write([]byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28})
		c.Close()
	})
	// a listener that accepts and never answers (the connection stays
	// open until the test ends)
	silent := serve(t, func(c net.Conn) { t.Cleanup(func() { c.Close() }) })
	// a listener that closes the connection in the middle of the handshake
	hangup := serve(t, func(c net.Conn) {
		c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		io.Copy(io.Discard, c) // the whole hello: closing with unread bytes would reset instead
		c.Close()
	})
	// a plain HTTP listener that goes away after the TLS attempt: the
	// second dial fails
	plain := httptest.NewServer(status(200))
	defer plain.Close()
	dials := 0
	onceOnly := func(ctx context.Context, network, _ string) (net.Conn, error) {
		if dials++; dials > 1 {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
		}
		return (&net.Dialer{}).DialContext(ctx, network, plain.Listener.Addr().String())
	}
	notFound := func(context.Context, string, string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "app.example.com", IsNotFound: true}}
	}
	for _, tc := range []struct {
		name  string
		p     Prober
		stage string
		want  string
	}{
		{"the name does not resolve", Prober{Dial: notFound}, "dns", "no such host"},
		{"nothing listens", Prober{Dial: to(closed)}, "connect", "refused"},
		{"TLS fails", Prober{Dial: to(alert.String())}, "tls", "handshake failure"},
		{"the listener hangs up during the handshake", Prober{Dial: to(hangup.String())}, "tls", "closed the connection during the TLS handshake"},
		{"plain HTTP, then nothing", Prober{Dial: onceOnly}, "connect", "refused"},
		{"no answer", Prober{Dial: to(silent.String()), Timeout: 300 * time.Millisecond}, "tls", "deadline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.p.Check(context.Background(), "app.example.com", 443)
			if r.Stage != tc.stage || !strings.Contains(r.Error, tc.want) || r.Status != 0 {
				t.Errorf("got stage %q error %q status %d, want stage %q and %q", r.Stage, r.Error, r.Status, tc.stage, tc.want)
			}
		})
	}
}

func TestFromEnvAndHandle(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	req, err := FromEnv(env(map[string]string{"PROBE_HOSTS": "app.example.com, vpce-1.example", "PROBE_PORTS": "443,8443"}))
	if err != nil || strings.Join(req.Hosts, " ") != "app.example.com vpce-1.example" || len(req.Ports) != 2 || req.Ports[1] != 8443 {
		t.Fatalf("FromEnv = %+v, %v", req, err)
	}
	for _, bad := range []map[string]string{{}, {"PROBE_HOSTS": "a"}, {"PROBE_HOSTS": "a", "PROBE_PORTS": "https"}, {"PROBE_HOSTS": "a", "PROBE_PORTS": "70000"}} {
		if _, err := FromEnv(env(bad)); err == nil {
			t.Errorf("FromEnv(%v) = nil error", bad)
		}
	}

	srv := httptest.NewServer(status(200))
	defer srv.Close()
	p := Prober{Dial: to(srv.Listener.Addr().String())}
	deployed := env(map[string]string{"PROBE_HOSTS": "app.example.com", "PROBE_PORTS": "80,8080"})
	for _, tc := range []struct {
		event string
		want  []string
	}{
		{``, []string{"app.example.com:80", "app.example.com:8080"}},
		{`{}`, []string{"app.example.com:80", "app.example.com:8080"}},
		{`{"ports": [81]}`, []string{"app.example.com:81"}},
		{`{"hosts": ["a.example", "b.example"], "ports": [82]}`, []string{"a.example:82", "b.example:82"}},
	} {
		out, err := Handle(context.Background(), p, []byte(tc.event), deployed)
		var got []string
		for _, r := range out.Results {
			got = append(got, net.JoinHostPort(r.Host, strconv.Itoa(r.Port)))
			if r.Status != 200 {
				t.Errorf("event %q: %+v", tc.event, r)
			}
		}
		if err != nil || strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("event %q: probed %v, %v; want %v", tc.event, got, err, tc.want)
		}
	}
	if _, err := Handle(context.Background(), p, []byte(`{"hosts": "a"}`), deployed); err == nil || !strings.Contains(err.Error(), "event") {
		t.Errorf("a bad event: %v", err)
	}
	if _, err := Handle(context.Background(), p, nil, env(nil)); err == nil || !strings.Contains(err.Error(), "PROBE_HOSTS") {
		t.Errorf("nothing deployed: %v", err)
	}
}

// Package probe is the connectivity probe: a small function that runs in
// the consumer VPC (a Lambda on provided.al2023, see Build) and calls the
// endpoint the way a client would, on each port: it resolves the name,
// connects, speaks TLS when the listener does (checking that the
// certificate names the host, as a client's TLS library would), sends
// GET /, and reports where it failed, the HTTP status and the latency.
//
// The function runs on github.com/aws/aws-lambda-go (see Function); the
// probe itself uses the standard library only. Build builds it from this
// module's source, offline, wherever the module is required.
package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Request is the invocation's event. Both fields are optional: empty means
// the ones the function was deployed with (PROBE_HOSTS, PROBE_PORTS).
type Request struct {
	Hosts []string `json:"hosts,omitempty"`
	Ports []int    `json:"ports,omitempty"`
}

// Response is what the function returns: one result per host and port.
type Response struct {
	Results []Result `json:"results"`
}

// Result is one host and port, as a client inside the VPC sees it.
type Result struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	// Address is the IP address the name resolved to and the probe
	// connected to.
	Address string `json:"address,omitempty"`
	// Protocol is what the listener spoke: https or http.
	Protocol string `json:"protocol,omitempty"`
	// Status is the HTTP status of GET /.
	Status int `json:"status,omitempty"`
	// Certificate is the listener's certificate, for https.
	Certificate *Certificate `json:"certificate,omitempty"`
	// ConnectMS is the time to resolve and connect; LatencyMS to the
	// response's status line.
	ConnectMS float64 `json:"connectMs,omitempty"`
	LatencyMS float64 `json:"latencyMs,omitempty"`
	// Stage is where the request failed: dns, connect, tls or http.
	Stage string `json:"stage,omitempty"`
	Error string `json:"error,omitempty"`
}

// Certificate is what the probe saw of the listener's certificate.
type Certificate struct {
	// Names are the certificate's DNS names (its subject's common name
	// when it has none).
	Names []string `json:"names"`
	// NameMatch: the certificate is valid for the host that was called.
	NameMatch bool `json:"nameMatch"`
	// Trusted: the chain verifies against the function's public roots
	// (false for a private CA, whose clients bring their own roots).
	Trusted    bool      `json:"trusted"`
	TrustError string    `json:"trustError,omitempty"`
	NotAfter   time.Time `json:"notAfter"`
}

// FromEnv is the deployed targets: PROBE_HOSTS and PROBE_PORTS, comma
// separated.
func FromEnv(getenv func(string) string) (Request, error) {
	var r Request
	for _, h := range strings.Split(getenv("PROBE_HOSTS"), ",") {
		if h = strings.TrimSpace(h); h != "" {
			r.Hosts = append(r.Hosts, h)
		}
	}
	for _, p := range strings.Split(getenv("PROBE_PORTS"), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return r, fmt.Errorf("PROBE_PORTS: %q is not a port", p)
		}
		r.Ports = append(r.Ports, n)
	}
	if len(r.Hosts) == 0 || len(r.Ports) == 0 {
		return r, errors.New("nothing to probe: set PROBE_HOSTS and PROBE_PORTS, or send {\"hosts\": [...], \"ports\": [...]}")
	}
	return r, nil
}

// Prober checks hosts and ports. The zero value uses the system's
// resolver and roots and a 5 s timeout per host and port.
type Prober struct {
	Timeout time.Duration
	// Roots verify certificate chains. Default: the system's.
	Roots *x509.CertPool
	// Dial connects. Default: a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Run checks every host on every port, all at once (each has its own
// timeout, so the run takes about the slowest one), and reports them in
// order: hosts first, then ports.
func (p Prober) Run(ctx context.Context, req Request) Response {
	out := Response{Results: make([]Result, len(req.Hosts)*len(req.Ports))}
	var wg sync.WaitGroup
	for i, h := range req.Hosts {
		for j, port := range req.Ports {
			wg.Go(func() { out.Results[i*len(req.Ports)+j] = p.Check(ctx, h, port) })
		}
	}
	wg.Wait()
	return out
}

// Check calls host on port: TLS first, and plain HTTP when the listener
// answers the TLS hello with something that is not TLS. It never panics:
// Run calls it concurrently, and one panic would lose every result.
func (p Prober) Check(ctx context.Context, host string, port int) Result {
	timeout := p.Timeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r := Result{Host: host, Port: port}
	start := time.Now()
	conn, err := p.dial(ctx, host, port, &r)
	if err != nil {
		return r
	}
	defer func() { conn.Close() }()
	r.ConnectMS = ms(time.Since(start))

	tconn := tls.Client(conn, &tls.Config{ServerName: host, InsecureSkipVerify: true}) // verified below, to report rather than refuse
	err = tconn.HandshakeContext(ctx)
	var header tls.RecordHeaderError
	switch {
	case err == nil:
		r.Protocol = "https"
		r.Certificate = p.certificate(host, tconn.ConnectionState())
		conn = tconn
	case errors.As(err, &header):
		// the listener answered in something that is not TLS (an HTTP
		// listener's 400): start again in plain HTTP
		conn.Close()
		plain, err := p.dial(ctx, host, port, &r)
		if err != nil {
			return r
		}
		conn = plain
		r.Protocol = "http"
	case errors.Is(err, io.EOF):
		r.Stage, r.Error = "tls", "the listener closed the connection during the TLS handshake: "+err.Error()
		return r
	default:
		r.Stage, r.Error = "tls", err.Error()
		return r
	}

	if d, ok := ctx.Deadline(); ok {
		conn.SetDeadline(d)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, r.Protocol+"://"+net.JoinHostPort(host, strconv.Itoa(port))+"/", nil)
	if (r.Protocol == "https" && port == 443) || (r.Protocol == "http" && port == 80) {
		req.Host = host // as clients send it: no default port
	}
	req.Header.Set("User-Agent", "alb-privatelink-probe")
	req.Close = true
	if err := req.Write(conn); err != nil {
		r.Stage, r.Error = "http", err.Error()
		return r
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		r.Stage, r.Error = "http", err.Error()
		return r
	}
	resp.Body.Close()
	r.Status = resp.StatusCode
	r.LatencyMS = ms(time.Since(start))
	return r
}

func (p Prober) dial(ctx context.Context, host string, port int, r *Result) (net.Conn, error) {
	dial := p.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		var dnsErr *net.DNSError
		r.Stage = "connect"
		if errors.As(err, &dnsErr) {
			r.Stage = "dns"
		}
		r.Error = err.Error()
		return nil, err
	}
	if a, ok := conn.RemoteAddr().(*net.TCPAddr); ok {
		r.Address = a.IP.String()
	}
	return conn, nil
}

func (p Prober) certificate(host string, st tls.ConnectionState) *Certificate {
	if len(st.PeerCertificates) == 0 {
		return &Certificate{}
	}
	leaf := st.PeerCertificates[0]
	c := &Certificate{Names: leaf.DNSNames, NotAfter: leaf.NotAfter, NameMatch: leaf.VerifyHostname(host) == nil}
	if len(c.Names) == 0 && leaf.Subject.CommonName != "" {
		c.Names = []string{leaf.Subject.CommonName}
	}
	inter := x509.NewCertPool()
	for _, cert := range st.PeerCertificates[1:] {
		inter.AddCert(cert)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: p.Roots, Intermediates: inter}); err != nil {
		c.TrustError = err.Error()
	} else {
		c.Trusted = true
	}
	return c
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

package rules

import "strings"

var pl003 = Rule{
	ID:       "PL003",
	Severity: Error,
	Title:    "public ALB listener serves plain HTTP although a certificate is configured",
	When:     "an internet-facing ALB with a certificate also serves plain HTTP (not a redirect to HTTPS)",
	Why:      "clients that reach the HTTP port send requests and cookies in clear text, though HTTPS is available",
	Fix:      "serve HTTPS with the certificate, or make the HTTP listener redirect to HTTPS",
	check:    checkPlainHTTP,
}

func checkPlainHTTP(_ Stack, all []res) []Finding {
	var out []Finding
	for _, lb := range applicationLBs(all) {
		if isTrue(lb.body["internal"]) {
			continue
		}
		var listeners []res
		certificate := false
		for _, l := range ofType(all, listenerTypes...) {
			if str(l.body["load_balancer_arn"]) == lb.ref("arn") {
				listeners = append(listeners, l)
				certificate = certificate || str(l.body["certificate_arn"]) != ""
			}
		}
		if !certificate {
			continue
		}
		for _, l := range listeners {
			redirects := str(dig(l.body, "default_action", "0", "type")) == "redirect" &&
				strings.EqualFold(str(dig(l.body, "default_action", "0", "redirect", "protocol")), "HTTPS")
			if strings.EqualFold(str(l.body["protocol"]), "HTTP") && !redirects {
				out = append(out, l.finding("port %v answers plain HTTP on internet-facing %s, which has a certificate", l.body["port"], lb.address()))
			}
		}
	}
	return out
}

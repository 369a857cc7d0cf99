package depot

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"wharf/internal/auth"
	"wharf/internal/errs"
)

// RegistryCredentials are credentials for a Docker Registry v2 API, such
// as those a "docker" integration holds.
type RegistryCredentials struct {
	// URL is the registry: its API root ("https://r.example.com/v2/") or
	// its address, to which "/v2/" is added.
	URL      string
	Username string
	Password string
	// Internal lets the check reach loopback, private and link-local
	// addresses: set for the registry the operator configured, never for
	// one a caller names, so that the check cannot be turned into a probe
	// of the server's own network.
	Internal bool
}

// internalClient makes the requests of ValidateRegistryCredentials to a
// registry the operator configured; publicClient those to any other,
// reaching public addresses only.
var (
	internalClient = &http.Client{Timeout: 30 * time.Second}
	publicClient   = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialPublic,
		TLSHandshakeTimeout: 10 * time.Second,
	}}
)

// dialPublic connects to addr when its host resolves to public addresses
// only, dialling the address it checked, so that a name cannot resolve
// to another one in between.
func dialPublic(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, err
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("%s has no address", host)
	}
	for _, ip := range ips {
		if !publicIP(ip.IP) {
			return nil, fmt.Errorf("%s resolves to %s, which is not a public address", host, ip.IP)
		}
	}
	var d net.Dialer
	return d.DialContext(ctx, network, net.JoinHostPort(ips[0].IP.String(), port))
}

// publicIP reports whether ip is an address of the public internet.
func publicIP(ip net.IP) bool {
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified())
}

// ValidateRegistryCredentials reports whether a registry accepts the
// credentials, as docker login asks it: GET on the API root with Basic
// credentials and, when the registry answers 401 with a Bearer challenge,
// a token from its realm for those credentials, then the API root again
// with the token. Errors: errs.Invalid for missing credentials, a URL
// that is not http(s) and credentials the registry refuses;
// errs.Unavailable when the registry cannot be reached;
// errs.Unauthenticated for the anonymous caller.
func (s *Service) ValidateRegistryCredentials(ctx context.Context, p auth.Principal, c RegistryCredentials) error {
	if p.Anonymous() {
		return errs.E(errs.Unauthenticated, "authentication required")
	}
	if c.Username == "" || c.Password == "" {
		return errs.E(errs.Invalid, "Missing username or password")
	}
	base, err := registryRoot(c.URL)
	if err != nil {
		return err
	}
	client := publicClient
	if c.Internal {
		client = internalClient
	}
	resp, err := registryGet(ctx, client, base, func(r *http.Request) { r.SetBasicAuth(c.Username, c.Password) })
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	ch, ok := bearerChallenge(resp.Header)
	if resp.StatusCode != http.StatusUnauthorized || !ok {
		return refused(resp.StatusCode)
	}
	token, err := fetchRegistryToken(ctx, client, base, ch, c)
	if err != nil {
		return err
	}
	resp, err = registryGet(ctx, client, base, func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) })
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return refused(resp.StatusCode)
	}
	return nil
}

func refused(status int) error {
	return errs.E(errs.Invalid, "The registry refused the credentials (status %d)", status)
}

// registryRoot parses a registry URL into its API root.
func registryRoot(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, errs.E(errs.Invalid, "Invalid registry URL %q", raw)
	}
	u.RawQuery, u.Fragment, u.RawPath = "", "", ""
	path := strings.TrimSuffix(u.Path, "/")
	if !strings.HasSuffix(path, "/v2") {
		path += "/v2"
	}
	u.Path = path + "/"
	return u, nil
}

// registryGet sends a GET that set prepares and returns the response with
// its body read and closed: only the status and headers matter.
func registryGet(ctx context.Context, client *http.Client, u *url.URL, set func(*http.Request)) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, errs.E(errs.Invalid, "Invalid registry URL")
	}
	set(req)
	resp, err := client.Do(req)
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, "The registry cannot be reached", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp, nil
}

// fetchRegistryToken asks the realm of a Bearer challenge for a token with
// the credentials.
func fetchRegistryToken(ctx context.Context, client *http.Client, base *url.URL, ch map[string]string, c RegistryCredentials) (string, error) {
	realm, err := base.Parse(ch["realm"])
	if err != nil || (realm.Scheme != "http" && realm.Scheme != "https") || realm.Host == "" {
		return "", errs.E(errs.Invalid, "The registry names an invalid token realm")
	}
	q := realm.Query()
	for _, k := range []string{"service", "scope"} {
		if v := ch[k]; v != "" {
			q.Set(k, v)
		}
	}
	q.Set("account", c.Username)
	realm.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, realm.String(), nil)
	if err != nil {
		return "", errs.E(errs.Invalid, "The registry names an invalid token realm")
	}
	req.SetBasicAuth(c.Username, c.Password)
	resp, err := client.Do(req)
	if err != nil {
		return "", errs.Wrap(errs.Unavailable, "The registry's token service cannot be reached", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return "", refused(resp.StatusCode)
	}
	var tok struct {
		Token       string `json:"token"`
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&tok); err != nil {
		return "", errs.E(errs.Invalid, "The registry's token service answered no token")
	}
	if tok.Token == "" {
		tok.Token = tok.AccessToken
	}
	if tok.Token == "" {
		return "", errs.E(errs.Invalid, "The registry's token service answered no token")
	}
	return tok.Token, nil
}

// bearerChallenge returns the parameters of the first Bearer challenge
// among the WWW-Authenticate headers, which must name a realm.
func bearerChallenge(h http.Header) (map[string]string, bool) {
	for _, v := range h.Values("WWW-Authenticate") {
		scheme, rest, _ := strings.Cut(strings.TrimSpace(v), " ")
		if !strings.EqualFold(scheme, "Bearer") {
			continue
		}
		params := parseAuthParams(rest)
		if params["realm"] != "" {
			return params, true
		}
	}
	return nil, false
}

// parseAuthParams parses comma-separated key=value and key="quoted value"
// pairs (RFC 9110 auth-params); keys are lower-cased.
func parseAuthParams(s string) map[string]string {
	out := map[string]string{}
	for {
		s = strings.TrimLeft(s, " \t,")
		if s == "" {
			return out
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return out
		}
		key := strings.ToLower(strings.TrimSpace(s[:eq]))
		s = strings.TrimLeft(s[eq+1:], " \t")
		var val strings.Builder
		if strings.HasPrefix(s, `"`) {
			i := 1
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				val.WriteByte(s[i])
			}
			s = s[min(i+1, len(s)):]
		} else {
			end := strings.IndexByte(s, ',')
			if end < 0 {
				end = len(s)
			}
			val.WriteString(strings.TrimSpace(s[:end]))
			s = s[end:]
		}
		out[key] = val.String()
	}
}

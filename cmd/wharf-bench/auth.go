package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// authenticator adds credentials to requests. It supports anonymous access,
// a fixed bearer token, HTTP Basic, and the Docker token flow: on a 401 with
// a Bearer challenge it fetches a token from the challenge's realm for the
// request's scope and caches it per scope. It is safe for concurrent use.
type authenticator struct {
	hc       *http.Client
	user     string
	password string
	static   string // --token; never refreshed

	// fetchMu serialises reactions to challenges, so that concurrent
	// requests failing together fetch one token, not one each.
	fetchMu sync.Mutex
	mu      sync.RWMutex
	basic   bool              // the registry asked for Basic
	tokens  map[string]string // bearer tokens by scope
}

func newAuthenticator(hc *http.Client, user, password, token string) *authenticator {
	return &authenticator{hc: hc, user: user, password: password, static: token, tokens: make(map[string]string)}
}

// apply sets the Authorization header for a request needing scope.
func (a *authenticator) apply(req *http.Request, scope string) {
	if a.static != "" {
		req.Header.Set("Authorization", "Bearer "+a.static)
		return
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	if tok, ok := a.tokens[scope]; ok {
		req.Header.Set("Authorization", "Bearer "+tok)
	} else if a.basic {
		req.SetBasicAuth(a.user, a.password)
	}
}

// challenged reacts to a 401 response for scope: it learns the scheme and
// fetches a token if needed. A nil error means the request should be sent
// again once. Credentials that were already sent and refused are an error.
func (a *authenticator) challenged(ctx context.Context, resp *http.Response, scope string) error {
	if a.static != "" {
		return errors.New("registry rejected the --token")
	}
	ch, ok := pickChallenge(resp.Header.Values("WWW-Authenticate"))
	if !ok {
		return errors.New("401 without a usable WWW-Authenticate challenge")
	}
	sent := resp.Request.Header.Get("Authorization")
	a.fetchMu.Lock()
	defer a.fetchMu.Unlock()
	switch ch.scheme {
	case "basic":
		if a.user == "" {
			return errors.New("registry requires credentials: pass --user and --password")
		}
		if strings.HasPrefix(sent, "Basic ") {
			return errors.New("registry rejected the --user/--password")
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		a.basic = true
		return nil
	default: // bearer
		a.mu.RLock()
		cur := a.tokens[scope]
		a.mu.RUnlock()
		if cur != "" && sent != "Bearer "+cur {
			return nil // another request fetched a token meanwhile
		}
		want := scope
		if want == "" {
			want = ch.params["scope"]
		}
		tok, err := a.fetchToken(ctx, ch.params["realm"], ch.params["service"], want)
		if err != nil {
			return err
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		a.tokens[scope] = tok
		return nil
	}
}

// fetchToken asks the token service at realm for a token covering scope.
func (a *authenticator) fetchToken(ctx context.Context, realm, service, scope string) (string, error) {
	u, err := url.Parse(realm)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("invalid token realm %q", realm)
	}
	q := u.Query()
	if service != "" {
		q.Set("service", service)
	}
	if scope != "" {
		q.Set("scope", scope)
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	if a.user != "" {
		req.SetBasicAuth(a.user, a.password)
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("fetch token: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("fetch token for %q: %s", scope, statusError(resp))
	}
	var body struct {
		Token       string `json:"token"`
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
		return "", fmt.Errorf("decode token response: %w", err)
	}
	if body.Token != "" {
		return body.Token, nil
	}
	if body.AccessToken != "" {
		return body.AccessToken, nil
	}
	return "", errors.New("token response holds no token")
}

// challenge is one parsed WWW-Authenticate challenge; scheme is lower case.
type challenge struct {
	scheme string
	params map[string]string
}

// pickChallenge returns the Bearer challenge if there is one, else Basic.
func pickChallenge(headers []string) (challenge, bool) {
	var basic *challenge
	for _, h := range headers {
		ch, err := parseChallenge(h)
		if err != nil {
			continue
		}
		switch ch.scheme {
		case "bearer":
			if ch.params["realm"] != "" {
				return ch, true
			}
		case "basic":
			basic = &ch
		}
	}
	if basic != nil {
		return *basic, true
	}
	return challenge{}, false
}

// parseChallenge parses `Scheme k="v", k2=v2`. Quoted values may contain
// commas and backslash escapes.
func parseChallenge(h string) (challenge, error) {
	h = strings.TrimSpace(h)
	scheme, rest, _ := strings.Cut(h, " ")
	if scheme == "" {
		return challenge{}, errors.New("empty challenge")
	}
	ch := challenge{scheme: strings.ToLower(scheme), params: make(map[string]string)}
	s := strings.TrimSpace(rest)
	for s != "" {
		key, after, ok := strings.Cut(s, "=")
		if !ok {
			return challenge{}, fmt.Errorf("malformed challenge parameter in %q", h)
		}
		key = strings.ToLower(strings.TrimSpace(key))
		after = strings.TrimLeft(after, " ")
		var val string
		if strings.HasPrefix(after, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(after) && after[i] != '"'; i++ {
				if after[i] == '\\' && i+1 < len(after) {
					i++
				}
				b.WriteByte(after[i])
			}
			if i >= len(after) {
				return challenge{}, fmt.Errorf("unterminated quoted value in %q", h)
			}
			val, s = b.String(), after[i+1:]
		} else {
			val, s, _ = strings.Cut(after, ",")
			val = strings.TrimSpace(val)
			s = "," + s
		}
		ch.params[key] = val
		s = strings.TrimSpace(s)
		s = strings.TrimSpace(strings.TrimPrefix(s, ","))
	}
	return ch, nil
}

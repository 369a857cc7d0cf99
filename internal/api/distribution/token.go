package distribution

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"wharf/internal/auth"
	"wharf/internal/errs"
)

// Bounds on a token request: the form body and the scopes it may ask for.
const (
	maxTokenForm   = 64 << 10
	maxTokenScopes = 32
)

// countScopes counts the scopes in the scope parameters, each of which
// holds space-separated scopes.
func countScopes(params []string) int {
	n := 0
	for _, p := range params {
		n += len(strings.Fields(p))
	}
	return n
}

// token serves the Docker token endpoint. It authenticates the caller
// (anonymous callers get a token too, good for public repositories) and
// issues a token whose grants are the requested ones each cut down to the
// actions the caller may do: it down-scopes rather than refuse.
func (h *Handler) token(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	var (
		creds  auth.Credentials
		err    error
		scopes []string
	)
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxTokenForm)
		if err := r.ParseForm(); err != nil {
			return newError(codeUnsupported, "malformed form")
		}
		switch r.PostForm.Get("grant_type") {
		case "password":
			creds = auth.Credentials{Kind: auth.Basic, User: r.PostForm.Get("username"), Password: r.PostForm.Get("password")}
		default:
			return newError(codeUnsupported, "unsupported grant_type")
		}
		scopes = r.PostForm["scope"]
	} else {
		if creds, err = auth.ParseAuthorization(r.Header.Get("Authorization")); err != nil {
			return h.tokenUnauthorized(w, err)
		}
		if creds.Signed() {
			return h.tokenUnauthorized(w, errs.E(errs.Unauthenticated, "a registry token cannot be exchanged for another; sign in with a password or an API token"))
		}
		scopes = r.URL.Query()["scope"]
	}
	if n := countScopes(scopes); n > maxTokenScopes {
		return newError(codeUnsupported, fmt.Sprintf("too many scopes: %d, at most %d", n, maxTokenScopes))
	}
	p, err := h.opt.Auth.Authenticate(ctx, creds)
	if errs.Is(err, errs.Unauthenticated) {
		return h.tokenUnauthorized(w, err)
	}
	if err != nil {
		return err
	}
	requested, err := auth.ParseRequestScopes(scopes)
	if err != nil {
		return newError(codeUnsupported, errs.Message(err))
	}
	granted := make([]auth.Grant, 0, len(requested))
	for _, g := range requested {
		allowed, err := h.allowedActions(r, p, g)
		if err != nil {
			return err
		}
		g.Actions = allowed
		granted = append(granted, g)
	}
	service := r.URL.Query().Get("service")
	if service == "" {
		service = r.PostForm.Get("service")
	}
	if service == "" {
		service = h.opt.Service
	}
	tok, ttl, issued, err := h.opt.Signer.Issue(p, service, granted)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, "application/json", struct {
		Token       string `json:"token"`
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		IssuedAt    string `json:"issued_at"`
	}{tok, tok, int(ttl / time.Second), issued.UTC().Format(time.RFC3339)})
}

func (h *Handler) tokenUnauthorized(w http.ResponseWriter, cause error) error {
	w.Header().Set("WWW-Authenticate", `Basic realm="`+h.opt.Service+`"`)
	return newError(codeUnauthorized, errs.Message(cause))
}

// allowedActions returns the actions of g that p may do.
func (h *Handler) allowedActions(r *http.Request, p auth.Principal, g auth.Grant) ([]auth.Action, error) {
	allowed := []auth.Action{}
	switch g.Type {
	case auth.GrantRegistry:
		// The catalog lists only what the caller may read, so anyone may
		// ask for it, unless the credential's own grants leave it out.
		if g.Name == "catalog" && p.PermitsResource(auth.GrantRegistry, g.Name, auth.Pull) {
			allowed = append(allowed, g.Actions...)
		}
		return allowed, nil
	case auth.GrantRepository:
	default:
		return allowed, nil
	}
	for _, act := range g.Actions {
		ok, err := h.opt.Authorizer.Can(r.Context(), p, act, RepoType, g.Name)
		if err != nil {
			return nil, err
		}
		if ok {
			allowed = append(allowed, act)
		}
	}
	return allowed, nil
}

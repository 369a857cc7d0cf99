package auth

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// Service manages accounts and credentials and authenticates requests. It
// is safe for concurrent use.
type Service struct {
	store  meta.Store
	signer *Signer
	sealer *Sealer
	now    func() time.Time

	cache *principalCache
	dummy string // a hash to check against when a user is unknown
	// hashSlots bounds the password checks running at once.
	hashSlots chan struct{}
	touchMu   sync.Mutex
	touched   map[int64]time.Time // token ID -> when this process last touched it

	// onCreateOrg runs in the transaction of every CreateOrg; see
	// OnCreateOrg.
	onCreateOrg func(ctx context.Context, q meta.Queries, ns meta.Namespace, creator Principal) error
}

// OnCreateOrg sets what runs in the transaction that creates any
// organisation, whichever front asks, after the organisation and its
// owners team exist and before CreateOrgRequest.Also: the Habitat depot
// makes every organisation an origin here. Its error rolls the creation
// back. Set it before the service is used.
func (s *Service) OnCreateOrg(fn func(ctx context.Context, q meta.Queries, ns meta.Namespace, creator Principal) error) {
	s.onCreateOrg = fn
}

// NewService returns a Service over store. signer verifies the JWTs
// presented as bearer tokens; nil disables them. sealer keeps the secrets
// that are shown again (robot tokens, application secrets); nil disables
// robots and applications. It computes one password
// hash, so it takes a few tens of milliseconds.
func NewService(store meta.Store, signer *Signer, sealer *Sealer) (*Service, error) {
	pw := make([]byte, 16)
	if _, err := rand.Read(pw); err != nil {
		return nil, fmt.Errorf("auth service: %w", err)
	}
	dummy, err := HashPassword(fmt.Sprintf("%x", pw))
	if err != nil {
		return nil, fmt.Errorf("auth service: %w", err)
	}
	cache, err := newPrincipalCache(cacheSize, cacheTTL)
	if err != nil {
		return nil, fmt.Errorf("auth service: %w", err)
	}
	return &Service{
		store:     store,
		signer:    signer,
		sealer:    sealer,
		now:       time.Now,
		cache:     cache,
		dummy:     dummy,
		hashSlots: make(chan struct{}, runtime.GOMAXPROCS(0)),
		touched:   map[int64]time.Time{},
	}, nil
}

// CreateUserRequest describes a new account.
type CreateUserRequest struct {
	Name      string
	Email     string
	Password  string
	Superuser bool
}

var userNameRE = regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*$`)

// reservedNames cannot be user names: they collide with routes or would
// mislead.
var reservedNames = []string{
	"_catalog", "admin", "api", "assets", "auth", "healthz", "login", "logout",
	"metrics", "new", "org", "orgs", "readyz", "root", "static", "token",
	"user", "users", "v1", "v2", "wharf",
}

// ValidUserName checks a user name. A user's name is also the name of
// their namespace and so the first component of their OCI repositories: it
// is 2 to 64 lower-case letters and digits, separated by single ".", "_"
// or "-", and not reserved. Errors: errs.Invalid.
func ValidUserName(name string) error {
	switch {
	case len(name) < 2 || len(name) > 64:
		return errs.E(errs.Invalid, "user name must be 2 to 64 characters long")
	case !userNameRE.MatchString(name):
		return errs.E(errs.Invalid, "user name %q must be lower-case letters and digits separated by single '.', '_' or '-'", name)
	case slices.Contains(reservedNames, name):
		return errs.E(errs.Invalid, "user name %q is reserved", name)
	}
	return nil
}

func validEmail(email string) error {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") || len(email) > 254 ||
		strings.ContainsFunc(email, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return errs.E(errs.Invalid, "invalid email address %q", email)
	}
	return nil
}

// CreateUser creates an account and the public user namespace of the same
// name, in one transaction. Errors: errs.Invalid for a bad name, email or
// password; errs.Exists when a namespace or user of that name exists.
func (s *Service) CreateUser(ctx context.Context, req CreateUserRequest) (meta.User, error) {
	if err := ValidUserName(req.Name); err != nil {
		return meta.User{}, err
	}
	if err := validEmail(req.Email); err != nil {
		return meta.User{}, err
	}
	hash, err := HashPassword(req.Password)
	if err != nil {
		return meta.User{}, err
	}
	var u meta.User
	err = s.store.Tx(ctx, func(q meta.Queries) error {
		ns := meta.Namespace{Name: req.Name, Kind: meta.KindUser, Public: true, TagExpirationSecs: meta.DefaultTagExpirationSecs}
		if err := q.CreateNamespace(ctx, &ns); err != nil {
			return err
		}
		u = meta.User{
			Name:         req.Name,
			Email:        req.Email,
			PasswordHash: hash,
			Superuser:    req.Superuser,
			NamespaceID:  ns.ID,
		}
		return q.CreateUser(ctx, &u)
	})
	if errs.Is(err, errs.Exists) {
		return meta.User{}, errs.Wrap(errs.Exists, fmt.Sprintf("name %q is taken", req.Name), err)
	}
	if err != nil {
		return meta.User{}, fmt.Errorf("create user %s: %w", req.Name, err)
	}
	return u, nil
}

// CreateTokenRequest describes a new API token of user User.
type CreateTokenRequest struct {
	User   string
	Name   string
	Scopes []string      // see ParseScope; none means every right of the user
	TTL    time.Duration // 0 means the token never expires
}

// printable reports whether s is 1 to max bytes without control
// characters.
func printable(s string, max int) bool {
	return s != "" && len(s) <= max && !strings.ContainsFunc(s, isCtl)
}

// checkTokenName returns errs.Invalid unless name can name an API token.
func checkTokenName(name string) error {
	if !printable(name, 100) {
		return errs.E(errs.Invalid, "token name must be 1 to 100 printable characters")
	}
	return nil
}

// keptSecret makes the secret of a token that keeps it and returns it
// with its sealed form. Errors: errs.Unavailable, saying that what need
// a key, when the Service has no Sealer.
func (s *Service) keptSecret(what string) (string, []byte, error) {
	if s.sealer == nil {
		return "", nil, errs.E(errs.Unavailable, "%s need a server secret key, and none is configured", what)
	}
	secret, err := NewTokenSecret()
	if err != nil {
		return "", nil, err
	}
	sealed, err := s.sealer.Seal([]byte(secret))
	if err != nil {
		return "", nil, err
	}
	return secret, sealed, nil
}

// CreateToken creates an API token and returns its secret, which is not
// stored and cannot be recovered, with the stored record. Scopes are
// stored in the canonical form of Grant.String. Errors: errs.Invalid for a
// bad name, scope or TTL; errs.NotFound when the user does not exist.
func (s *Service) CreateToken(ctx context.Context, req CreateTokenRequest) (string, meta.Token, error) {
	name := strings.TrimSpace(req.Name)
	if err := checkTokenName(name); err != nil {
		return "", meta.Token{}, err
	}
	if req.TTL < 0 {
		return "", meta.Token{}, errs.E(errs.Invalid, "token ttl must not be negative")
	}
	scopes := make([]string, 0, len(req.Scopes))
	for _, sc := range req.Scopes {
		g, err := ParseScope(sc)
		if err != nil {
			return "", meta.Token{}, err
		}
		if c := g.String(); !slices.Contains(scopes, c) {
			scopes = append(scopes, c)
		}
	}
	u, err := s.store.GetUser(ctx, req.User)
	if errs.Is(err, errs.NotFound) {
		return "", meta.Token{}, errs.Wrap(errs.NotFound, fmt.Sprintf("user %q not found", req.User), err)
	}
	if err != nil {
		return "", meta.Token{}, fmt.Errorf("create token: %w", err)
	}
	secret, err := NewTokenSecret()
	if err != nil {
		return "", meta.Token{}, err
	}
	t := meta.Token{UserID: u.ID, Name: name, Hash: HashToken(secret), Scopes: scopes, Kind: meta.TokenAPI}
	if req.TTL > 0 {
		t.Expires = s.now().Add(req.TTL)
	}
	if err := s.store.CreateToken(ctx, &t); err != nil {
		return "", meta.Token{}, fmt.Errorf("create token: %w", err)
	}
	return secret, t, nil
}

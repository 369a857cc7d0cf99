package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"strings"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// RobotSeparator joins a namespace and a robot's short name into the
// robot's account name.
const RobotSeparator = "+"

// robotSecretLen characters from robotAlphabet make a robot secret.
const robotSecretLen = 64

const robotAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// Robot limits.
const (
	maxRobotDescription = 255
	maxRobotMetadata    = 1 << 20
)

// newRobotSecret returns 64 random characters of [A-Z0-9], the form
// Quay's clients know.
func newRobotSecret() (string, error) {
	out := make([]byte, 0, robotSecretLen)
	buf := make([]byte, robotSecretLen)
	// Bytes of 252 and above are dropped so that every character is
	// equally likely (252 = 7 * 36).
	for len(out) < robotSecretLen {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("robot secret: %w", err)
		}
		for _, c := range buf {
			if c < 252 && len(out) < robotSecretLen {
				out = append(out, robotAlphabet[int(c)%len(robotAlphabet)])
			}
		}
	}
	return string(out), nil
}

// RobotName returns the account name of the robot short in namespace ns.
func RobotName(ns, short string) string { return ns + RobotSeparator + short }

// authRobot checks a robot's name and secret.
func (s *Service) authRobot(ctx context.Context, name, secret string) (Principal, error) {
	u, err := s.store.GetUser(ctx, name)
	if errs.Is(err, errs.NotFound) {
		return Principal{}, unauthenticated()
	}
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate %s: %w", name, err)
	}
	got := HashToken(secret)
	if !u.Robot || u.Disabled || u.SecretHash == "" || subtle.ConstantTimeCompare([]byte(got), []byte(u.SecretHash)) != 1 {
		return Principal{}, unauthenticated()
	}
	p := principalOf(u)
	p.Method = ByRobot
	return p, nil
}

// RobotRequest describes a new robot.
type RobotRequest struct {
	Namespace   meta.Namespace
	Short       string
	Description string
	Metadata    []byte // a JSON object, or nil
}

// Robot is a robot account with its secret.
type Robot struct {
	meta.User
	Secret string
}

// Short returns the robot's short name.
func (r Robot) Short() string {
	_, short, _ := strings.Cut(r.Name, RobotSeparator)
	return short
}

// CreateRobot creates a robot in a namespace. Errors: errs.Invalid for a
// bad short name, description or metadata; errs.Exists when the robot
// exists; errs.Unavailable when no sealer is configured.
func (s *Service) CreateRobot(ctx context.Context, req RobotRequest) (Robot, error) {
	if err := validRobotShort(req.Short); err != nil {
		return Robot{}, err
	}
	if len(req.Description) > maxRobotDescription {
		return Robot{}, errs.E(errs.Invalid, "description is longer than %d characters", maxRobotDescription)
	}
	if req.Metadata != nil {
		var obj map[string]any
		if len(req.Metadata) > maxRobotMetadata || json.Unmarshal(req.Metadata, &obj) != nil || obj == nil {
			return Robot{}, errs.E(errs.Invalid, "unstructured_metadata must be a JSON object of at most 1 MiB")
		}
	}
	secret, sealed, err := s.robotSecret()
	if err != nil {
		return Robot{}, err
	}
	u := meta.User{
		Name:         RobotName(req.Namespace.Name, req.Short),
		NamespaceID:  req.Namespace.ID,
		Robot:        true,
		Description:  req.Description,
		Metadata:     req.Metadata,
		SealedSecret: sealed,
		SecretHash:   HashToken(secret),
	}
	err = s.store.CreateUser(ctx, &u)
	if errs.Is(err, errs.Exists) {
		return Robot{}, errs.Wrap(errs.Exists, "Existing robot with name: "+u.Name, err)
	}
	if err != nil {
		return Robot{}, fmt.Errorf("create robot %s: %w", u.Name, err)
	}
	return Robot{User: u, Secret: secret}, nil
}

func validRobotShort(short string) error {
	if len(short) < 2 || len(short) > 255 || !userNameRE.MatchString(short) {
		return errs.E(errs.Invalid, "Invalid robot account name: %q must be 2 to 255 lower-case letters and digits separated by single '.', '_' or '-'", short)
	}
	return nil
}

func (s *Service) robotSecret() (string, []byte, error) {
	if s.sealer == nil {
		return "", nil, errs.E(errs.Unavailable, "robots need a server secret key, and none is configured")
	}
	secret, err := newRobotSecret()
	if err != nil {
		return "", nil, err
	}
	sealed, err := s.sealer.Seal([]byte(secret))
	return secret, sealed, err
}

// GetRobot returns a namespace's robot with its secret. Errors:
// errs.NotFound.
func (s *Service) GetRobot(ctx context.Context, ns meta.Namespace, short string) (Robot, error) {
	u, err := s.store.GetUser(ctx, RobotName(ns.Name, short))
	if err == nil && (!u.Robot || u.NamespaceID != ns.ID) {
		err = errs.E(errs.NotFound, "robot not found")
	}
	if err != nil {
		return Robot{}, errs.Wrap(errs.NotFound, "Could not find robot with specified username", err)
	}
	return s.openRobot(u)
}

func (s *Service) openRobot(u meta.User) (Robot, error) {
	if s.sealer == nil || u.SealedSecret == nil {
		return Robot{User: u}, nil
	}
	secret, err := s.sealer.Open(u.SealedSecret)
	if err != nil {
		return Robot{}, fmt.Errorf("robot %s: %w", u.Name, err)
	}
	return Robot{User: u, Secret: string(secret)}, nil
}

// ListRobots returns a namespace's robots with their secrets, by name.
func (s *Service) ListRobots(ctx context.Context, ns meta.Namespace) ([]Robot, error) {
	us, err := s.store.ListUsers(ctx, meta.UserFilter{Robots: true, NamespaceID: ns.ID})
	if err != nil {
		return nil, fmt.Errorf("list robots of %s: %w", ns.Name, err)
	}
	out := make([]Robot, 0, len(us))
	for _, u := range us {
		r, err := s.openRobot(u)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// RegenerateRobot gives a robot a new secret; the old one stops working
// at once. Errors: errs.NotFound.
func (s *Service) RegenerateRobot(ctx context.Context, ns meta.Namespace, short string) (Robot, error) {
	r, err := s.GetRobot(ctx, ns, short)
	if err != nil {
		return Robot{}, err
	}
	secret, sealed, err := s.robotSecret()
	if err != nil {
		return Robot{}, err
	}
	r.SealedSecret, r.SecretHash, r.Secret = sealed, HashToken(secret), secret
	if err := s.store.UpdateUser(ctx, r.User); err != nil {
		return Robot{}, fmt.Errorf("regenerate robot %s: %w", r.Name, err)
	}
	return r, nil
}

// DeleteRobot removes a robot with its memberships and permissions.
// Errors: errs.NotFound.
func (s *Service) DeleteRobot(ctx context.Context, ns meta.Namespace, short string) error {
	r, err := s.GetRobot(ctx, ns, short)
	if err != nil {
		return err
	}
	if err := s.store.DeleteUser(ctx, r.ID); err != nil {
		return fmt.Errorf("delete robot %s: %w", r.Name, err)
	}
	return nil
}

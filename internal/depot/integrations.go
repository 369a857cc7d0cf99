package depot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// maxIntegration bounds the JSON body of an integration.
const maxIntegration = 64 << 10

// Integrations lists an origin's integrations: the names of each kind, by
// name. Errors: errs.NotFound for the origin; errs.Unauthenticated;
// errs.Denied below read-only member.
func (s *Service) Integrations(ctx context.Context, p auth.Principal, origin string) (map[string][]string, error) {
	ns, err := s.originAs(ctx, p, origin, ReadOnlyMember)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ListIntegrations(ctx, ns.ID)
	if err != nil {
		return nil, fmt.Errorf("list integrations: %w", err)
	}
	out := map[string][]string{}
	for _, i := range all {
		out[i.Integration] = append(out[i.Integration], i.Name)
	}
	return out, nil
}

// IntegrationNames lists the names of an origin's integrations of one
// kind, sorted. Errors as Integrations.
func (s *Service) IntegrationNames(ctx context.Context, p auth.Principal, origin, kind string) ([]string, error) {
	all, err := s.Integrations(ctx, p, origin)
	if err != nil {
		return nil, err
	}
	names := all[kind]
	if names == nil {
		names = []string{}
	}
	return names, nil
}

// Integration returns the body of an integration without its "password".
// Errors: errs.NotFound for it and for the origin; errs.Unauthenticated;
// errs.Denied below read-only member.
func (s *Service) Integration(ctx context.Context, p auth.Principal, origin, kind, name string) (map[string]json.RawMessage, error) {
	ns, err := s.originAs(ctx, p, origin, ReadOnlyMember)
	if err != nil {
		return nil, err
	}
	i, err := s.store.GetIntegration(ctx, ns.ID, kind, name)
	if err != nil {
		return nil, notFound(err, "integration not found")
	}
	plain, err := s.sealer.Open(i.Body)
	if err != nil {
		return nil, fmt.Errorf("integration %s/%s: %w", kind, name, err)
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(plain, &body); err != nil {
		return nil, fmt.Errorf("integration %s/%s: %w", kind, name, err)
	}
	delete(body, "password")
	return body, nil
}

// PutIntegration creates or replaces an integration. body must be a JSON
// object; it is stored sealed. Errors: errs.Invalid for an empty kind or
// name or a body that is not a JSON object; errs.TooLarge above 64 KiB;
// errs.NotFound for the origin; errs.Unauthenticated; errs.Denied below
// maintainer.
func (s *Service) PutIntegration(ctx context.Context, p auth.Principal, origin, kind, name string, body []byte) error {
	ns, err := s.originAs(ctx, p, origin, Maintainer)
	if err != nil {
		return err
	}
	if kind == "" || name == "" {
		return errs.E(errs.Invalid, "Missing integration or name")
	}
	if len(body) > maxIntegration {
		return errs.E(errs.TooLarge, "integration larger than %d bytes", maxIntegration)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return errs.E(errs.Invalid, "The integration must be a JSON object")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, body); err != nil {
		return errs.E(errs.Invalid, "The integration must be a JSON object")
	}
	sealed, err := s.sealer.Seal(compact.Bytes())
	if err != nil {
		return err
	}
	i := meta.Integration{NamespaceID: ns.ID, Integration: kind, Name: name, Body: sealed}
	if err := s.store.PutIntegration(ctx, &i); err != nil {
		return fmt.Errorf("put integration: %w", err)
	}
	return nil
}

// DeleteIntegration removes an integration. Errors: errs.NotFound for it
// and for the origin; errs.Unauthenticated; errs.Denied below maintainer.
func (s *Service) DeleteIntegration(ctx context.Context, p auth.Principal, origin, kind, name string) error {
	ns, err := s.originAs(ctx, p, origin, Maintainer)
	if err != nil {
		return err
	}
	if err := s.store.DeleteIntegration(ctx, ns.ID, kind, name); err != nil {
		return notFound(err, "integration not found")
	}
	return nil
}

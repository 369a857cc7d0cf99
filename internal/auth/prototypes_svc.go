package auth

import (
	"context"
	"fmt"

	"wharf/internal/meta"
)

// ListPrototypes returns an organisation's default permissions, oldest
// first.
func (s *Service) ListPrototypes(ctx context.Context, org meta.Namespace) ([]meta.Prototype, error) {
	ps, err := s.store.ListPrototypes(ctx, org.ID)
	if err != nil {
		return nil, fmt.Errorf("default permissions of %s: %w", org.Name, err)
	}
	return ps, nil
}

// SetPrototypeRole changes the role of an organisation's default
// permission and returns it before and after. Errors: errs.Invalid for a
// bad role; errs.NotFound for an unknown id.
func (s *Service) SetPrototypeRole(ctx context.Context, org meta.Namespace, id, role string) (before, after meta.Prototype, err error) {
	if err := checkRole(role); err != nil {
		return before, after, err
	}
	err = s.store.Tx(ctx, func(q meta.Queries) error {
		p, err := q.GetPrototype(ctx, org.ID, id)
		if err != nil {
			return err
		}
		before, after = p, p
		after.Role = role
		return q.UpdatePrototype(ctx, after)
	})
	if err != nil {
		return before, after, fmt.Errorf("default permission %s of %s: %w", id, org.Name, err)
	}
	return before, after, nil
}

// DeletePrototype removes an organisation's default permission and
// returns it. Errors: errs.NotFound for an unknown id.
func (s *Service) DeletePrototype(ctx context.Context, org meta.Namespace, id string) (meta.Prototype, error) {
	var p meta.Prototype
	err := s.store.Tx(ctx, func(q meta.Queries) error {
		var err error
		if p, err = q.GetPrototype(ctx, org.ID, id); err != nil {
			return err
		}
		return q.DeletePrototype(ctx, p.ID)
	})
	if err != nil {
		return meta.Prototype{}, fmt.Errorf("delete default permission %s of %s: %w", id, org.Name, err)
	}
	return p, nil
}

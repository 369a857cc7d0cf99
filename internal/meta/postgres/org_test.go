package postgres

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

// TestDeleteNamespaceRace deletes organisations while repositories and
// accounts are created in them: each pair ends with exactly one of the two
// done, and the loser gets the error its interface documents.
func TestDeleteNamespaceRace(t *testing.T) {
	t.Parallel()
	s := open(t, testDSN(t))
	ctx := context.Background()
	deleted, created := 0, 0
	for i := range 40 {
		n := meta.Namespace{Name: fmt.Sprintf("race%d", i), Kind: meta.KindOrg}
		if err := s.CreateNamespace(ctx, &n); err != nil {
			t.Fatal(err)
		}
		var delErr, createErr error
		var wg sync.WaitGroup
		wg.Go(func() { delErr = s.DeleteNamespace(ctx, n.ID) })
		wg.Go(func() {
			if i%2 == 0 {
				createErr = s.CreateRepo(ctx, &meta.Repository{NamespaceID: n.ID, Type: "oci", Name: n.Name + "/app"})
			} else {
				createErr = s.CreateUser(ctx, &meta.User{Name: n.Name, NamespaceID: n.ID})
			}
		})
		wg.Wait()
		_, getErr := s.GetNamespaceByID(ctx, n.ID)
		switch {
		case delErr == nil && errs.Is(createErr, errs.NotFound) && errs.Is(getErr, errs.NotFound):
			deleted++
		case errs.Is(delErr, errs.Conflict) && createErr == nil && getErr == nil:
			created++
		default:
			t.Fatalf("round %d: DeleteNamespace = %v, create = %v, then GetNamespaceByID = %v",
				i, delErr, createErr, getErr)
		}
	}
	t.Logf("%d namespaces deleted first, %d filled first", deleted, created)
}

package artifact_test

import (
	"context"
	"errors"
	"testing"

	"wharf/internal/artifact"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

func TestCreateRepo(t *testing.T) {
	t.Parallel()
	var hooked []int64
	hookErr := errors.New("hook refused")
	e := newEnv(t, artifact.Options{OnCreateRepo: func(_ context.Context, _ meta.Queries, r meta.Repository, creator int64) error {
		if r.Name == "alice/refused" {
			return hookErr
		}
		hooked = append(hooked, creator)
		return nil
	}})
	ctx := t.Context()
	req := artifact.CreateRepoRequest{Type: "oci", Name: "alice/app", CreatorID: 7, Public: true, Description: "d"}
	r, err := e.svc.CreateRepo(ctx, req)
	if err != nil {
		t.Fatalf("CreateRepo: %v", err)
	}
	if !r.Public || r.Description != "d" || r.ID == 0 {
		t.Errorf("CreateRepo returned %+v", r)
	}
	got, err := e.svc.Repo(ctx, "oci", "alice/app")
	if err != nil || !got.Public || got.Description != "d" {
		t.Errorf("stored repository %+v, %v", got, err)
	}
	if len(hooked) != 1 || hooked[0] != 7 {
		t.Errorf("hook ran for creators %v, want [7]", hooked)
	}
	_, err = e.svc.CreateRepo(ctx, req)
	wantKind(t, "CreateRepo of an existing name", err, errs.Exists)
	_, err = e.svc.CreateRepo(ctx, artifact.CreateRepoRequest{Type: "oci", Name: "alice/Upper"})
	wantKind(t, "CreateRepo of a bad name", err, errs.Invalid)
	_, err = e.svc.CreateRepo(ctx, artifact.CreateRepoRequest{Type: "oci", Name: "nobody/app"})
	wantKind(t, "CreateRepo in a missing namespace", err, errs.NotFound)
	if _, err = e.svc.CreateRepo(ctx, artifact.CreateRepoRequest{Type: "oci", Name: "alice/refused"}); !errors.Is(err, hookErr) {
		t.Errorf("CreateRepo with a refusing hook: %v", err)
	}
	if _, err := e.svc.Repo(ctx, "oci", "alice/refused"); !errs.Is(err, errs.NotFound) {
		t.Errorf("a refused creation left the repository: %v", err)
	}
}

func TestUpdateRepoAndStars(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	r := e.repo(t, "oci", "alice/app")
	if _, err := e.svc.UpdateRepo(ctx, r.ID, func(r *meta.Repository) { r.Description = "words" }); err != nil {
		t.Fatal(err)
	}
	u, err := e.svc.UpdateRepo(ctx, r.ID, func(r *meta.Repository) { r.TrustEnabled = true })
	if err != nil || u.Description != "words" || !u.TrustEnabled {
		t.Errorf("second update: %+v, %v; want both changes kept", u, err)
	}
	_, err = e.svc.UpdateRepo(ctx, r.ID+1000, func(*meta.Repository) {})
	wantKind(t, "UpdateRepo of a missing repository", err, errs.NotFound)

	ns := meta.Namespace{Name: "starrer", Kind: meta.KindUser, Public: true}
	if err := e.meta.CreateNamespace(ctx, &ns); err != nil {
		t.Fatal(err)
	}
	person := meta.User{Name: "starrer", Email: "s@example.com", NamespaceID: ns.ID}
	if err := e.meta.CreateUser(ctx, &person); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := e.svc.Star(ctx, person.ID, r.ID); err != nil {
			t.Fatalf("Star: %v", err)
		}
	}
	if ok, err := e.svc.Starred(ctx, person.ID, r.ID); !ok || err != nil {
		t.Errorf("Starred = %v, %v after starring", ok, err)
	}
	rs, err := e.svc.VisibleRepos(ctx, meta.RepoFilter{UserID: person.ID, Type: "oci", Starred: true, Public: true})
	if err != nil || len(rs) != 0 {
		t.Errorf("starred private repository of another user is visible: %v, %v", rs, err)
	}
	_, err = e.svc.VisibleRepos(ctx, meta.RepoFilter{Type: "hab"})
	wantKind(t, "VisibleRepos of an unknown type", err, errs.Invalid)
	if err := e.svc.Unstar(ctx, person.ID, r.ID); err != nil {
		t.Fatal(err)
	}
	if ok, _ := e.svc.Starred(ctx, person.ID, r.ID); ok {
		t.Errorf("still starred after Unstar")
	}
	wantKind(t, "Star of a missing repository", e.svc.Star(ctx, person.ID, r.ID+1000), errs.NotFound)
}

func TestTagSummariesAndLastModified(t *testing.T) {
	t.Parallel()
	e := newEnv(t, artifact.Options{})
	ctx := t.Context()
	r := e.repo(t, "oci", "alice/app")
	if last, err := e.svc.LastModified(ctx, r.ID); err != nil || !last.IsZero() {
		t.Errorf("LastModified of an empty repository = %v, %v", last, err)
	}
	docs := [][]byte{[]byte(`{"a":1}`), []byte(`{"bb":22}`)}
	for i, doc := range docs {
		d := sha256Digest(doc)
		if _, err := e.svc.PutContent(ctx, artifact.PutContentRequest{RepoID: r.ID, Digest: d, Content: doc,
			MediaType: "application/vnd.oci.image.manifest.v1+json", Tag: []string{"one", "two"}[i]}); err != nil {
			t.Fatal(err)
		}
	}
	ts, err := e.svc.TagSummaries(ctx, r.ID, 10)
	if err != nil || len(ts) != 2 {
		t.Fatalf("TagSummaries: %v, %v", ts, err)
	}
	for i, tg := range ts {
		if tg.Size != int64(len(docs[i])) || tg.Digest != sha256Digest(docs[i]) {
			t.Errorf("tag %s: size %d digest %s, want %d %s", tg.Name, tg.Size, tg.Digest, len(docs[i]), sha256Digest(docs[i]))
		}
	}
	if ts, _ := e.svc.TagSummaries(ctx, r.ID, 1); len(ts) != 1 {
		t.Errorf("TagSummaries with limit 1 returned %d tags", len(ts))
	}
	last, err := e.svc.LastModified(ctx, r.ID)
	if err != nil || last.Before(ts[0].Updated) || last.Before(ts[1].Updated) {
		t.Errorf("LastModified = %v, %v; tags updated %v and %v", last, err, ts[0].Updated, ts[1].Updated)
	}
}

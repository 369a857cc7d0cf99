package metatest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"wharf/internal/errs"
	"wharf/internal/meta"
)

func repoTests() []test {
	return []test{
		{"CreateGet", func(t *testing.T, f *fixture) {
			before := time.Now()
			r := meta.Repository{NamespaceID: f.owner().ID, Type: "oci", Name: "Owner/Tools/App", Public: true}
			f.ok(f.s.CreateRepo(f.ctx, &r))
			if r.ID == 0 {
				t.Fatal("CreateRepo did not set ID")
			}
			wantStamp(t, "Created", r.Created, before)
			for _, name := range []string{"Owner/Tools/App", "owner/tools/app", "OWNER/TOOLS/APP"} {
				got, err := f.s.GetRepo(f.ctx, "oci", name)
				f.ok(err)
				wantEqual(t, "GetRepo("+name+")", got, r)
			}
			got, err := f.s.GetRepoByID(f.ctx, r.ID)
			f.ok(err)
			wantEqual(t, "GetRepoByID", got, r)
		}},
		{"TypesAreSeparate", func(t *testing.T, f *fixture) {
			a := f.repo("oci", "app")
			b := f.repo("generic", "APP")
			if a.ID == b.ID {
				t.Fatal("two repositories share an ID")
			}
			got, err := f.s.GetRepo(f.ctx, "generic", "app")
			f.ok(err)
			wantEqual(t, "GetRepo(generic)", got, b)
			_, err = f.s.GetRepo(f.ctx, "habitat", "app")
			wantKind(t, "GetRepo(other type)", err, errs.NotFound)
		}},
		{"Errors", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "lib/app")
			dup := meta.Repository{NamespaceID: f.owner().ID, Type: "oci", Name: "LIB/App"}
			wantKind(t, "duplicate", f.s.CreateRepo(f.ctx, &dup), errs.Exists)
			orphan := meta.Repository{NamespaceID: f.owner().ID + 1000, Type: "oci", Name: "x"}
			wantKind(t, "missing namespace", f.s.CreateRepo(f.ctx, &orphan), errs.NotFound)
			wantKind(t, "empty name", f.s.CreateRepo(f.ctx, &meta.Repository{NamespaceID: f.owner().ID, Type: "oci"}), errs.Invalid)
			_, err := f.s.GetRepo(f.ctx, "oci", "lib/other")
			wantKind(t, "GetRepo(missing)", err, errs.NotFound)
			_, err = f.s.GetRepoByID(f.ctx, r.ID+1000)
			wantKind(t, "GetRepoByID(missing)", err, errs.NotFound)
		}},
		{"List", func(t *testing.T, f *fixture) {
			byName := map[string]meta.Repository{}
			for _, n := range []string{"delta", "Bravo", "echo", "alpha", "Charlie"} {
				byName[n] = f.repo("oci", n)
			}
			f.repo("generic", "aardvark")
			order := []string{"alpha", "Bravo", "Charlie", "delta", "echo"}
			var want []meta.Repository
			for _, n := range order {
				want = append(want, byName[n])
			}
			all, err := f.s.ListRepos(f.ctx, "oci", meta.Page{})
			f.ok(err)
			wantEqual(t, "ListRepos(all)", all, want)

			var paged []meta.Repository
			p := meta.Page{Limit: 2}
			for range 10 {
				page, err := f.s.ListRepos(f.ctx, "oci", p)
				f.ok(err)
				if len(page) > 2 {
					t.Fatalf("page of %d, limit 2", len(page))
				}
				if len(page) == 0 {
					break
				}
				paged = append(paged, page...)
				p.After = page[len(page)-1].Name
			}
			wantEqual(t, "ListRepos paged", paged, want)

			after, err := f.s.ListRepos(f.ctx, "oci", meta.Page{After: "BRAVO", Limit: 2})
			f.ok(err)
			wantEqual(t, "ListRepos(after BRAVO)", after, want[2:4])
			none, err := f.s.ListRepos(f.ctx, "habitat", meta.Page{})
			f.ok(err)
			if len(none) != 0 {
				t.Errorf("ListRepos(habitat) = %v, want none", none)
			}
		}},
		{"ListNamespace", func(t *testing.T, f *fixture) {
			other := f.namespace("someone")
			b := f.repo("oci", "b")
			a := f.repo("oci", "a")
			f.repo("generic", "c")
			theirs := meta.Repository{NamespaceID: other.ID, Type: "oci", Name: "aa"}
			f.ok(f.s.CreateRepo(f.ctx, &theirs))
			got, err := f.s.ListNamespaceRepos(f.ctx, f.owner().ID, "oci", meta.Page{})
			f.ok(err)
			wantEqual(t, "ListNamespaceRepos", got, []meta.Repository{a, b})
			got, err = f.s.ListNamespaceRepos(f.ctx, f.owner().ID, "oci", meta.Page{After: "a", Limit: 5})
			f.ok(err)
			wantEqual(t, "ListNamespaceRepos(after a)", got, []meta.Repository{b})
			got, err = f.s.ListNamespaceRepos(f.ctx, other.ID, "oci", meta.Page{Limit: 1})
			f.ok(err)
			wantEqual(t, "ListNamespaceRepos(other)", got, []meta.Repository{theirs})
		}},
		{"SetPublic", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "vis")
			f.ok(f.s.SetRepoPublic(f.ctx, r.ID, true))
			got, err := f.s.GetRepoByID(f.ctx, r.ID)
			f.ok(err)
			if !got.Public {
				t.Error("repository not public after SetRepoPublic(true)")
			}
			f.ok(f.s.SetRepoPublic(f.ctx, r.ID, false))
			got, err = f.s.GetRepoByID(f.ctx, r.ID)
			f.ok(err)
			if got.Public {
				t.Error("repository public after SetRepoPublic(false)")
			}
			wantKind(t, "SetRepoPublic(missing)", f.s.SetRepoPublic(f.ctx, r.ID+1000, true), errs.NotFound)
		}},
		{"DeleteCascades", func(t *testing.T, f *fixture) {
			r := f.repo("oci", "doomed")
			keep := f.repo("oci", "kept")
			layer := f.blob("layer")
			f.ok(f.s.LinkBlob(f.ctx, r.ID, layer.Digest))
			f.ok(f.s.LinkBlob(f.ctx, keep.ID, layer.Digest))
			child := f.manifest(r.ID, "child", meta.Ref{Kind: meta.RefBlob, Digest: layer.Digest})
			index := f.manifest(r.ID, "index", meta.Ref{Kind: meta.RefVersion, Digest: child.Version})
			f.ok(f.s.PutTag(f.ctx, r.ID, "latest", index.ID))
			gen := f.version(r.ID, "1.0")
			file := f.file(gen.ID, "a.tgz")
			up := meta.Upload{ID: "up-doomed", RepoID: r.ID}
			f.ok(f.s.CreateUpload(f.ctx, &up))
			f.ok(f.s.CreateUpload(f.ctx, &meta.Upload{ID: "up-doomed-2", RepoID: r.ID}))
			f.ok(f.s.CreateUpload(f.ctx, &meta.Upload{ID: "up-kept", RepoID: keep.ID}))

			gone, err := f.s.DeleteRepo(f.ctx, r.ID)
			f.ok(err)
			slices.Sort(gone)
			wantEqual(t, "upload sessions DeleteRepo removed", gone, []string{"up-doomed", "up-doomed-2"})
			_, err = f.s.GetUpload(f.ctx, "up-kept")
			f.ok(err)

			_, err = f.s.GetRepoByID(f.ctx, r.ID)
			wantKind(t, "GetRepoByID", err, errs.NotFound)
			for _, id := range []int64{child.ID, index.ID, gen.ID} {
				_, err = f.s.GetVersionByID(f.ctx, id)
				wantKind(t, "GetVersionByID", err, errs.NotFound)
			}
			_, err = f.s.GetTag(f.ctx, r.ID, "latest")
			wantKind(t, "GetTag", err, errs.NotFound)
			_, err = f.s.GetFile(f.ctx, gen.ID, file.Name)
			wantKind(t, "GetFile", err, errs.NotFound)
			_, err = f.s.GetRepoBlob(f.ctx, r.ID, layer.Digest)
			wantKind(t, "GetRepoBlob", err, errs.NotFound)
			_, err = f.s.GetUpload(f.ctx, up.ID)
			wantKind(t, "GetUpload", err, errs.NotFound)
			n, err := f.s.CountVersionParents(f.ctx, r.ID, child.Version)
			f.ok(err)
			if n != 0 {
				t.Errorf("CountVersionParents = %d after delete, want 0", n)
			}

			// Blobs stay for garbage collection; the other repository's link holds.
			for _, d := range []string{layer.Digest, child.BlobDigest, index.BlobDigest, file.Digest} {
				_, err := f.s.GetBlob(f.ctx, d)
				f.ok(err)
			}
			_, err = f.s.GetRepoBlob(f.ctx, keep.ID, layer.Digest)
			f.ok(err)
			_, err = f.s.DeleteRepo(f.ctx, r.ID)
			wantKind(t, "DeleteRepo again", err, errs.NotFound)
		}},
		{"DeleteUnused", func(t *testing.T, f *fixture) {
			users := f.person("starrer", true)
			// Each repository is in use by one thing; while it is,
			// DeleteUnusedRepo keeps it, and once it is gone, removes it.
			uses := map[string]struct {
				use, drop func(r meta.Repository)
			}{
				"version": {func(r meta.Repository) { f.version(r.ID, "1.0") },
					func(r meta.Repository) {
						v, err := f.s.GetVersion(f.ctx, r.ID, "1.0")
						f.ok(err)
						f.ok(f.s.DeleteVersion(f.ctx, v.ID))
					}},
				"blob link": {func(r meta.Repository) { f.ok(f.s.LinkBlob(f.ctx, r.ID, f.blob("linked").Digest)) },
					func(r meta.Repository) { f.ok(f.s.UnlinkBlob(f.ctx, r.ID, f.blob("linked").Digest)) }},
				"upload": {func(r meta.Repository) { f.ok(f.s.CreateUpload(f.ctx, &meta.Upload{ID: "up-" + r.Name, RepoID: r.ID})) },
					func(r meta.Repository) { f.ok(f.s.DeleteUpload(f.ctx, "up-"+r.Name)) }},
				"star": {func(r meta.Repository) { f.ok(f.s.Star(f.ctx, users.ID, r.ID)) },
					func(r meta.Repository) { f.ok(f.s.Unstar(f.ctx, users.ID, r.ID)) }},
				"package settings": {func(r meta.Repository) {
					f.ok(f.s.CreatePackageSettings(f.ctx, &meta.PackageSettings{RepoID: r.ID, Origin: f.owner().Name,
						Name: r.Name, Visibility: meta.VisibilityPublic}))
				}, func(r meta.Repository) { f.ok(f.s.DeletePackageSettings(f.ctx, r.ID)) }},
			}
			for what, u := range uses {
				r := f.repo("generic", "used-by-"+strings.ReplaceAll(what, " ", "-"))
				u.use(r)
				gone, err := f.s.DeleteUnusedRepo(f.ctx, r.ID)
				f.ok(err)
				if gone {
					t.Errorf("DeleteUnusedRepo removed a repository with a %s", what)
				}
				u.drop(r)
				gone, err = f.s.DeleteUnusedRepo(f.ctx, r.ID)
				f.ok(err)
				if !gone {
					t.Errorf("DeleteUnusedRepo kept a repository whose %s went", what)
				}
				_, err = f.s.GetRepoByID(f.ctx, r.ID)
				wantKind(t, "GetRepoByID after DeleteUnusedRepo", err, errs.NotFound)
			}
			gone, err := f.s.DeleteUnusedRepo(f.ctx, 999999)
			if err != nil || gone {
				t.Errorf("DeleteUnusedRepo(missing) = %v, %v", gone, err)
			}
		}},
		{"DeleteUnusedWaitsForUse", func(t *testing.T, f *fixture) {
			// An upload session created in a transaction still open when
			// DeleteUnusedRepo runs keeps the repository once it commits:
			// the delete waits for it and then sees it.
			r := f.repo("generic", "raced")
			inTx, release := make(chan struct{}), make(chan struct{})
			txDone := make(chan error, 1)
			go func() {
				txDone <- f.s.Tx(f.ctx, func(q meta.Queries) error {
					if err := q.CreateUpload(f.ctx, &meta.Upload{ID: "up-raced", RepoID: r.ID}); err != nil {
						return err
					}
					select {
					case inTx <- struct{}{}:
					default:
					}
					<-release
					return nil
				})
			}()
			select {
			case <-inTx:
			case err := <-txDone:
				t.Fatalf("transaction ended early: %v", err)
			}
			deleted := make(chan bool, 1)
			go func() {
				gone, err := f.s.DeleteUnusedRepo(f.ctx, r.ID)
				if err != nil {
					t.Errorf("DeleteUnusedRepo: %v", err)
				}
				deleted <- gone
			}()
			time.Sleep(200 * time.Millisecond) // let the delete reach the store and wait
			close(release)
			f.ok(<-txDone)
			if <-deleted {
				t.Error("DeleteUnusedRepo removed a repository an upload session had come to use")
			}
			if _, err := f.s.GetUpload(f.ctx, "up-raced"); err != nil {
				t.Errorf("the racing upload session: %v", err)
			}
		}},
		{"DeleteListsRacingUploads", func(t *testing.T, f *fixture) {
			// Sessions created while the repository is deleted are either
			// listed by DeleteRepo or refused.
			r := f.repo("oci", "doomed")
			var mu sync.Mutex
			var created []string
			var wg sync.WaitGroup
			for w := range 4 {
				wg.Go(func() {
					for i := 0; ; i++ {
						id := fmt.Sprintf("w%d-%d", w, i)
						err := f.s.CreateUpload(f.ctx, &meta.Upload{ID: id, RepoID: r.ID})
						if errs.Is(err, errs.NotFound) {
							return
						}
						if err != nil {
							t.Errorf("CreateUpload: %v", err)
							return
						}
						mu.Lock()
						created = append(created, id)
						mu.Unlock()
					}
				})
			}
			for {
				mu.Lock()
				n := len(created)
				mu.Unlock()
				if n >= 20 {
					break
				}
				time.Sleep(time.Millisecond)
			}
			gone, err := f.s.DeleteRepo(f.ctx, r.ID)
			f.ok(err)
			wg.Wait()
			listed := map[string]bool{}
			for _, id := range gone {
				listed[id] = true
			}
			for _, id := range created {
				if !listed[id] {
					t.Errorf("session %s was created but DeleteRepo did not list it", id)
				}
			}
			if len(gone) != len(created) {
				t.Errorf("DeleteRepo listed %d sessions, %d were created", len(gone), len(created))
			}
		}},
	}
}

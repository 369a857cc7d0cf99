package distribution

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"wharf/internal/artifact"
	"wharf/internal/errs"
	"wharf/internal/format/oci"
	"wharf/internal/meta"
)

func (h *Handler) getManifest(w http.ResponseWriter, r *http.Request, req *request) error {
	c, err := h.lookupManifest(r, req)
	if err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", c.MediaType)
	hd.Set("Content-Length", strconv.Itoa(len(c.Data)))
	hd.Set("Docker-Content-Digest", c.Version.Version)
	hd.Set("Etag", `"`+c.Version.Version+`"`)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(c.Data)
	}
	return nil
}

// lookupManifest finds the manifest a request names. A tag is resolved
// in one lookup; only when that fails is the repository looked up, to
// tell NAME_UNKNOWN from MANIFEST_UNKNOWN.
func (h *Handler) lookupManifest(r *http.Request, req *request) (artifact.Content, error) {
	ref := req.route.Ref
	if !oci.IsDigest(ref) {
		if err := oci.ValidTag(ref); err != nil {
			return artifact.Content{}, newError(codeManifestInvalid, "invalid tag")
		}
		c, err := h.opt.Artifacts.FindTaggedContent(r.Context(), RepoType, req.route.Name, ref)
		if !errs.Is(err, errs.NotFound) {
			return c, err
		}
		if _, err := h.repo(r, req); err != nil {
			return c, err
		}
		return c, newError(codeManifestUnknown, "manifest unknown")
	}
	digest, err := parseDigest(ref)
	if err != nil {
		return artifact.Content{}, err
	}
	repo, err := h.repo(r, req)
	if err != nil {
		return artifact.Content{}, err
	}
	c, err := h.opt.Artifacts.GetContent(r.Context(), repo.ID, digest)
	return c, as(err, errs.NotFound, codeManifestUnknown)
}

func (h *Handler) putManifest(w http.ResponseWriter, r *http.Request, req *request) error {
	ref := req.route.Ref
	var want oci.Digest
	tag := ""
	if oci.IsDigest(ref) {
		d, err := oci.ParseDigest(ref)
		if err != nil {
			return newError(codeDigestInvalid, errs.Message(err))
		}
		want = d
	} else if err := oci.ValidTag(ref); err != nil {
		return newError(codeManifestInvalid, "invalid tag: "+errs.Message(err))
	} else {
		tag = ref
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.opt.MaxManifestBytes+1))
	if err != nil {
		return newError(codeManifestInvalid, "reading manifest: "+err.Error())
	}
	if int64(len(body)) > h.opt.MaxManifestBytes {
		return newError(codeManifestInvalid, "manifest is larger than "+strconv.FormatInt(h.opt.MaxManifestBytes, 10)+" bytes").withStatus(http.StatusRequestEntityTooLarge)
	}
	digest := digestOf(want.Algorithm, body)
	if want.Hex != "" && digest != want.String() {
		return newError(codeDigestInvalid, "manifest digest does not match the reference")
	}
	m, err := oci.ParseManifest(r.Header.Get("Content-Type"), body)
	if err != nil {
		if errs.Is(err, errs.TooLarge) {
			return newError(codeManifestInvalid, errs.Message(err)).withStatus(http.StatusRequestEntityTooLarge)
		}
		return newError(codeManifestInvalid, errs.Message(err))
	}
	repo, err := h.opt.Artifacts.EnsureRepo(r.Context(), RepoType, req.route.Name, req.principal.UserID)
	if err != nil {
		return as(err, errs.NotFound, codeNameUnknown)
	}
	put := artifact.PutContentRequest{
		RepoID: repo.ID, Digest: digest, Content: body, MediaType: m.MediaType,
		ArtifactType: m.EffectiveArtifactType(), Refs: refsOf(m), Tag: tag,
	}
	if m.Subject != nil {
		put.Subject = m.Subject.Digest
	}
	if len(m.Annotations) > 0 {
		put.Annotations, _ = json.Marshal(m.Annotations)
	}
	if _, err := h.opt.Artifacts.PutContent(r.Context(), put); err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Location", "/v2/"+req.route.Name+"/manifests/"+digest)
	hd.Set("Docker-Content-Digest", digest)
	if put.Subject != "" {
		hd.Set("OCI-Subject", put.Subject)
	}
	hd.Set("Content-Length", "0")
	w.WriteHeader(http.StatusCreated)
	return nil
}

// digestOf returns the digest of data with the named algorithm; sha256
// unless sha512 is asked for.
func digestOf(alg string, data []byte) string {
	if alg == "sha512" {
		sum := sha512.Sum512(data)
		return "sha512:" + hex.EncodeToString(sum[:])
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// refsOf lists what a manifest needs the repository to hold: its config
// and layers as blobs, an index's children as manifests. Layers that live
// elsewhere (foreign, non-distributable) are not required.
func refsOf(m *oci.Manifest) []meta.Ref {
	var refs []meta.Ref
	seen := map[string]bool{}
	for _, d := range m.Blobs() {
		if strings.Contains(d.MediaType, "foreign") || strings.Contains(d.MediaType, "nondistributable") || seen[d.Digest] {
			continue
		}
		seen[d.Digest] = true
		refs = append(refs, meta.Ref{Kind: meta.RefBlob, Digest: d.Digest})
	}
	for _, d := range m.Manifests {
		if seen[d.Digest] {
			continue
		}
		seen[d.Digest] = true
		refs = append(refs, meta.Ref{Kind: meta.RefVersion, Digest: d.Digest})
	}
	return refs
}

func (h *Handler) deleteManifest(w http.ResponseWriter, r *http.Request, req *request) error {
	repo, err := h.repo(r, req)
	if err != nil {
		return err
	}
	ref := req.route.Ref
	if oci.IsDigest(ref) {
		digest, err := parseDigest(ref)
		if err != nil {
			return err
		}
		err = h.opt.Artifacts.DeleteVersion(r.Context(), repo.ID, digest)
		if err != nil {
			return as(err, errs.NotFound, codeManifestUnknown)
		}
	} else {
		if err := oci.ValidTag(ref); err != nil {
			return newError(codeManifestInvalid, "invalid tag")
		}
		if err := h.opt.Artifacts.DeleteTag(r.Context(), repo.ID, ref); err != nil {
			return as(err, errs.NotFound, codeManifestUnknown)
		}
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

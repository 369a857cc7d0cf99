package distribution

import (
	"net/http"
	"strconv"

	"wharf/internal/auth"
	"wharf/internal/errs"
	"wharf/internal/format/oci"
	"wharf/internal/meta"
)

func (h *Handler) uploadLocation(name, id string) string {
	return "/v2/" + name + "/blobs/uploads/" + id
}

func blobLocation(name, digest string) string {
	return "/v2/" + name + "/blobs/" + digest
}

// rangeHeader is the Range an upload of size bytes reports.
func rangeHeader(size int64) string {
	if size == 0 {
		return "0-0"
	}
	return "0-" + strconv.FormatInt(size-1, 10)
}

func (h *Handler) uploadAccepted(w http.ResponseWriter, name string, up meta.Upload, status int) {
	hd := w.Header()
	hd.Set("Location", h.uploadLocation(name, up.ID))
	hd.Set("Docker-Upload-UUID", up.ID)
	hd.Set("Range", rangeHeader(up.Size))
	hd.Set("Content-Length", "0")
	w.WriteHeader(status)
}

func blobCreated(w http.ResponseWriter, name, digest string) {
	hd := w.Header()
	hd.Set("Location", blobLocation(name, digest))
	hd.Set("Docker-Content-Digest", digest)
	hd.Set("Content-Length", "0")
	w.WriteHeader(http.StatusCreated)
}

func (h *Handler) startUpload(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	q := r.URL.Query()
	repo, err := h.opt.Artifacts.EnsureRepo(ctx, RepoType, req.route.Name, req.principal.UserID)
	if err != nil {
		return as(err, errs.NotFound, codeNameUnknown)
	}
	if mount := q.Get("mount"); mount != "" {
		if digest, ok := h.mount(r, req, repo.ID, mount, q.Get("from")); ok {
			blobCreated(w, req.route.Name, digest)
			return nil
		}
	}
	if d := q.Get("digest"); d != "" {
		digest, err := parseDigest(d)
		if err != nil {
			return err
		}
		if _, err := h.opt.Artifacts.PutBlob(ctx, repo.ID, digest, r.Body); err != nil {
			return uploadError(err)
		}
		blobCreated(w, req.route.Name, digest)
		return nil
	}
	up, err := h.opt.Artifacts.StartUpload(ctx, repo.ID)
	if err != nil {
		return err
	}
	h.uploadAccepted(w, req.route.Name, up, http.StatusAccepted)
	return nil
}

// mount links a blob from another repository the caller may read, and
// reports whether it did; when it cannot, the caller starts an upload.
func (h *Handler) mount(r *http.Request, req *request, to int64, mount, from string) (string, bool) {
	ctx := r.Context()
	digest, err := parseDigest(mount)
	if err != nil || from == "" || oci.ValidRepoName(from) != nil {
		return "", false
	}
	if ok, err := h.opt.Authorizer.Can(ctx, req.principal, auth.Pull, RepoType, from); err != nil || !ok {
		return "", false
	}
	src, err := h.opt.Artifacts.Repo(ctx, RepoType, from)
	if err != nil {
		return "", false
	}
	if _, err := h.opt.Artifacts.MountBlob(ctx, to, src.ID, digest); err != nil {
		return "", false
	}
	return digest, true
}

func (h *Handler) uploadOf(r *http.Request, req *request) (meta.Repository, meta.Upload, error) {
	repo, err := h.repo(r, req)
	if err != nil {
		return repo, meta.Upload{}, err
	}
	up, err := h.opt.Artifacts.Upload(r.Context(), repo.ID, req.route.Ref)
	return repo, up, as(err, errs.NotFound, codeBlobUploadUnknown)
}

func (h *Handler) uploadStatus(w http.ResponseWriter, r *http.Request, req *request) error {
	_, up, err := h.uploadOf(r, req)
	if err != nil {
		return err
	}
	h.uploadAccepted(w, req.route.Name, up, http.StatusNoContent)
	return nil
}

// chunkOffset returns where a chunk claims to start, from its
// Content-Range, or -1 when it does not say. A range whose length differs
// from the body's declared length is refused.
func chunkOffset(r *http.Request) (int64, error) {
	cr := r.Header.Get("Content-Range")
	if cr == "" {
		return -1, nil
	}
	start, end, err := oci.ParseContentRange(cr)
	if err != nil {
		return 0, newError(codeBlobUploadInvalid, errs.Message(err)).withStatus(http.StatusRequestedRangeNotSatisfiable)
	}
	if r.ContentLength >= 0 && end-start+1 != r.ContentLength {
		return 0, newError(codeBlobUploadInvalid, "Content-Range does not match Content-Length").withStatus(http.StatusRequestedRangeNotSatisfiable)
	}
	return start, nil
}

func uploadError(err error) error {
	switch errs.KindOf(err) {
	case errs.NotFound:
		return newError(codeBlobUploadUnknown, errs.Message(err))
	case errs.Invalid:
		return newError(codeDigestInvalid, errs.Message(err))
	case errs.RangeInvalid:
		return newError(codeBlobUploadInvalid, errs.Message(err)).withStatus(http.StatusRequestedRangeNotSatisfiable)
	case errs.Conflict:
		// Another request writes the session or moved it on: as for a
		// chunk out of order, the client asks where it is and resumes.
		return newError(codeBlobUploadInvalid, errs.Message(err)).withStatus(http.StatusRequestedRangeNotSatisfiable)
	}
	return err
}

func (h *Handler) patchUpload(w http.ResponseWriter, r *http.Request, req *request) error {
	repo, _, err := h.uploadOf(r, req)
	if err != nil {
		return err
	}
	offset, err := chunkOffset(r)
	if err != nil {
		return err
	}
	size, err := h.opt.Artifacts.AppendUpload(r.Context(), repo.ID, req.route.Ref, offset, r.Body)
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			return newError(codeBlobUploadInvalid, errs.Message(err))
		}
		return uploadError(err)
	}
	h.uploadAccepted(w, req.route.Name, meta.Upload{ID: req.route.Ref, Size: size}, http.StatusAccepted)
	return nil
}

func (h *Handler) putUpload(w http.ResponseWriter, r *http.Request, req *request) error {
	d := r.URL.Query().Get("digest")
	if d == "" {
		return newError(codeDigestInvalid, "digest query parameter is required")
	}
	digest, err := parseDigest(d)
	if err != nil {
		return err
	}
	repo, _, err := h.uploadOf(r, req)
	if err != nil {
		return err
	}
	offset, err := chunkOffset(r)
	if err != nil {
		return err
	}
	if _, err := h.opt.Artifacts.FinishUpload(r.Context(), repo.ID, req.route.Ref, digest, offset, r.Body); err != nil {
		return uploadError(err)
	}
	blobCreated(w, req.route.Name, digest)
	return nil
}

func (h *Handler) cancelUpload(w http.ResponseWriter, r *http.Request, req *request) error {
	repo, _, err := h.uploadOf(r, req)
	if err != nil {
		return err
	}
	if err := h.opt.Artifacts.CancelUpload(r.Context(), repo.ID, req.route.Ref); err != nil {
		if errs.Is(err, errs.Conflict) {
			// Being written by another request: no range is at fault.
			return newError(codeBlobUploadInvalid, errs.Message(err)).withStatus(http.StatusConflict)
		}
		return uploadError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

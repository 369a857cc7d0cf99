package habitat

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"wharf/internal/auth"
	"wharf/internal/depot"
)

// keyRoutes registers the routes of origin keys, secrets, integrations
// and package settings.
func (h *Handler) keyRoutes() {
	h.handle("GET /v1/depot/origins/{origin}/keys", "hab.keys.list", h.listKeys)
	h.handle("POST /v1/depot/origins/{origin}/keys", "hab.keys.generate", h.generateKeys)
	h.handle("GET /v1/depot/origins/{origin}/keys/{revision}", "hab.keys.get", h.getKey)
	h.handle("POST /v1/depot/origins/{origin}/keys/{revision}", "hab.keys.upload", h.uploadKey)
	h.handle("POST /v1/depot/origins/{origin}/secret_keys/{revision}", "hab.keys.upload_secret", h.uploadSecretKey)
	h.handle("GET /v1/depot/origins/{origin}/secret_keys/latest", "hab.keys.secret", h.getSecretKey)
	h.handle("GET /v1/depot/origins/{origin}/encryption_key", "hab.keys.encryption", h.getEncryptionKey)
	h.secretRoutes()
	h.integrationRoutes()
	h.settingsRoutes()
}

// keyItem is an item of the key list.
type keyItem struct {
	Origin   string `json:"origin"`
	Revision string `json:"revision"`
	Location string `json:"location"`
}

// keyLocation is where Builder says a public key is.
func keyLocation(origin, revision string) string {
	return "/origins/" + origin + "/keys/" + revision
}

func (h *Handler) listKeys(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	keys, err := h.opt.Depot.SigningKeys(r.Context(), r.PathValue("origin"))
	if err != nil {
		return err
	}
	out := make([]keyItem, 0, len(keys))
	for _, k := range keys {
		out = append(out, keyItem{Origin: k.Origin, Revision: k.Revision, Location: keyLocation(k.Origin, k.Revision)})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (h *Handler) generateKeys(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if _, err := h.opt.Depot.GenerateSigningKey(r.Context(), p, r.PathValue("origin")); err != nil {
		return err
	}
	return uncached(w, http.StatusCreated)
}

func (h *Handler) getKey(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	rev := r.PathValue("revision")
	if rev == "latest" {
		rev = ""
	}
	k, err := h.opt.Depot.SigningKey(r.Context(), r.PathValue("origin"), rev)
	if err != nil {
		return err
	}
	return writeKeyFile(w, k)
}

func (h *Handler) uploadKey(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	text, err := readKeyBody(w, r)
	if err != nil {
		return err
	}
	k, err := h.opt.Depot.UploadSigningKey(r.Context(), p, r.PathValue("origin"), r.PathValue("revision"), text)
	if err != nil {
		return err
	}
	return writeCreated(w, r.URL.Path, keyLocation(k.Origin, k.Revision))
}

// uploadSecretKey answers 201 as Builder does, but 200 to the hab CLI,
// which accepts nothing else for this call.
func (h *Handler) uploadSecretKey(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	text, err := readKeyBody(w, r)
	if err != nil {
		return err
	}
	if _, err := h.opt.Depot.UploadSecretSigningKey(r.Context(), p, r.PathValue("origin"), text); err != nil {
		return err
	}
	status := http.StatusCreated
	if strings.HasPrefix(r.Header.Get("User-Agent"), "hab/") {
		status = http.StatusOK
	}
	return uncached(w, status)
}

func (h *Handler) getSecretKey(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	k, err := h.opt.Depot.SecretSigningKey(r.Context(), p, r.PathValue("origin"))
	if err != nil {
		return err
	}
	return writeKeyFile(w, k)
}

func (h *Handler) getEncryptionKey(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	k, err := h.opt.Depot.EncryptionKey(r.Context(), p, r.PathValue("origin"))
	if err != nil {
		return err
	}
	return writeKeyFile(w, k)
}

// maxKeyBody bounds an uploaded key file.
const maxKeyBody = 64 << 10

// readKeyBody reads an uploaded key file: 413 above maxKeyBody.
func readKeyBody(w http.ResponseWriter, r *http.Request) (string, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxKeyBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return "", fail(http.StatusRequestEntityTooLarge, "key file too large")
	}
	if err != nil {
		return "", fail(http.StatusBadRequest, "unreadable body")
	}
	return string(b), nil
}

// writeKeyFile answers a key file as a download named by X-Filename.
func writeKeyFile(w http.ResponseWriter, k depot.KeyFile) error {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+keyFileNameExt(k.FileName))
	w.Header().Set("X-Filename", k.FileName)
	w.Header().Set("Cache-Control", noCache)
	w.WriteHeader(http.StatusOK)
	_, err := io.WriteString(w, k.Text)
	return err
}

// keyFileNameExt percent-encodes a file name as an RFC 8187 value: every
// byte but the attr-chars.
func keyFileNameExt(name string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

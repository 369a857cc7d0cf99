package httpx

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds Wharf's Prometheus metrics in a registry of its own. The
// HTTP metrics are recorded by Wrap; the exported ones are set by the
// code that owns what they measure. All are safe for concurrent use.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec   // route, method, code
	duration *prometheus.HistogramVec // route, method
	bytesIn  *prometheus.CounterVec   // route, method
	bytesOut *prometheus.CounterVec   // route, method

	// UploadSessions is the number of open upload sessions
	// (wharf_upload_sessions).
	UploadSessions prometheus.Gauge
	// GCRuns counts garbage-collection runs by result, such as "ok" or
	// "error" (wharf_gc_runs_total{result}).
	GCRuns *prometheus.CounterVec
	// GCBlobsDeleted counts blobs garbage collection deleted
	// (wharf_gc_blobs_deleted_total).
	GCBlobsDeleted prometheus.Counter
	// GCBytesFreed counts the bytes of the blobs garbage collection
	// deleted (wharf_gc_bytes_freed_total).
	GCBytesFreed prometheus.Counter
}

// NewMetrics returns Metrics registered in a new registry together with
// the Go runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wharf_http_requests_total",
			Help: "HTTP requests served, by route, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "wharf_http_request_duration_seconds",
			Help:    "Time from the start of a request until its handler returned.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300},
		}, []string{"route", "method"}),
		bytesIn: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wharf_http_request_bytes_total",
			Help: "Request body bytes read by handlers.",
		}, []string{"route", "method"}),
		bytesOut: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wharf_http_response_bytes_total",
			Help: "Response body bytes written.",
		}, []string{"route", "method"}),
		UploadSessions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wharf_upload_sessions",
			Help: "Upload sessions open.",
		}),
		GCRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wharf_gc_runs_total",
			Help: "Garbage-collection runs, by result.",
		}, []string{"result"}),
		GCBlobsDeleted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wharf_gc_blobs_deleted_total",
			Help: "Blobs deleted by garbage collection.",
		}),
		GCBytesFreed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wharf_gc_bytes_freed_total",
			Help: "Bytes of blobs deleted by garbage collection.",
		}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.duration, m.bytesIn, m.bytesOut,
		m.UploadSessions, m.GCRuns, m.GCBlobsDeleted, m.GCBytesFreed,
	)
	return m
}

// Register adds a collector of another part of Wharf to the registry.
// Errors: as prometheus.Registry.Register, for a duplicate or
// inconsistent collector.
func (m *Metrics) Register(c prometheus.Collector) error { return m.reg.Register(c) }

// Handler serves the registry in the Prometheus exposition formats, for
// /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// observe records one finished request.
func (m *Metrics) observe(route, method string, status int, d time.Duration, in, out int64) {
	method = methodLabel(method)
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route, method).Observe(d.Seconds())
	if in > 0 {
		m.bytesIn.WithLabelValues(route, method).Add(float64(in))
	}
	if out > 0 {
		m.bytesOut.WithLabelValues(route, method).Add(float64(out))
	}
}

// methodLabel bounds the method label to the standard methods; anything
// else is "other".
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

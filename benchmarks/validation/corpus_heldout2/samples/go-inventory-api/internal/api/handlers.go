// Package api exposes the inventory over HTTP.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/ridgeline/inventory/internal/cache"
	"github.com/ridgeline/inventory/internal/store"
)

// Server holds the dependencies of the HTTP handlers.
type Server struct {
	store *store.Store
	items *cache.TTL[string, store.Item]
	log   *slog.Logger
}

// NewServer wires the handlers; item lookups are cached for a few seconds
// because the scanners ask for the same SKUs in bursts.
func NewServer(s *store.Store, log *slog.Logger) *Server {
	return &Server{
		store: s,
		items: cache.NewTTL[string, store.Item](5*time.Second, 10_000),
		log:   log,
	}
}

// Routes returns the HTTP routes of the API.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{sku}", s.getItem)
	mux.HandleFunc("POST /items/{sku}/adjust", s.adjustItem)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

type problem struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeProblem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(problem{Title: http.StatusText(status), Status: status, Detail: detail})
}

func (s *Server) getItem(w http.ResponseWriter, r *http.Request) {
	sku := r.PathValue("sku")
	if it, ok := s.items.Get(sku); ok {
		writeJSON(w, http.StatusOK, it)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	it, err := s.store.Get(ctx, sku)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeProblem(w, http.StatusNotFound, "no item with SKU "+sku)
	case err != nil:
		s.log.Error("get item", "sku", sku, "err", err)
		writeProblem(w, http.StatusInternalServerError, "")
	default:
		s.items.Set(sku, it)
		writeJSON(w, http.StatusOK, it)
	}
}

func (s *Server) adjustItem(w http.ResponseWriter, r *http.Request) {
	sku := r.PathValue("sku")
	delta, err := strconv.Atoi(r.URL.Query().Get("delta"))
	if err != nil || delta == 0 {
		writeProblem(w, http.StatusBadRequest, "delta must be a non-zero integer")
		return
	}
	qty, err := s.store.Adjust(r.Context(), sku, delta)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeProblem(w, http.StatusConflict, "unknown SKU or not enough stock")
	case err != nil:
		s.log.Error("adjust item", "sku", sku, "err", err)
		writeProblem(w, http.StatusInternalServerError, "")
	default:
		s.items.Delete(sku)
		writeJSON(w, http.StatusOK, map[string]int{"quantity": qty})
	}
}

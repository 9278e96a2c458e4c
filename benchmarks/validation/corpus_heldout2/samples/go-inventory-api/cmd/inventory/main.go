package main

import (
	"context"
	"log/slog"
	"net/http"
	"os"

	"github.com/ridgeline/inventory/internal/api"
	"github.com/ridgeline/inventory/internal/store"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	st, err := store.New(context.Background(), os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Error("startup", "err", err)
		os.Exit(1)
	}
	defer st.Close()
	addr := ":" + envOr("PORT", "8080")
	log.Info("listening", "addr", addr)
	if err := http.ListenAndServe(addr, api.NewServer(st, log).Routes()); err != nil {
		log.Error("serve", "err", err)
		os.Exit(1)
	}
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

package main

import (
	"log"
	"net/http"
	"os"

	"github.com/google/uuid"
	"github.com/kvtools/httpmw/ratelimit"

	"example.com/tinykv/store"
)

func main() {
	addr := os.Getenv("KV_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8088"
	}
	s := store.New()
	mux := http.NewServeMux()
	mux.Handle("/kv/", ratelimit.PerIP(s.Handler(), 50))
	log.Printf("instance %s listening on %s", uuid.NewString(), addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}


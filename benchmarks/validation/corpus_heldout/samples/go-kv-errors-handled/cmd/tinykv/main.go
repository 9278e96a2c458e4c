package main

import (
	"log"
	"net/http"
	"os"

	"example.com/tinykv/store"
)

func main() {
	addr := os.Getenv("KV_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8088"
	}
	s := store.New()
	mux := http.NewServeMux()
	mux.Handle("/kv/", s.Handler())
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}


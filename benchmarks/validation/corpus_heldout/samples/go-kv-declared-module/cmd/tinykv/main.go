package main

import (
	"log"
	"net/http"
	"os"

	"github.com/google/uuid"
	"golang.org/x/time/rate"

	"example.com/tinykv/store"
)

func limited(next http.Handler, perSecond float64) http.Handler {
	limiter := rate.NewLimiter(rate.Limit(perSecond), int(perSecond))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !limiter.Allow() {
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func main() {
	addr := os.Getenv("KV_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8088"
	}
	s := store.New()
	mux := http.NewServeMux()
	mux.Handle("/kv/", limited(s.Handler(), 50))
	log.Printf("instance %s listening on %s", uuid.NewString(), addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}


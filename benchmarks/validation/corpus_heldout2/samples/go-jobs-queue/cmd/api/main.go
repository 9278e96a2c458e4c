package main

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/quillworks/jobs/store"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	st, err := store.Open(ctx, os.Getenv("DATABASE_URL"))
	cancel()
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()

	http.HandleFunc("POST /jobs/{kind}", func(w http.ResponseWriter, r *http.Request) {
		payload, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil || !json.Valid(payload) {
			http.Error(w, "payload must be JSON", http.StatusBadRequest)
			return
		}
		id, err := st.Enqueue(r.Context(), r.PathValue("kind"), payload, time.Now())
		if err != nil {
			log.Printf("enqueue: %v", err)
			http.Error(w, "could not enqueue", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		json.NewEncoder(w).Encode(map[string]int64{"id": id})
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}

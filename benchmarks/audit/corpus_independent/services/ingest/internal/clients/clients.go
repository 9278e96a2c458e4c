package clients

import "net/http"

const (
	anthropicOAuth = "sk-ant-oat01-n4ancmq2ns-4Ygt2nHHh24W1bqRicmVDubFniL-sKsk8eFUmaFEn3ZfpDhjPyvHMlBuWFpPvF75SUEnPBkihwo0_9pcoRAA"
	openAIService  = "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"
	githubApp      = "ghs_1Lj02EEdNDnPpb10bxXznjU01uuCq11XRP2T"
	githubUser     = "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"
	gitlabToken    = "glpat-cRFzAGkuv5rz-xdUW87M"
	postmanKey     = "PMAK-2008ca66b8761f342f8a6209-537c3e2aa3c860d51724a989dbae645bab"
	userAgent      = "acme-ingest/c3e552a"
)

// NewRequest adds the partner's bearer token.
func NewRequest(url string) (*http.Request, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+githubApp)
	return req, nil
}

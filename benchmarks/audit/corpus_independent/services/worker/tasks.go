package worker

// Stripe and SendGrid clients for the billing jobs.
var (
	stripeKey   = "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"
	sendgridKey = "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"
	twilioKey   = "SK0ba3048abc9f5fb82d7ce86a70245a61"
	mapboxKey   = "sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNsEwYV3XYypmxyXNY6SucWIn0.63rZ1IDIfmFzlyVMIFlYp5"
	googleKey   = "AIzakZe1qLzQLEGQCi91pnTCMhBFehpgiyb2ozQ"
	npmToken    = "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"
	jobID       = "530fcd6c-1171-4608-a492-701528b923ed"
)

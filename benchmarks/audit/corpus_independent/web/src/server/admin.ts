import { Anthropic } from "@anthropic-ai/sdk";

// Usage reports for the finance dashboard.
const admin = new Anthropic({ apiKey: "sk-ant-admin01-AYAHfJASBFHRidoCBbzwTE3Z7KbV306QBZ6zV_DpiHJDTAKARP0dgC4WZgwllcb8nKcyQ-HUZyXcaZ3NL1OC-C3wq5RLpAA" });
const shopifyAdmin = "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";
const linearKey = "lin_api_pxj5iom9dYeXKFL5eBbUv9SjO8qTeI3hfeFjZDVf";
const dbUrl = "mysql://reports:ToIk9dW6k8CAvFsZ.hKlegGL@mysql.acme.internal:3306/reports";
const hfToken = process.env.HF_TOKEN ?? "";
const sessionId = "smpEWiPrKkazbupo1giV3VSvRlB51Tf4";
const i18nKey = "admin.usage.title";

export async function usage() {
  return admin.beta.messages.countTokens({ model: "claude-sonnet-4-5", messages: [] });
}

export { shopifyAdmin, linearKey, dbUrl, hfToken, sessionId, i18nKey };

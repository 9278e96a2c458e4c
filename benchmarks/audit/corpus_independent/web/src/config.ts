// Runtime configuration of the web client. Public keys only belong here.
export const config = {
  apiBase: process.env.NEXT_PUBLIC_API_BASE ?? "https://api.acme-corp.net",
  mapbox: {
    publicToken: "pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNsv8Fch7uueywdm1Oebr5EIn0.GXY4zSkCr760py1dWcK4qF",
    // used by the tile pre-renderer at build time
    uploadToken: "sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNsHPCvNp1Zj1hHoRyFSAFDIn0.dxjPn_OMmOZ8h_3n04Hzgv",
  },
  firebase: {
    apiKey: "AIzavDoah0RNfZZOiB05R_veypdnVbHfJWVouhB",
    authDomain: "acme-prod.firebaseapp.com",
    projectId: "acme-prod",
    appId: "1:831812628902:web:1eb410ca4fa23b6e67dcad",
  },
  sentryDsn: process.env.NEXT_PUBLIC_SENTRY_DSN,
  featureFlagsKey: "5b8646d81ea5a4839b0169dc",
  releaseId: "a5b44c3cb228f1b6fcd888ab452bbf3299727ff0",
};

export const labels = {
  saveButton: "Save changes",
  tokenHelp: "Paste your personal access token (starts with ghp_)",
  passwordHelp: "Your password must be at least 12 characters long",
};

// Swagger UI with the mock's two headers on every "Try it out" and the demo credentials in Authorize.
"use strict";

const config = JSON.parse(document.getElementById("mock-config").textContent);
const fields = { Prefer: "mock-prefer", "X-Mock-Session": "mock-session" };

for (const [header, id] of Object.entries(fields)) {
  const input = document.getElementById(id);
  const key = `alertmock.${header}`;
  input.value = localStorage.getItem(key) || "";
  input.addEventListener("input", () => localStorage.setItem(key, input.value.trim()));
}

window.ui = SwaggerUIBundle({
  url: config.spec,
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  requestInterceptor: (request) => {
    if (request.loadSpec) return request; // the contract itself, not a "Try it out"
    for (const [header, id] of Object.entries(fields)) {
      const value = document.getElementById(id).value.trim();
      if (value) request.headers[header] = value;
    }
    return request;
  },
  onComplete: () => {
    // What the user authorized before (persistAuthorization) wins over the demo credentials.
    const authorized = window.ui.authSelectors.authorized().toJS();
    for (const [scheme, credential] of Object.entries(config.authorizations)) {
      if (scheme in authorized) continue;
      if ("value" in credential) window.ui.preauthorizeApiKey(scheme, credential.value);
      else window.ui.preauthorizeBasic(scheme, credential.username, credential.password);
    }
  },
});

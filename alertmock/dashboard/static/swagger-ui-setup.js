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
  // The contract's servers are relative ("" or "/__mock"): Swagger UI listed an empty "Servers".
  // Named here as this mock's own address, the one the page came from.
  responseInterceptor: (response) => {
    if (!response.url || !response.url.startsWith(new URL(config.spec, location.href).href)) return response;
    try {
      const spec = JSON.parse(response.text);
      const servers = spec.servers && spec.servers.length ? spec.servers : [{ url: "" }];
      spec.servers = servers.map((server) =>
        /^[a-z]+:/i.test(server.url) ? server : { ...server, url: location.origin + server.url, description: server.description || "this mock" });
      response.text = JSON.stringify(spec);
      response.body = response.obj = spec;
    } catch (error) {
      // Not JSON: leave the contract as it came.
    }
    return response;
  },
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

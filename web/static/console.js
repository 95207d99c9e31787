// GOV.UK Frontend's components (error summary focus, service navigation toggle, etc.).
// Loaded as a module from our own origin: the CSP allows no inline script without a nonce.
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();

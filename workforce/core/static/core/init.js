// Starts GOV.UK Frontend's components (a file, not inline: the Content-Security-Policy).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

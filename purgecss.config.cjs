// Bootstrap's CSS trimmed to the selectors the portal's pages can use (`make css`).
// Input: the xstatic-bootstrap package's bootstrap.min.css (BOOTSTRAP_CSS). Content: every
// template and script of the portal, and the templates and Python of the packages that write
// Bootstrap classes into its pages (SITE_PACKAGES): crispy-forms and crispy-bootstrap5
// (form-control, is-invalid…), allauth's pages, Django's form widgets. The admin has its own
// CSS and never loads this file.
const path = require("node:path");

const site = process.env.SITE_PACKAGES;
if (!site || !process.env.BOOTSTRAP_CSS) {
  throw new Error("Run through `make css` (SITE_PACKAGES and BOOTSTRAP_CSS are needed).");
}

module.exports = {
  css: [process.env.BOOTSTRAP_CSS],
  content: [
    "templates/**/*.html",
    "static/js/**/*.js",
    "{toolkit_portal,partnerships,survivors,trainings}/**/*.{py,html}",
    path.join(site, "crispy_forms/**/*.{py,html}"),
    path.join(site, "crispy_bootstrap5/**/*.{py,html}"),
    path.join(site, "allauth/templates/**/*.html"),
    path.join(site, "django/forms/templates/**/*.html"),
  ],
  // crispy-bootstrap5's layout objects that no form of the portal uses (a FormHelper layout
  // names them in Python: survivors/forms_me.py uses Fieldset and InlineRadios). Using one
  // of these later means taking it off this list.
  skippedContentGlobs: [
    "accordion*.html",
    "modal.html",
    "tab.html",
    "tab-link.html",
    "floating_field.html",
  ].map((name) => path.join(site, "crispy_bootstrap5/templates/bootstrap5/**", name)),
  // Class names that no template spells out whole.
  safelist: {
    standard: [
      // Bootstrap's collapse script (the navigation's menu button) adds and removes these.
      "show",
      "collapsing",
      "collapsed",
      "collapse-horizontal",
      // base.html writes a message's level into its alert class: alert-{{ message.tags }}.
      "alert-success",
      "alert-info",
      "alert-warning",
      "alert-danger",
      // Set by the browser or by Bootstrap's form validation.
      "was-validated",
      "is-valid",
      "is-invalid",
    ],
  },
  keyframes: true,
  fontFace: true,
};

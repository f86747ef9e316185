// A "Print" button for a page meant for paper (the week's roster): hidden until this script runs, so
// that without JavaScript only the page's own hint (the browser's print command) is shown.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

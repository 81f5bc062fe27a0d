// The navigation's search dropdown closes with Escape or a click elsewhere,
// and opens again when the box gets the focus back. The results come by htmx.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-testid=search-box]");
  const dropdown = document.getElementById("search-dropdown");
  if (!box || !dropdown) return;
  const close = () => { dropdown.hidden = true; };
  box.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
  document.addEventListener("click", (event) => { if (!box.contains(event.target)) close(); });
  box.addEventListener("focusin", () => { dropdown.hidden = false; });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.target === dropdown) dropdown.hidden = false;
  });
});

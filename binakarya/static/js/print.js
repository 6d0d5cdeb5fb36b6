// Print buttons of the staff lists: a button marked data-print prints the page (the print stylesheet in
// staff.css hides the navigation, the buttons and the forms). Without JavaScript the button stays hidden and
// the browser's own Print still uses that stylesheet.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

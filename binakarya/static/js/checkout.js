// Checkout: the address fields are hidden while "pickup" is chosen (without JavaScript they are all
// shown, and the server ignores them for pickup). The button is disabled once the form is sent, so a
// double click sends it once; the server places a checkout once per key in any case.
(() => {
  "use strict";
  const form = document.querySelector("form[data-checkout]");
  if (!form) return;
  const address = form.querySelector("[data-address]");
  const choice = () => {
    const checked = form.querySelector("input[name=fulfillment]:checked");
    return checked ? checked.value : "";
  };
  const update = () => {
    address.hidden = choice() === "PICKUP";
  };
  form.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.name === "fulfillment") update();
  });
  update();
  form.addEventListener("submit", () => {
    const button = form.querySelector("button[type=submit]");
    if (button) window.setTimeout(() => { button.disabled = true; }, 0);
  });
})();

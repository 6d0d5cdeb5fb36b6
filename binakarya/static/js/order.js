// Product page: the WhatsApp order form opens WhatsApp directly, with the chosen variant and
// quantity in the message, and shows the total. Without JavaScript the same form goes to
// /produk/<slug>/pesan/, which redirects to WhatsApp with the same message.
(() => {
  "use strict";
  const form = document.querySelector("form[data-wa-phone]");
  if (!form) return;
  const variant = form.elements.namedItem("varian");
  const quantity = form.elements.namedItem("jumlah");
  const totalRow = form.querySelector("[data-order-total]");
  const rupiah = (amount) => "Rp" + new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 }).format(amount);
  const chosen = () => (variant instanceof HTMLSelectElement ? variant.selectedOptions[0] : variant);
  const count = () => {
    const value = Number(quantity.value);
    return Number.isInteger(value) && value >= Number(quantity.min || 1) && value <= Number(quantity.max) ? value : 0;
  };

  const update = () => {
    const price = Number(chosen().dataset.price);
    const units = count();
    totalRow.hidden = !(units && price);
    totalRow.querySelector("output").textContent = units && price ? rupiah(units * price) : "";
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();

  form.addEventListener("submit", (event) => {
    const units = count();
    if (!units) return; // the order view answers with the form's message
    event.preventDefault();
    const text = form.dataset.waText.replace("{variant}", chosen().dataset.label).replace("{quantity}", String(units));
    const url = "https://wa.me/" + form.dataset.waPhone + "?text=" + encodeURIComponent(text);
    const opened = window.open(url, "_blank");
    if (opened) opened.opener = null;
    else window.location.href = url;
  });
})();
